#!/usr/bin/env bash
# Installs Jupyter's headless notebook runner, which NotebooksTest uses to execute notebooks/ with the
# pdrecon kernel (the test skips without it; CI runs this first so it does run).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends jupyter-nbconvert python3-nbclient jupyter-client
