#!/usr/bin/env bash
# The whole test suite: static checks, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
.venv/bin/ruff check generator tests
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
