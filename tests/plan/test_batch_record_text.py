"""A batch record is written as JSON text directly, from the planner's decision: its bytes are
exactly what `json.dumps` writes for the record made from the client's whole plan, whatever the
client's name holds, in either language, with items left out and rules that matched no fact."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.facts.client import plan_lang
from generator.plan.batch import Job, compact_from_plan, parse_line, plan_lines
from generator.plan.playbook import Playbook

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
NAMES = ['A "quoted" \\ name', "山隅 @items@ 咖啡", 'x"],"items":[', "tab\there", "emoji 😀 é", "</script>"]
VARIANTS: list[dict[str, Any]] = [
    {},
    {"lang": "en", "team_size": 3},
    {"team_size": 600, "start_date": "2031-02-27", "country": "US"},
    {"lang": "en", "plan_share": 0.5, "kpis": {"nps": -20, "complaint_rate": 0.1}},
    {"team": {"ops-manager": 1, "data-analyst": 0}, "stage": "idea", "risks": ["cash_flow", "compliance"]},
    {"goals": ["restore_profitability", "improve_cash_flow"], "stage": "decline", "country": "DE"},
]


def _lines() -> list[str]:
    lines = []
    for n, path in enumerate(EXAMPLES):
        facts = yaml.safe_load(path.read_text(encoding="utf-8"))
        for v, variant in enumerate(VARIANTS):
            client = {**facts, **variant, "client": {"name": NAMES[(n + v) % len(NAMES)]}}
            lines.append(json.dumps(client, ensure_ascii=False, default=str))
    return lines


@pytest.fixture(scope="module")
def written() -> list[tuple[str, str]]:
    """(facts line, its batch record) of every example in every variant."""
    lines = _lines()
    job = Job(ROOT / "kb", ROOT / "rules", (), None, dt.date(2027, 1, 4), False, "clients.jsonl")
    return list(zip(lines, plan_lines(enumerate(lines, start=1), job), strict=True))


def test_each_record_is_the_json_text_of_the_plans_record(playbook: Playbook, written: list[tuple[str, str]]) -> None:
    for number, (line, text) in enumerate(written, start=1):
        facts = parse_line(line, number, "clients.jsonl", playbook)
        lang = plan_lang(facts)
        plan = playbook.plan(facts, lang, dt.date(2027, 1, 4))
        alone = compact_from_plan(number, plan, playbook.template(lang), facts)
        assert text == json.dumps(alone, ensure_ascii=False, separators=(",", ":")), f"line {number}"


def test_the_clients_cover_what_the_record_writes_in_more_than_one_way(playbook: Playbook,
                                                                       written: list[tuple[str, str]]) -> None:
    records = [json.loads(text) for _, text in written]
    tpl = playbook.template("zh")
    deps = {info.id: [tpl.infos[d].id for d in ds] for info, ds in zip(tpl.infos, tpl.deps, strict=True)}
    assert {r["lang"] for r in records} == {"zh", "en"}
    assert any(r["excluded"] for r in records), "an item a rule left out"
    assert any(r["derived"] for r in records), "a derived fact"
    assert any(not rule["matched"] for r in records for rule in r["rules"].values()), "a rule that always fires"
    assert any(len(item[6]) > 1 for r in records for item in r["items"]), "an item more than one rule put in"
    assert any(item[5] != deps[item[0]] for r in records for item in r["items"]), "a dependency left out"
    assert {r["client"] for r in records} >= set(NAMES)
