"""The planner on the shipped playbook: plans are tailored, complete, dated and explained."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.facts.client import load_facts
from generator.kb.cross_checks import CORE_FACTS
from generator.kb.model import DOMAINS, PHASES, PRIORITIES
from generator.plan.calendar import WorkCalendar
from generator.plan.model import PRIORITY_RANK, Plan
from generator.plan.planner import catalogue

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def plan_for(playbook, name: str, lang: str = "zh") -> Plan:
    facts = load_facts(ROOT / "examples" / f"{name}.yaml", playbook.kb)
    return playbook.plan(facts, lang)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_plan_keeps_the_contract(playbook, path: Path) -> None:
    facts = load_facts(path, playbook.kb)
    plan = playbook.plan(facts, "zh")
    ids = {i.id for i in plan.items}
    due = {i.id: i.due for i in plan.items}
    assert plan.items, "every example gets a plan"
    assert len(ids) == len(plan.items), "no item twice"
    for item in plan.items:
        assert item.because, item.id
        assert item.owner in playbook.kb.role_by_id
        assert item.priority in PRIORITIES
        assert item.due >= plan.start_date
        assert set(item.depends_on) <= ids
        assert all(item.due >= due[d] for d in item.depends_on), item.id
        kb_item = playbook.kb.item_by_id[item.id]
        assert (item.recurrence is None) == (kb_item.cadence == "once")


def test_service_only_firm_gets_no_supply_chain_or_production(playbook) -> None:
    plan = plan_for(playbook, "consulting-firm")
    assert plan.items
    assert not [i.id for i in plan.items if i.domain in ("supply_chain", "production")]


def test_manufacturer_with_supply_disruption_gets_urgent_supply_chain_items(playbook) -> None:
    plan = plan_for(playbook, "furniture-maker")
    assert "supply_disruption" in plan.facts["risks"]  # type: ignore[operator]
    chain = [i for i in plan.items if i.domain == "supply_chain"]
    assert chain
    assert all(PRIORITY_RANK[i.priority] <= PRIORITY_RANK["high"] for i in chain)


def test_high_complaint_rate_raises_customer_service_items(playbook) -> None:
    facts = load_facts(ROOT / "examples" / "ecommerce-brand.yaml", playbook.kb)
    calm = dict(facts.values)
    calm["kpis.complaint_rate"] = 0.01
    calm_plan = playbook.plan(type(facts)(calm), "zh")
    hot_plan = playbook.plan(facts, "zh")
    assert float(facts.values["kpis.complaint_rate"]) > 0.05  # type: ignore[arg-type]
    hot = {i.id: i.priority for i in hot_plan.items if i.domain == "customer_service"}
    cool = {i.id: i.priority for i in calm_plan.items if i.domain == "customer_service"}
    raised = [i for i in hot if i not in cool or PRIORITY_RANK[hot[i]] < PRIORITY_RANK[cool[i]]]
    assert raised
    assert "critical" in hot.values()


def test_idea_stage_plan_is_shorter_than_mature(playbook) -> None:
    facts = load_facts(ROOT / "examples" / "education-startup.yaml", playbook.kb)
    mature = dict(facts.values, stage="mature")
    idea_plan = playbook.plan(facts, "zh")
    mature_plan = playbook.plan(type(facts)(mature), "zh")
    assert facts.values["stage"] == "idea"
    assert len(idea_plan.items) < len(mature_plan.items)


def test_base_rules_cover_phases_domains_and_core_facts(playbook) -> None:
    rules = [r for r in playbook.ruleset.rules if r.layer == "base"]
    assert len(rules) >= 40
    cat = catalogue(playbook.kb, ())
    reached = {t for r in rules for target in r.then.include for t in cat.expand(target)}
    steps = {playbook.kb.item_by_id[i].step for i in reached}
    assert {playbook.kb.step_by_id[s].phase for s in steps} == set(PHASES)
    assert {playbook.kb.step_by_id[s].domain for s in steps} == set(DOMAINS)
    assert any(r.when is None for r in rules), "a baseline that always applies"
    text = repr([r.when for r in rules])
    for fact in CORE_FACTS:
        if fact in ("client.name", "start_date"):
            continue  # not business facts: shown in the plan, never a reason
        needle = "kpis." if fact == "kpis" else fact
        assert f"fact='{needle}" in text, f"core fact {fact} used by no rule"


def test_priority_is_the_highest_any_rule_gave(playbook) -> None:
    plan = plan_for(playbook, "ecommerce-brand")
    rules = {r.id: r for r in playbook.ruleset.rules}
    for item in plan.items:
        given = [rules[r.rule].then.priority for r in item.because if rules[r.rule].then.priority]
        expected = min(given, key=PRIORITY_RANK.__getitem__) if given else "medium"
        assert item.priority == expected, item.id


def test_start_date_moves_every_date_by_working_days(playbook) -> None:
    """The schedule counts working days: a later start moves every item by the same number of
    working days (not calendar days, since holidays fall differently)."""
    facts = load_facts(ROOT / "examples" / "saas-startup.yaml", playbook.kb)
    a = playbook.plan(facts, "zh", dt.date(2027, 1, 4))
    b = playbook.plan(facts, "zh", dt.date(2027, 2, 1))
    cal_a, cal_b = WorkCalendar("CN", dt.date(2027, 1, 4)), WorkCalendar("CN", dt.date(2027, 2, 1))
    index_a = {cal_a.date(n): n for n in range(2000)}
    index_b = {cal_b.date(n): n for n in range(2000)}
    assert [i.id for i in a.items] == [i.id for i in b.items]
    moved = [(index_b[i.start], index_b[i.due]) for i in b.items]
    assert [(index_a[i.start], index_a[i.due]) for i in a.items] == moved
    assert min(i.start for i in b.items) == dt.date(2027, 2, 1)


def test_output_is_identical_across_hash_seeds(tmp_path: Path) -> None:
    outputs = set()
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed, OPSBOOK_NO_CACHE="1")
        result = subprocess.run(
            [sys.executable, "-m", "generator.cli.main", "plan", str(ROOT / "examples" / "coffee-chain.yaml"),
             "--format", "json"], capture_output=True, env=env, check=True, cwd=tmp_path)
        outputs.add(result.stdout)
    assert len(outputs) == 1
