"""An object held in several places (a plan's reasons, shared by the items they put in the plan) is
written once per indentation and reused: the text stays json.dumps(ensure_ascii=False, indent=2)'s."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.indented_json import dumps

LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
SHARED = st.dictionaries(st.text(max_size=3), st.one_of(LEAVES, st.lists(LEAVES, max_size=3)), min_size=1, max_size=3)


def _placed(shared: dict[str, object], depths: list[int]) -> list[object]:
    """The same dict object nested at each of `depths`."""
    placed: list[object] = []
    for depth in depths:
        value: object = shared
        for level in range(depth):
            value = [value] if level % 2 else {"k": value}
        placed.append(value)
    return placed


@settings(max_examples=200, deadline=None)
@given(SHARED, st.lists(st.integers(0, 4), min_size=2, max_size=6))
def test_a_shared_object_is_written_as_json_dumps_writes_it(shared: dict[str, object], depths: list[int]) -> None:
    value = {"a": _placed(shared, depths), "b": shared, "c": [shared, shared]}
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_a_plans_reasons_are_shared_and_written_as_json_dumps_writes_them(playbook: object) -> None:
    from pathlib import Path

    from generator.facts.client import facts_document, facts_from_document
    from generator.render.jsonplan import plan_to_dict

    facts = Path(__file__).parents[2] / "examples" / "coffee-chain.yaml"
    plan = playbook.plan(facts_from_document(facts_document(facts, "coffee"), playbook.kb))  # type: ignore[attr-defined]
    data = plan_to_dict(plan)
    because = [id(r) for item in data["items"] for r in item["because"]]
    assert len(set(because)) < len(because), "items that one rule put in the plan share its reason"
    assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2)


def test_a_cycle_is_still_refused() -> None:
    looped: dict[str, object] = {}
    looped["self"] = looped
    with pytest.raises(RecursionError):
        dumps(looped)
