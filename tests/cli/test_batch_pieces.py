"""What `opsbook batch` writes comes from workers as pieces of bytes, a chunk of lines at a time:
the same lines, in the same order, with the same problems, as the line results of `run_batch`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator.plan.batch import CHUNK, Job, run_batch, run_pieces

ROOT = Path(__file__).parents[2]
COFFEE = yaml.safe_load((ROOT / "examples" / "coffee-chain.yaml").read_text(encoding="utf-8"))


def _lines() -> list[tuple[int, str]]:
    """More lines than one chunk holds, some of them bad, with names only UTF-8 can write."""
    lines = []
    for n in range(1, CHUNK * 2 + 4):
        facts = {**COFFEE, "client": {"name": f"山隅 {n} “quoted”"}, "team_size": n}
        lines.append((n, "{bad" if n % 7 == 0 else json.dumps(facts, ensure_ascii=False, default=str)))
    return lines


@pytest.mark.parametrize("jobs", [1, 2])
def test_pieces_hold_the_line_results_in_order(jobs: int) -> None:
    job = Job(ROOT / "kb", ROOT / "rules", (), "zh", None, False, "clients.jsonl")
    lines = _lines()
    done: list[int] = []
    pieces = list(run_pieces(job, lines, jobs, done.append))
    results = list(run_batch(job, lines, 1, lambda n: None))
    assert len(pieces) == len(done) > 1 and sum(done) == len(lines)
    assert b"".join(p.data for p in pieces) == "".join(r.text + "\n" for r in results).encode("utf-8")
    assert [p for piece in pieces for p in piece.problems] == [r.problems for r in results if r.problems]
    assert len([p for piece in pieces for p in piece.problems]) == len(lines) // 7
    assert not any(piece.crashes for piece in pieces)
