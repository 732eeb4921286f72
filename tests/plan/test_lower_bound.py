"""The schedule benchmark's lower bounds (bench/taskjuggler.py) are bounds: no schedule the
planner makes finishes sooner, whatever the tasks, owners, dependencies and releases."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import taskjuggler

from generator.plan.schedule import network, schedule

OWNERS = ("a", "b", "c")


@st.composite
def projects(draw: st.DrawFn) -> dict[str, Any]:
    size = draw(st.integers(1, 14))
    steps = draw(st.integers(1, 4))
    step = sorted(draw(st.lists(st.integers(0, steps - 1), min_size=size, max_size=size)))
    preds = [sorted(set(draw(st.lists(st.integers(0, n - 1), max_size=3)))) if n else [] for n in range(size)]
    after = [sorted({g for g in draw(st.lists(st.integers(0, steps - 1), max_size=2)) if g < step[n]})
             for n in range(size)]
    return {
        "net": network(draw(st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.5, 8.0]), min_size=size, max_size=size)),
                       draw(st.lists(st.integers(0, 2), min_size=size, max_size=size)), list(range(size)),
                       draw(st.lists(st.sampled_from([0, 0, 5, 20]), min_size=size, max_size=size)),
                       step, preds, after),
        "rank": draw(st.lists(st.integers(0, 3), min_size=size, max_size=size)),
        "owner": draw(st.lists(st.sampled_from(OWNERS), min_size=size, max_size=size)),
        "capacity": {o: draw(st.sampled_from([0.25, 0.5, 1.0, 1.5])) for o in OWNERS},
        "release": draw(st.integers(0, 30)),
    }


def case_of(project: dict[str, Any]) -> taskjuggler.Case:
    net = project["net"]
    chosen = tuple(range(len(net.step)))
    result = schedule(net, chosen, project["rank"], project["owner"], project["capacity"], project["release"])
    tasks = taskjuggler._tasks(net, chosen, project["rank"], project["owner"], result.bridged)
    preds = taskjuggler._predecessors(tasks)
    return taskjuggler.Case("generated", tasks, preds, result, None, project["release"],  # type: ignore[arg-type]
                            taskjuggler._inherited(tasks, preds), 0.0)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(project=projects())
def test_no_schedule_finishes_before_either_bound(project: dict[str, Any]) -> None:
    case = case_of(project)
    short = [n for n, task in enumerate(case.tasks) if task.horizon == 0]
    for targets in (short, range(len(case.tasks))):
        if not targets:
            continue
        finish = max(case.result.slots[n].due for n in targets) + 1
        simple, tight = taskjuggler._bounds(case, targets)
        assert simple <= tight <= finish


def test_the_tight_bound_counts_an_owner_busy_before_a_task_can_start() -> None:
    # owner a does two 4-day tasks that c waits for; c's own chain is 4 days, a's work 8
    net = network([4.0, 4.0, 1.0], [0, 0, 0], [0, 1, 2], [0, 0, 0], [0, 0, 0], [[], [], [0, 1]], [[], [], []])
    case = case_of({"net": net, "rank": [1, 1, 1], "owner": ["a", "a", "b"],
                    "capacity": dict.fromkeys(OWNERS, 1.0), "release": 0})
    simple, tight = taskjuggler._bounds(case, [2])
    assert (simple, tight) == (8, 9)  # the chain says 5 and a's load 8; a's work then b's day says 9
    assert max(slot.due for slot in case.result.slots) + 1 == 9
