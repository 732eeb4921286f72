"""Batch planning as a map step on a real Dask cluster gives `opsbook plan --batch`'s bytes."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
import yaml

from generator.kb.documents import shown_path
from generator.plan.batch import Job, plan_lines

distributed = pytest.importorskip("dask.distributed")
bag = pytest.importorskip("dask.bag")

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 2000


def _clients() -> list[str]:
    random.seed(3)
    profiles = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    lines = []
    for n in range(CLIENTS):
        facts = dict(random.choice(profiles), team_size=random.randint(1, 300))
        facts["client"] = {"name": f"client {n}"}
        lines.append(json.dumps(facts, ensure_ascii=False, default=str))
    lines[17] = '{"client": {"name": "broken"}, "industry": "no such industry"}'  # an error record stays in place
    return lines


def test_dask_map_step_matches_the_batch_command(run_cli, tmp_path: Path) -> None:
    texts = _clients()
    source = tmp_path / "clients.jsonl"
    source.write_text("\n".join(texts) + "\n", encoding="utf-8")
    out = tmp_path / "cli.jsonl"
    code, _, err = run_cli("plan", "--batch", str(source), "--jobs", "2", "--start", "2027-01-04", "-o", str(out))
    assert code == 1 and "1 lines have problems" in err  # the broken line, reported; the rest planned
    job = Job(ROOT / "kb", ROOT / "rules", (), "zh", dt.date(2027, 1, 4), False, shown_path(source))
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, distributed.Client(cluster):
        parts = bag.from_sequence(list(enumerate(texts, start=1)), npartitions=12)
        results = parts.map_partitions(lambda part: list(plan_lines(part, job))).compute()
    assert len(results) == CLIENTS
    expected = out.read_text(encoding="utf-8").splitlines()
    assert [n for n, (a, b) in enumerate(zip(results, expected, strict=True), 1) if a != b] == []
    assert ("".join(line + "\n" for line in results)).encode("utf-8") == out.read_bytes()
