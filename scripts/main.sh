#!/usr/bin/env bash
# The main job on the bundled playbook: validate the knowledge base and the rules.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
.venv/bin/opsbook validate --strict
