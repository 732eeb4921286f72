#!/usr/bin/env bash
# Create the virtual environment ($VENV, .venv by default; $PYTHON makes it) and install opsbook with exactly the versions in requirements.lock (every file
# checked against its hash); quick when nothing changed. scripts/lock.sh refreshes the lock.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=${VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
stamp=$VENV/.opsbook-installed
want=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
  echo "$want" > "$stamp"
fi
# Front-end files from package-lock.json: Pyodide, shipped with the site's plan builder, and the Nu HTML checker the site tests run.
npm_stamp=node_modules/.opsbook-installed
npm_want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$npm_want" ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
  echo "$npm_want" > "$npm_stamp"
fi
