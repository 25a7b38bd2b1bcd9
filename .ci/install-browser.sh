#!/usr/bin/env bash
# Installs Debian's Chromium, which BenchmarkRunTest uses headless to render report.html, read its DOM
# and screenshot it (the test skips without it outside CI; CI runs this first so it does run).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium
