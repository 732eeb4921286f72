"""Golden outputs: every example in every format, byte for byte.

Regenerate after an intended change with `OPSBOOK_UPDATE_GOLDEN=1 pytest tests/render`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.facts.client import load_facts
from generator.render import RENDERERS

ROOT = Path(__file__).parents[2]
GOLDEN = Path(__file__).parent / "golden"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CASES = [(path, fmt) for path in EXAMPLES for fmt in RENDERERS]


@pytest.mark.parametrize(("path", "fmt"), CASES, ids=[f"{p.stem}-{f}" for p, f in CASES])
def test_example_matches_golden(playbook, path: Path, fmt: str) -> None:
    plan = playbook.plan(load_facts(path, playbook.kb, f"examples/{path.name}"), "zh")
    data = RENDERERS[fmt].render(plan)
    golden = GOLDEN / path.stem / f"plan{RENDERERS[fmt].suffix}"
    if os.environ.get("OPSBOOK_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data)
    assert golden.exists(), f"no golden file {golden}: run with OPSBOOK_UPDATE_GOLDEN=1"
    assert data == golden.read_bytes(), f"{fmt} output of {path.name} differs from {golden}"


def test_every_example_has_every_format() -> None:
    assert len(EXAMPLES) >= 6
    for path in EXAMPLES:
        assert sorted(p.name for p in (GOLDEN / path.stem).iterdir()) == sorted(
            f"plan{f.suffix}" for f in RENDERERS.values())
