#!/usr/bin/env bash
# Refresh requirements.lock: resolve pyproject.toml's dependencies (with the site and test
# extras) and the build tools anew, for every supported Python (3.11 to 3.13), with the hash of every file.
# Then run ./scripts/test.sh and commit requirements.lock with the change that needed it.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install --quiet "uv==0.13.9"
"$tools/venv/bin/uv" pip compile pyproject.toml scripts/build-requirements.in \
  --extra site --extra test --extra dask --universal --generate-hashes \
  --custom-compile-command scripts/lock.sh --quiet -o requirements.lock "$@"
