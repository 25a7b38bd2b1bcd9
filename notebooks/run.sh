#!/usr/bin/env bash
# Executes every notebook with the pdrecon kernel and keeps the outputs in place (what CI checks, and
# what a reader sees on the web). Needs Jupyter's nbconvert (Debian: jupyter-nbconvert python3-nbclient).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
"$root/pdrecon" notebook install --dir "$data" >/dev/null
for nb in "$root"/notebooks/*.ipynb; do
  echo "executing $(basename "$nb")"
  JUPYTER_PATH="$data" /usr/bin/jupyter nbconvert --to notebook --execute --inplace \
    --ExecutePreprocessor.timeout=300 "$nb"
done
