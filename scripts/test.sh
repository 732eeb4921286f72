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
.venv/bin/python -m pytest "$@"
