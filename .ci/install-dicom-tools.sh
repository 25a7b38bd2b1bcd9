#!/usr/bin/env bash
# Installs the external DICOM tools the io.dicom tests use to check pdrecon against other
# implementations: dcmtk (fixture generation), dicom3tools (dciodvfy IOD verifier), pydicom and
# plastimatch (reads our CT series through ITK to check its geometry).
# The tests skip (JUnit Assumptions) when a tool is missing; CI runs this first so they do run.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends dcmtk dicom3tools python3-pydicom python3-numpy plastimatch
