"""The items of one step are a procedure: when a client's plan leaves one out, the items
after it still wait for the ones before it (and the plan says so in `depends_on`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.facts.client import load_facts
from generator.plan.schedule import network, schedule

ROOT = Path(__file__).parents[2]


def test_a_skipped_item_keeps_the_order_of_the_items_around_it() -> None:
    # step 0: a -> b -> c, and d (step 1) waits for b; b is left out of the plan
    net = network([1.0, 1.0, 1.0, 1.0], [0, 0, 0, 0], [0, 1, 2, 3], [0, 0, 0, 0], [0, 0, 0, 1],
                  [[], [0], [1], [1]], [[], [], [], []])
    chosen = (0, 2, 3)
    result = schedule(net, chosen, [2, 0, 0], ["x", "x", "x"], {"x": 1.0})
    a, c, d = result.slots
    assert c.start >= a.due and c.held_by == 0  # c waits for a, through b of its own step
    assert d.held_by is None  # d, in another step, waited for b itself, not for what b waits for
    assert result.urgency[0] == 0  # a is as urgent as what waits for it through b
    assert result.bridged == {2: (0,)}


def test_a_shipped_plan_skipping_a_step_item_keeps_the_procedure(playbook: Any) -> None:
    plan = playbook.plan(load_facts(ROOT / "examples" / "saas-idea.yaml", playbook.kb), "en")
    items = {i.id: i for i in plan.items}
    questions = items["insight.research-design.decision-questions"]
    samples = items["insight.research-design.sample-plan"]
    assert "insight.research-design.method-matrix" not in items
    assert questions.id in samples.depends_on
    assert samples.start >= questions.due


@st.composite
def procedures(draw: st.DrawFn) -> dict[str, Any]:
    size = draw(st.integers(2, 12))
    step = sorted(draw(st.lists(st.integers(0, 2), min_size=size, max_size=size)))
    preds = [sorted(set(draw(st.lists(st.integers(0, n - 1), max_size=2)))) if n else [] for n in range(size)]
    effort = draw(st.lists(st.sampled_from([0.5, 1.0, 3.0]), min_size=size, max_size=size))
    hint = draw(st.permutations(range(size)))
    net = network(effort, [0] * size, hint, [0] * size, step, preds, [[]] * size)
    chosen = tuple(n for n in range(size) if draw(st.booleans()))
    return {"net": net, "chosen": chosen,
            "rank": draw(st.lists(st.integers(0, 3), min_size=len(chosen), max_size=len(chosen))),
            "owner": draw(st.lists(st.sampled_from("xy"), min_size=len(chosen), max_size=len(chosen)))}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=procedures())
def test_an_item_waits_for_what_its_skipped_step_mates_wait_for(case: dict[str, Any]) -> None:
    net, chosen = case["net"], case["chosen"]
    if not chosen:
        return
    result = schedule(net, chosen, case["rank"], case["owner"], {"x": 1.0, "y": 0.5})
    slot = dict(zip(chosen, result.slots, strict=True))
    for n in chosen:
        pending, seen = list(net.preds[n]), set()
        while pending:  # everything n waits for directly or through left-out items of its own step
            p = pending.pop()
            if p in seen:
                continue
            seen.add(p)
            if p in slot:
                assert slot[n].start >= slot[p].due, (n, p)
            elif net.step[p] == net.step[n]:
                pending.extend(net.preds[p])
