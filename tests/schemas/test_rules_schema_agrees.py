"""The rules schema holds conditions to the shape `opsbook validate` holds them to, its operator part
comes from the operator table, and it never refuses a rule file opsbook accepts. (Which facts,
steps and items exist is the KB's to say: the schema leaves cross-references to `validate`.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from generator.core.errors import OpsbookError
from generator.kb import schema
from generator.kb.loader import Document, load_yaml
from generator.kb.validate import validate_kb
from generator.rules.operators import schema_properties
from generator.rules.rule_checks import RuleChecker

ROOT = Path(__file__).parents[2]
SHIPPED = json.loads((ROOT / "generator" / "schemas" / "rules.schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SHIPPED)
KB = validate_kb(ROOT / "kb").kb
assert KB is not None


def schema_accepts(data: Any) -> bool:
    return VALIDATOR.is_valid(data)


def opsbook_accepts(data: Any) -> bool:
    """What `opsbook validate` says of a rule file in rules/base/: its schema check, then the rule checker."""
    doc = Document("rules/base/r.yaml", data)
    if schema.check(doc, "rules"):
        return False
    rules = data.get("rules") or []
    return not RuleChecker(KB, set()).run([(doc, ("rules", i)) for i in range(len(rules))])


def _file(when: Any) -> dict[str, Any]:
    return {"rules": [{"id": "r", "title": {"zh": "规则", "en": "Rule"}, "when": when, "then": {"priority": "high"}}]}


def test_the_operator_part_is_the_operator_table() -> None:
    properties = SHIPPED["$defs"]["condition"]["properties"]
    assert {k: v for k, v in properties.items() if k not in ("all", "any", "not", "fact")} == schema_properties()


SHAPES = {
    "a fact test": ({"fact": "stage", "eq": "growth"}, True),
    "two operators": ({"fact": "stage", "eq": "growth", "ne": "idea"}, False),
    "no operator": ({"fact": "stage"}, False),
    "no fact": ({"eq": "growth"}, False),
    "nothing": ({}, False),
    "all and any": ({"all": [{"fact": "stage", "eq": "growth"}], "any": [{"fact": "stage", "eq": "idea"}]}, False),
    "all with an operator beside it": ({"all": [{"fact": "stage", "eq": "growth"}], "eq": "idea"}, False),
    "not with a fact beside it": ({"not": {"fact": "stage", "eq": "growth"}, "fact": "stage"}, False),
    "an empty all": ({"all": []}, False),
    "nested": ({"not": {"any": [{"fact": "channels", "contains": "online_store"}, {"fact": "kpis.nps", "lt": 0}]}},
               True),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_schema_and_validate_agree_on_the_shape_of_conditions(shape: str) -> None:
    when, accepted = SHAPES[shape]
    assert opsbook_accepts(_file(when)) == accepted
    assert schema_accepts(_file(when)) == accepted


_LEAVES = [{"fact": "stage", "eq": "growth"}, {"fact": "kpis.nps", "gt": 10},
           {"fact": "channels", "contains": "online_store"}, {"fact": "industry", "in": ["retail", "saas"]},
           {"fact": "has_production", "exists": True}]

# Ways to break a fact test's shape without making it wrong for the KB (which the schema cannot know).
_MUTATIONS = {
    "none": lambda leaf: leaf,
    "second operator": lambda leaf: {**leaf, "exists": True} if "exists" not in leaf else {**leaf, "eq": True},
    "no operator": lambda leaf: {"fact": leaf["fact"]},
    "no fact": lambda leaf: {k: v for k, v in leaf.items() if k != "fact"},
    "connective beside": lambda leaf: {**leaf, "all": [_LEAVES[0]]},
}


def _conditions() -> st.SearchStrategy[Any]:
    leaves = st.builds(lambda leaf, how: _MUTATIONS[how](leaf), st.sampled_from(_LEAVES),
                       st.sampled_from(["none", "none", "none", *_MUTATIONS]))
    return st.recursive(leaves, lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
        st.builds(lambda x, op: {**x, op: True}, inner, st.sampled_from(["exists", "fact"]))), max_leaves=6)


@settings(max_examples=60, deadline=None)
@given(when=_conditions())
def test_generated_conditions_get_the_same_verdict(when: Any) -> None:
    assert schema_accepts(_file(when)) == opsbook_accepts(_file(when))


def _rule_files() -> list[Path]:
    return sorted([*(ROOT / "rules").rglob("*.yaml"), *(ROOT / "tests" / "validate").rglob("rules/**/*.yaml"),
                   *(ROOT / "tests" / "corpus" / "cases").glob("*/rules/**/*.yaml")])


def test_the_schema_never_refuses_what_validate_accepts() -> None:
    """Every rule file in the repository (the playbook's, the test playbooks', the corpus'): refused
    by the schema only where opsbook refuses it too."""
    checked = 0
    for path in _rule_files():
        if path.name == "overlay.yaml" or "tests" in path.relative_to(path.parents[2]).parts[:1]:
            continue
        try:  # read as opsbook reads it: a file its loader refuses (an alias bomb...) is no rule file to judge
            data = load_yaml(path).data
        except OpsbookError:
            continue
        if not isinstance(data, dict) or not ("rules" in data or "items" in data):
            continue
        checked += 1
        if not schema_accepts(data):
            assert not opsbook_accepts(data) or "items" in data, path
    assert checked >= 20
