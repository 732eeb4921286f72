#!/usr/bin/env bash
# The main job on the bundled playbook: validate the knowledge base and rules, generate an
# example client's plan, and build the site.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export NO_MKDOCS_2_WARNING=1
mkdir -p build
.venv/bin/opsbook validate --strict
.venv/bin/opsbook plan examples/coffee-chain.yaml --lang en
.venv/bin/opsbook plan examples/coffee-chain.yaml -o build/coffee-chain-plan.xlsx --force
.venv/bin/opsbook site build      # the playbook, the rule catalogue and the example clients' plans
