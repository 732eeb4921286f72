"""`opsbook plan --batch`: many clients, in order, bad lines reported, same as one by one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator.facts.client import load_facts
from generator.plan.batch import compact_from_plan

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture
def batch_file(tmp_path: Path) -> Path:
    lines = [json.dumps(yaml.safe_load(p.read_text()), ensure_ascii=False, default=str) for p in EXAMPLES]
    lines.insert(2, '{"industry": "retal", "client": {"name": "typo"}}')
    lines.insert(4, "{not json")
    path = tmp_path / "clients.jsonl"
    path.write_bytes(("\n".join(lines) + "\n").encode() + b'{"client": {"name": "\xff"}}\n')
    return path


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_batch_equals_planning_each_client_alone(run_cli, playbook, batch_file: Path, tmp_path: Path,
                                                 jobs: str) -> None:
    out = tmp_path / "out.jsonl"
    code, _, err = run_cli("plan", "--batch", str(batch_file), "--jobs", jobs, "-o", str(out))
    assert code == 1, "bad lines make the run fail, after all lines were planned"
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["line"] for r in records] == list(range(1, len(EXAMPLES) + 4))
    assert f"{batch_file}:3:14: `industry` value `retal` is not allowed; did you mean `retail`?" in err
    assert f"{batch_file}:5:2: JSON syntax error" in err
    assert f"{batch_file}:{len(EXAMPLES) + 3}:22: not valid UTF-8 text" in err
    good = [r for r in records if "errors" not in r]
    assert len(good) == len(EXAMPLES)
    tpl = playbook.template("zh")
    for record, path in zip(good, EXAMPLES, strict=True):
        facts = load_facts(path, playbook.kb)
        alone = compact_from_plan(record["line"], playbook.plan(facts, "zh"), tpl, facts)
        assert record == json.loads(json.dumps(alone, ensure_ascii=False))


def test_full_batch_lines_are_whole_plans(run_cli, batch_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    run_cli("plan", "--batch", str(batch_file), "--full", "-o", str(out))
    first = json.loads(out.read_text().splitlines()[0])
    _, alone, _ = run_cli("plan", str(EXAMPLES[0]), "--format", "json")
    assert first == json.loads(alone)


def test_batch_and_facts_together_is_a_usage_error(run_cli, batch_file: Path) -> None:
    assert run_cli("plan", str(EXAMPLES[0]), "--batch", str(batch_file))[0] == 2
    assert run_cli("plan")[0] == 2
