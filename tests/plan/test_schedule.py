"""The schedule on the shipped playbook: every plan is one a team of that size can carry out.

For every example and for generated facts: precedence (item and step dependencies), each
owner's load within capacity, no avoidable priority inversion, working days only,
start <= due, at most N owners for N people, and the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import holidays
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.facts.client import facts_from_data, load_facts
from generator.plan.model import PRIORITY_RANK, Plan
from generator.plan.planner import PERIOD
from generator.plan.schedule import MAX_RECURRING_SHARE
from generator.render import jsonplan

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CADENCE_OF = {"FREQ=WEEKLY": "weekly", "FREQ=MONTHLY": "monthly", "FREQ=MONTHLY;INTERVAL=3": "quarterly"}


def waits_for(playbook: Any, plan: Plan) -> dict[str, set[str]]:
    """Every item's predecessors in the plan: its own dependencies and the items of the steps
    its step depends on."""
    in_plan = {i.id for i in plan.items}
    by_step: dict[str, set[str]] = {}
    for item in plan.items:
        by_step.setdefault(item.step, set()).add(item.id)
    waits = {}
    for item in plan.items:
        step = playbook.kb.step_by_id[item.step]
        before = {d for d in item.depends_on if d in in_plan}
        for other in step.depends_on:
            before |= by_step.get(other, set())
        waits[item.id] = before
    return waits


def urgency(plan: Plan, waits: Mapping[str, set[str]]) -> dict[str, int]:
    """Each item's rank raised to that of everything that (transitively) waits for it."""
    rank = {i.id: PRIORITY_RANK[i.priority] for i in plan.items}
    changed = True
    while changed:
        changed = False
        for item, before in waits.items():
            for p in before:
                if rank[item] < rank[p]:
                    rank[p], changed = rank[item], True
    return rank


@cache
def _off(country: str, year: int) -> tuple[Any, frozenset[dt.date]]:
    off = holidays.country_holidays(country, years=year)
    return off, frozenset(getattr(off, "weekend_workdays", ()))


def working(country: str, day: dt.date) -> bool:
    off, worked = _off(country, day.year)
    return day in worked or (day.weekday() < 5 and day not in off)


def check_schedule(playbook: Any, plan: Plan) -> None:
    items = {i.id: i for i in plan.items}
    waits = urgency_waits = waits_for(playbook, plan)
    country = plan.workload.country
    for item in plan.items:
        assert plan.start_date <= item.start <= item.due, item.id
        assert working(country, item.start) and working(country, item.due), item.id
        assert item.owner in plan.workload.capacity, item.id
        for before in waits[item.id]:
            assert item.start >= items[before].due, f"{item.id} starts before {before} is due"
    check_capacity(plan)
    check_priority(plan, urgency(plan, urgency_waits), waits)


def check_capacity(plan: Plan) -> None:
    """In any span of working days, the one-off work that starts and ends inside it fits in the
    owner's time left after the steady load of the recurring items that fit."""
    load = plan.workload
    for owner, capacity in load.capacity.items():
        mine = [i for i in plan.items if i.owner == owner]
        steady = sum(i.effort / PERIOD[CADENCE_OF[i.recurrence]] for i in mine
                     if i.recurrence and i.id not in load.unsustained)
        assert steady <= capacity * MAX_RECURRING_SHARE + 1e-9, owner
        once = capacity - steady
        if not mine:
            continue
        count = working_day_counter(plan.workload.country, plan.start_date, max(i.due for i in mine))
        for a in {i.start for i in mine}:
            starting = [i for i in mine if i.start >= a]
            for b in {i.due for i in starting}:
                inside = sum(i.effort for i in starting if i.due <= b)
                span = count[b] - count[a] + 1
                assert inside <= once * span + 1e-6, (owner, a, b, inside, span)


def working_day_counter(country: str, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """Day -> number of working days from `first` up to and including it."""
    counts, total = {}, 0
    for n in range((last - first).days + 1):
        day = first + dt.timedelta(days=n)
        total += working(country, day)
        counts[day] = total
    return counts


def check_priority(plan: Plan, rank: Mapping[str, int], waits: Mapping[str, set[str]]) -> None:
    """A more urgent item of an owner starts after a less urgent one only when its inputs were
    not ready when the other started."""
    items = {i.id: i for i in plan.items}
    for a in plan.items:
        ready = max((items[p].due for p in waits[a.id]), default=plan.start_date)
        for b in plan.items:
            if a.owner == b.owner and rank[a.id] < rank[b.id] and a.start > b.start:
                # its inputs were due that day or later: the work of the other had already begun
                assert b.start <= ready or (a.horizon == "long" and b.horizon != "long"), (a.id, b.id)


@pytest.fixture(scope="module")
def example_plans(playbook: Any) -> list[Plan]:
    return [playbook.plan(load_facts(path, playbook.kb), "en") for path in EXAMPLES]


@pytest.mark.parametrize("n", range(len(EXAMPLES)), ids=[p.stem for p in EXAMPLES])
def test_example_schedules_keep_every_invariant(playbook: Any, example_plans: list[Plan], n: int) -> None:
    check_schedule(playbook, example_plans[n])


def test_same_inputs_give_the_same_bytes(playbook: Any) -> None:
    facts = load_facts(EXAMPLES[0], playbook.kb)
    assert jsonplan.render(playbook.plan(facts, "en")) == jsonplan.render(playbook.plan(facts, "en"))


BASE = {"client": {"name": "Generated"}, "industry": "retail", "business_model": "b2c", "stage": "growth",
        "offering": "product", "channels": ["offline_store"], "has_supply_chain": True, "has_production": False,
        "team_size": 12, "start_date": "2027-01-04"}


@st.composite
def client_facts(draw: st.DrawFn, kb: Any) -> dict[str, Any]:
    facts: dict[str, Any] = dict(BASE)
    for fact in kb.facts:
        if fact.derived or fact.id in ("client.name", "client.note", "start_date", "team", "country", "plan_share"):
            continue
        if fact.type == "enum":
            facts[fact.id] = draw(st.sampled_from(fact.value_ids))
        elif fact.type == "list":
            facts[fact.id] = draw(st.lists(st.sampled_from(fact.value_ids), unique=True, max_size=4))
        elif fact.type == "bool":
            facts[fact.id] = draw(st.booleans())
        elif fact.id == "team_size":
            facts[fact.id] = draw(st.integers(1, 400))
    facts["kpis"] = {k.id: draw(st.floats(k.min, k.max if k.max is not None else k.min + 10, allow_nan=False))
                     for k in draw(st.lists(st.sampled_from(kb.kpis), unique=True, max_size=6))}
    facts["start_date"] = draw(st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31))).isoformat()
    facts["country"] = draw(st.sampled_from(["CN", "US", "DE"]))
    if draw(st.booleans()):
        facts["plan_share"] = draw(st.sampled_from([0.2, 0.5, 1]))
    if draw(st.booleans()):
        roles = draw(st.lists(st.sampled_from([r.id for r in kb.roles]), unique=True, min_size=1, max_size=5))
        facts["team"] = {role: draw(st.integers(1, 3)) for role in roles}
    return facts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_clients_get_schedules_that_keep_every_invariant(playbook: Any, data: st.DataObject) -> None:
    facts = facts_from_data(data.draw(client_facts(playbook.kb)), playbook.kb)
    plan = playbook.plan(facts, "en")
    check_schedule(playbook, plan)
    if not any(k.startswith("team.") for k in facts.values):
        assert len({i.owner for i in plan.items}) <= int(facts.values["team_size"])  # type: ignore[call-overload]


def test_a_small_team_has_few_owners_and_says_whom_they_cover_for(playbook: Any) -> None:
    facts = facts_from_data({**BASE, "team_size": 3, "goals": ["increase_revenue"]}, playbook.kb)
    plan = playbook.plan(facts, "en")
    owners = {i.owner for i in plan.items}
    assert len(owners) <= 3
    covered = [i for i in plan.items if i.owner_role != i.owner]
    assert covered, "a three-person business covers for roles it does not have"
    assert all(i.owner_role not in owners for i in covered)


def test_team_overrides_staffing_and_a_role_with_nobody_falls_back(playbook: Any) -> None:
    facts = facts_from_data({**BASE, "team": {"ops-manager": 3, "sales-lead": 1, "marketing-lead": 0}}, playbook.kb)
    plan = playbook.plan(facts, "en")
    assert {i.owner for i in plan.items} <= {"ops-manager", "sales-lead"}
    assert plan.workload.capacity["ops-manager"] == 3 * plan.workload.share
    marketing = [i for i in plan.items if i.owner_role == "marketing-lead"]
    assert marketing and all(i.owner != "marketing-lead" for i in marketing)


def test_more_people_finish_sooner(playbook: Any) -> None:
    small = playbook.plan(facts_from_data({**BASE, "team_size": 5}, playbook.kb), "en")
    large = playbook.plan(facts_from_data({**BASE, "team_size": 5, "plan_share": 1}, playbook.kb), "en")
    assert max(i.due for i in large.items) < max(i.due for i in small.items)


def test_chinese_adjusted_working_days_are_used(playbook: Any) -> None:
    """2026-02-14 is a Saturday worked in exchange for the Spring Festival; 2026-02-16 to 23 are off."""
    facts = facts_from_data({**BASE, "start_date": "2026-02-14"}, playbook.kb)
    plan = playbook.plan(facts, "en")
    assert min(i.start for i in plan.items) == dt.date(2026, 2, 14)
    off = {dt.date(2026, 2, 16) + dt.timedelta(days=n) for n in range(8)}
    assert not any(i.start in off or i.due in off for i in plan.items)


def test_the_readme_example_staffs_as_it_says(playbook: Any) -> None:
    facts = facts_from_data({**BASE, "team_size": 6, "plan_share": 0.4, "goals": ["build_brand", "reduce_cost"],
                             "team": {"executive-sponsor": 1, "ops-manager": 2, "sales-lead": 1}}, playbook.kb)
    plan = playbook.plan(facts, "en")
    assert plan.workload.capacity["ops-manager"] == pytest.approx(0.8)
    owner_of = {i.owner_role: i.owner for i in plan.items}
    assert owner_of["marketing-lead"] == "sales-lead"
    assert owner_of["finance-manager"] == "executive-sponsor"
    assert owner_of.get("data-analyst", "ops-manager") == "ops-manager"
