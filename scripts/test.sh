#!/usr/bin/env bash
# The whole test suite: static checks, then pytest (browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# Browser tests drive Debian's chromium, with CJK fonts (never `playwright install`).
if [ ! -x /usr/bin/chromium ] || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
export NO_MKDOCS_2_WARNING=1
.venv/bin/ruff check generator tests bench
.venv/bin/mypy
# The rules engines, planning, formats and CLI again under Python 3.13 where it is installed (whole runs only)
# (pyenv on these machines), where durable_rules does not import and the pure-Python engine runs. It runs
# beside the main suite, each on its own core; its report follows the main one.
PY313=
if command -v pyenv >/dev/null && pyenv prefix 3.13 >/dev/null 2>&1; then
  PY313="$(pyenv prefix 3.13)/bin/python3.13"
elif python3.13 -c "" >/dev/null 2>&1; then
  PY313=$(command -v python3.13)
fi
side=
if [ -n "$PY313" ] && [ $# -eq 0 ]; then
  PYTHON="$PY313" VENV=.venv-3.13 scripts/setup.sh
  side_dir=$(mktemp -d)
  trap 'rm -rf "$side_dir"' EXIT
  log=$side_dir/report.txt
  HYPOTHESIS_STORAGE_DIRECTORY=$side_dir/hypothesis .venv-3.13/bin/python -m pytest -p no:cacheprovider tests/rules tests/plan tests/render tests/cli >"$log" 2>&1 &
  side=$!
fi
status=0
.venv/bin/python -m pytest "$@" || status=$?
if [ -n "$side" ]; then
  side_status=0
  wait "$side" || side_status=$?
  echo "=== the same engines, planning, formats and CLI under $("$PY313" -V) ==="
  cat "$log"
  [ "$status" -ne 0 ] || status=$side_status
fi
exit "$status"
