"""KPI targets: the KPIs a plan sets out to move, where they are, the level to reach, by when,
and the rule that set them; in the JSON and at the top of the Markdown."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from generator.facts.client import facts_from_data, load_facts
from generator.plan.model import Plan
from generator.plan.targets import NEGATED, plan_targets
from generator.render import RENDERERS
from generator.rules.meaning.results import Match

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
START = dt.date(2027, 1, 4)
BASE: dict[str, Any] = {"client": {"name": "Test Co"}, "business_model": "b2b", "stage": "growth",
                        "offering": "product", "channels": ["direct_sales"], "has_supply_chain": True,
                        "team_size": 40, "start_date": "2027-01-04"}


def plan_of(playbook, lang: str = "en", **facts: Any) -> Plan:
    return playbook.plan(facts_from_data({**BASE, **facts}, playbook.kb), lang, START)


def by_kpi(plan: Plan) -> dict[str, Any]:
    return {t.kpi: t for t in plan.targets}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_target_is_consistent_with_the_plan_and_the_kb(playbook, path: Path) -> None:
    plan = playbook.plan(load_facts(path, playbook.kb), "en")
    items = {i.id: i for i in plan.items}
    for target in plan.targets:
        kpi = playbook.kb.kpi_by_id[target.kpi]
        assert target.current == plan.facts[f"kpis.{target.kpi}"]
        # the client's value is on the bad side; the target on the other side of the level
        assert kpi.bad_side(NEGATED[target.op], target.target), target
        assert kpi.min <= target.target <= (kpi.max if kpi.max is not None else target.target)
        item = items[target.item]
        assert target.date == item.due, "the date is a working day of the schedule"
        assert target.rule in {r.rule for r in item.because}, "the rule put the dated item in the plan"
    assert [t.date for t in plan.targets] == sorted(t.date for t in plan.targets), "the soonest first"


def test_a_flagged_kpi_gets_the_level_that_flagged_it(playbook) -> None:
    plan = playbook.plan(load_facts(ROOT / "examples" / "furniture-maker.yaml", playbook.kb), "en")
    target = by_kpi(plan)["defect_rate"]
    assert (target.current, target.op, target.target, target.rule) == (0.024, "le", 0.02, "qa-defects-warning")
    assert "defect_rate" in plan.item(target.item).kpis, "the dated item is work on the KPI"


def test_the_target_is_the_strictest_level_the_industry_sets(playbook) -> None:
    """A SaaS margin below its industry's critical level (40%) aims for the warning level (60%),
    not the default levels of other industries."""
    plan = plan_of(playbook, industry="saas", kpis={"gross_margin": 0.35})
    target = by_kpi(plan)["gross_margin"]
    assert (target.op, target.target) == ("ge", 0.6)
    assert target.rule != "fin-margin-critical", "a rule at the warning level dates it (the one whose item is due last)"
    fired = {r.rule for i in plan.items for r in i.because}
    assert "fin-margin-critical" in fired, "the critical rule fired too, but its level is not the target"


@pytest.mark.parametrize(("value", "op", "level"), [(0.45, "ge", 0.65), (0.96, "le", 0.9)])
def test_a_band_kpi_is_aimed_back_into_its_band_from_either_side(playbook, value: float, op: str,
                                                                 level: float) -> None:
    kpi = playbook.kb.kpi_by_id["capacity_utilization"]
    assert kpi.direction == "band" and kpi.band is not None
    plan = plan_of(playbook, industry="manufacturing", has_production=True, kpis={"capacity_utilization": value})
    target = by_kpi(plan)["capacity_utilization"]
    assert (target.op, target.target) == (op, level)
    assert kpi.band.low <= target.target <= kpi.band.high


def test_kpis_on_their_good_side_get_no_target(playbook) -> None:
    plan = plan_of(playbook, industry="retail", kpis={"complaint_rate": 0.01, "market_share": 0.35})
    fired = {r.rule for i in plan.items for r in i.because}
    assert "mkt-share-leader" in fired, "a leader defends its share..."
    assert plan.targets == (), "...and the plan aims no KPI away from a good value"


def test_a_plan_without_kpi_values_has_no_targets(playbook) -> None:
    assert plan_of(playbook, industry="retail").targets == ()


def test_guards_and_presence_tests_set_no_target(playbook) -> None:
    plan = plan_of(playbook, industry="retail", kpis={"complaint_rate": 0.06})
    assert set(by_kpi(plan)) == {"complaint_rate"}
    first = plan.items[0]
    reason = first.because[0]
    matched = (Match("kpis.nps", "not lt", 20, 35), Match("kpis.csat", "exists", True, 0.9),
               Match("kpis.nps", "eq", 35, 35), Match("kpis.csat", "lt", True, 0.9))
    guarded = first._replace(because=(reason._replace(matched=matched),))
    other = dataclasses.replace(plan, items=(guarded, *plan.items[1:]))
    assert set(by_kpi(other)) == {"complaint_rate"}


def test_the_rule_whose_work_ends_last_sets_the_date_among_equal_levels(playbook) -> None:
    plan = playbook.plan(load_facts(ROOT / "examples" / "furniture-maker.yaml", playbook.kb), "en")
    target = by_kpi(plan)["gross_margin"]
    setters = {r.rule for i in plan.items for r in i.because for m in r.matched
               if m.fact == "kpis.gross_margin" and m.value == target.target}
    assert len(setters) > 1, "two rules flag the same level here"
    latest = max(i.due for i in plan.items if i.recurrence is None
                 and {r.rule for r in i.because} & setters and "gross_margin" in i.kpis)
    assert target.date == latest


def test_targets_are_the_plans_own(playbook) -> None:
    plan = plan_of(playbook, industry="retail", kpis={"complaint_rate": 0.06})
    assert plan.targets is plan.targets, "worked out once"
    assert plan_targets(plan) == plan.targets


def test_json_carries_the_targets(playbook) -> None:
    plan = plan_of(playbook, industry="retail", kpis={"complaint_rate": 0.06})
    data = json.loads(RENDERERS["json"].render(plan))
    assert list(data).index("targets") == list(data).index("items") - 1
    (target,) = [t for t in data["targets"] if t["kpi"] == "complaint_rate"]
    assert target == {"kpi": "complaint_rate", "current": 0.06, "op": "le", "target": 0.03,
                      "date": target["date"], "item": target["item"], "rule": target["rule"], "layer": "base",
                      "title": target["title"]}
    assert target["rule"] in {r["rule"] for i in data["items"] if i["id"] == target["item"] for r in i["because"]}


@pytest.mark.parametrize(("lang", "heading", "row"), [
    ("zh", "### KPI 目标", "| 指标 | 当前 | 目标 | 期限 | 依据规则 |"),
    ("en", "### KPI targets", "| KPI | Now | Target | By | Set by rule |")])
def test_markdown_opens_with_a_short_table_of_targets(playbook, lang: str, heading: str, row: str) -> None:
    plan = plan_of(playbook, lang, industry="retail", kpis={"complaint_rate": 0.06})
    text = RENDERERS["md"].render(plan).decode()
    glance = text.index("## ")
    assert text.index(heading) > glance and text.index(heading) < text.index("###", text.index(heading) + 3)
    assert row in text
    target = by_kpi(plan)["complaint_rate"]
    name = next(k.name(lang) for k in playbook.kb.kpis if k.id == "complaint_rate")
    assert f"| {name} (`complaint_rate`) | 0.06 | ≤ 0.03 | {target.date.isoformat()} |" in text, "named, ID beside"


@pytest.mark.parametrize(("kpis", "key"), [({}, "no KPI values"), ({"complaint_rate": 0.01}, "no rule found")])
def test_markdown_says_why_there_are_no_targets(playbook, kpis: dict[str, float], key: str) -> None:
    text = RENDERERS["md"].render(plan_of(playbook, "en", industry="retail", kpis=kpis)).decode()
    assert "No KPI targets" in text
    assert key in text.replace("no current KPI values", "no KPI values")


def test_a_long_list_of_targets_keeps_the_summary_short(playbook) -> None:
    from generator.render.mdsummary import MAX_TARGETS

    plan = playbook.plan(load_facts(ROOT / "examples" / "logistics-company.yaml", playbook.kb), "en")
    assert len(plan.targets) > MAX_TARGETS
    text = RENDERERS["md"].render(plan).decode()
    rows = [line for line in text.splitlines() if "(`" in line and line.startswith("| ")]
    assert len(rows) == MAX_TARGETS
    later = plan.targets[MAX_TARGETS:]
    line = next(line for line in text.splitlines() if line.startswith(f"{len(later)} more target"))
    assert all(f"{plan.kpi_titles[t.kpi]} (`{t.kpi}`)" in line and t.date.isoformat() in line for t in later)


def test_roles_short_of_time_beyond_the_first_few_share_one_line(playbook) -> None:
    from generator.render.mdsummary import MAX_SHORT

    plan = playbook.plan(load_facts(ROOT / "examples" / "ecommerce-brand.yaml", playbook.kb), "en")
    late = plan.workload.late_short
    assert len(late) > MAX_SHORT
    text = RENDERERS["md"].render(plan).decode()
    section = text[text.index("### What does not fit"):text.index("\n## ", text.index("### What does not fit"))]
    assert sum(line.startswith("- ") for line in section.splitlines()) == MAX_SHORT + 1
    others = sorted(late, key=lambda o: -late[o])[MAX_SHORT:]
    assert f"Work of {len(others)} more roles does not fit either: " in section
    assert all(plan.workload.titles[o] in section for o in others)
