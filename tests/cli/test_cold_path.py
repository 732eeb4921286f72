"""A plan from a validated playbook starts lean: no validation, site or spreadsheet code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
PROBE = """
import contextlib, io, json, sys
from generator.cli.main import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(["plan", "examples/coffee-chain.yaml"])
    except SystemExit:
        pass
heavy = ("jsonschema", "mkdocs", "openpyxl", "jieba", "markdown", "holidays", "generator.rules.durable.compiler",
         "generator.kb.validate")
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in heavy or m in heavy)))
"""


def _loaded(env: dict[str, str]) -> list[str]:
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
                            cwd=ROOT, env=env)
    loaded: list[str] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_second_plan_comes_from_the_cache_without_heavy_imports(tmp_path: Path) -> None:
    env = dict(os.environ, OPSBOOK_CACHE=str(tmp_path))
    first = _loaded(env)
    assert "jsonschema" in first, "the first run validates the playbook"
    assert "holidays" in first, "and works out the calendar"
    assert list(tmp_path.iterdir()), "and stores it"
    assert _loaded(env) == []
