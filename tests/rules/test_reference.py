"""The rule semantics, as the reference evaluator defines them (the engine must agree)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from strategies import conditions, fact_dicts

from generator.rules.meaning.derived_order import Level, schedule
from generator.rules.meaning.reference import evaluate_reference, explain, holds
from generator.rules.meaning.results import Match, RuleError
from generator.rules.meaning.semantics import matched
from generator.rules.model import Action, All, Any_, Condition, Leaf, Not, Rule, rule_from_data


def rule(rid: str, when: Condition | None, sets: dict[str, object] | None = None) -> Rule:
    return Rule(rid, rid, rid, when, Action(set=tuple((sets or {}).items())))


def fired(rules: list[Rule], facts: dict[str, object]) -> list[str]:
    return [f.rule for f in evaluate_reference(rules, facts).fired]


@pytest.mark.parametrize(
    ("op", "value", "actual", "expected"),
    [
        ("eq", "retail", "retail", True),
        ("eq", 1, 1.0, True),  # one number, two spellings
        ("eq", 1, True, False),  # a bool never equals a number
        ("eq", True, 1, False),
        ("eq", 1, "1", False),  # nor does a string
        ("eq", ("a",), ("a",), False),  # eq/ne never hold on a list fact (documented)
        ("ne", "a", "b", True),
        ("ne", 1, "a", False),  # comparing across kinds is false, for ne too
        ("ne", ("a",), ("b",), False),
        ("lt", 0.2, 0.15, True),
        ("lt", 0.2, "0.15", False),  # no "0.15" < 0.2
        ("lt", 2, True, False),  # bools are not ordered
        ("lt", True, False, False),
        ("le", "2026-02-01", "2026-01-31", True),  # ISO dates order as text
        ("gt", "a", "a!", True),  # code point order, prefixes included
        ("ge", "b", "中", True),
        ("in", ("saas", "retail"), "saas", True),
        ("in", ("1",), 1, False),
        ("in", (1,), True, False),
        ("in", ("a",), ("a",), False),  # a list is not one of the values
        ("in", "saas", "saas", True),  # a lone value counts as a list of one
        ("not_in", ("a",), "x", True),
        ("not_in", ("1",), 1, True),  # 1 is not the text "1"
        ("not_in", ("a",), ("x",), False),  # not_in needs a scalar fact
        ("contains", "a", ("b", "a"), True),
        ("contains", "a", "a", False),  # a text is not a list
        ("contains", "a", (), False),
        ("contains", 1, ("1",), False),
        ("contains_any", ("b", "a"), ("a",), True),
        ("contains_any", ("b",), ("a",), False),
        ("contains_any", (), ("a",), False),
        ("exists", True, 0, True),
        ("exists", False, 0, False),
    ],
)
def test_leaf_semantics(op: str, value: object, actual: object, expected: bool) -> None:
    assert holds(Leaf("x", op, value), {"x": actual}) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize("op", ["eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "contains"])
def test_an_absent_fact_makes_a_leaf_false_and_its_negation_true(op: str) -> None:
    leaf = Leaf("x", op, "a")  # type: ignore[arg-type]
    assert not holds(leaf, {"y": "a"})
    assert holds(Not(leaf), {"y": "a"})


def test_exists_tests_presence_only() -> None:
    assert holds(Leaf("x", "exists", True), {"x": False})
    assert holds(Leaf("x", "exists", False), {})
    assert not holds(Leaf("x", "exists", False), {"x": ()})


def test_connectives() -> None:
    yes, no = Leaf("x", "eq", 1), Leaf("x", "eq", 2)
    facts = {"x": 1}
    assert holds(All((yes, Not(no))), facts)
    assert not holds(All((yes, no)), facts)
    assert holds(Any_((no, yes)), facts)
    assert holds(All(()), facts) and not holds(Any_(()), facts)
    assert holds(None, facts)


def test_matched_lists_the_alternatives_that_held_and_negated_leaves() -> None:
    cond = All(
        (
            Leaf("kpis.complaint_rate", "gt", 0.03),
            Any_((Leaf("offering", "in", ("service", "both")), Leaf("channels", "contains", "x"))),
            Not(Leaf("risk", "eq", True)),
        )
    )
    facts = {"kpis.complaint_rate": 0.07, "offering": "both", "channels": ("y",)}
    assert matched(cond, facts) == (
        Match("kpis.complaint_rate", "gt", 0.03, 0.07),
        Match("offering", "in", ("service", "both"), "both"),
        Match("risk", "not eq", True, None),
    )


def test_explain_says_why_not() -> None:
    cond = All((Leaf("industry", "eq", "retail"), Leaf("team_size", "ge", 10)))
    why = explain(cond, {"industry": "retail", "team_size": 3})
    assert not why.held
    assert why.reasons == (Match("team_size", "ge", 10, 3),)
    # An `any` fails when every alternative fails: all of them are the reason.
    why = explain(Any_((Leaf("a", "eq", 1), Leaf("b", "eq", 2))), {"a": 0})
    assert why.reasons == (Match("a", "eq", 1, 0), Match("b", "eq", 2, None))
    # Under `not`, leaves that held are what made it fail.
    why = explain(Not(All((Leaf("a", "eq", 1), Leaf("b", "eq", 2)))), {"a": 1, "b": 2})
    assert why.reasons == (Match("a", "not eq", 1, 1), Match("b", "not eq", 2, 2))


@settings(max_examples=300, deadline=None)
@given(cond=conditions, facts=fact_dicts)
def test_explain_agrees_with_holds_and_matched(cond: Condition, facts: dict[str, object]) -> None:
    why = explain(cond, facts)
    assert why.held == holds(cond, facts)
    assert why.held == holds(Not(Not(cond)), facts) != holds(Not(cond), facts)
    if why.held:
        assert matched(cond, facts) == why.reasons


def test_rules_without_when_always_fire_with_nothing_matched() -> None:
    result = evaluate_reference([rule("baseline", None)], {})
    assert [(f.rule, f.matched) for f in result.fired] == [("baseline", ())]


def test_rule_from_data_reads_the_yaml_form() -> None:
    data = {
        "id": "cs-high-complaints",
        "title": {"zh": "投诉率偏高", "en": "Complaint rate is high"},
        "when": {"any": [{"fact": "offering", "in": ["service", "both"]}, {"not": {"fact": "x", "exists": True}}]},
        "then": {"include": ["a"], "exclude": ["b"], "priority": "high", "set": {"risk": True}},
    }
    built = rule_from_data(data, layer="clients/acme", location=("r.yaml", 3, 5))
    assert built == Rule(
        "cs-high-complaints",
        "投诉率偏高",
        "Complaint rate is high",
        Any_((Leaf("offering", "in", ("service", "both")), Not(Leaf("x", "exists", True)))),
        Action(("a",), ("b",), "high", (("risk", True),)),
        "clients/acme",
        ("r.yaml", 3, 5),
    )
    hash(built)  # frozen all the way down


# Forward chaining ---------------------------------------------------------------


def test_derived_facts_chain_and_fired_rules_keep_definition_order() -> None:
    rules = [
        rule("third", Leaf("b", "eq", True), {"c": "high"}),
        rule("first", Leaf("industry", "eq", "retail"), {"a": True}),
        rule("second", Leaf("a", "eq", True), {"b": True}),
    ]
    result = evaluate_reference(rules, {"industry": "retail"})
    assert [f.rule for f in result.fired] == ["third", "first", "second"]
    assert result.derived == (("a", True), ("b", True), ("c", "high"))
    assert result.fired[0].matched == (Match("b", "eq", True, True),)


def test_a_negated_derived_fact_is_read_only_once_final() -> None:
    # "quiet" must not fire on the way, before "risky" has set risk.
    rules = [
        rule("quiet", Not(Leaf("risk", "exists", True)), {"calm": True}),
        rule("risky", Leaf("complaints", "gt", 3), {"risk": True}),
    ]
    assert fired(rules, {"complaints": 5}) == ["risky"]
    assert fired(rules, {"complaints": 1}) == ["quiet"]
    assert fired(list(reversed(rules)), {"complaints": 5}) == ["risky"]


def test_levels_follow_dependencies_and_cycles_share_one() -> None:
    rules = [
        rule("uses-b", Leaf("b", "exists", True)),
        rule("a-from-b", Leaf("b", "exists", True), {"a": 1}),
        rule("b-from-a", Leaf("a", "exists", True), {"b": 1}),
        rule("base", None, {"c": 1}),
        rule("uses-c", Leaf("c", "exists", True)),
    ]
    # The cycle depends on nothing outside it, so it comes first with "base"; both
    # readers come after it, together.
    assert schedule(rules) == (
        Level((3,), False),
        Level((1, 2), True),
        Level((0, 4), False),
    )


def test_a_positive_cycle_settles() -> None:
    rules = [
        rule("a", Any_((Leaf("seed", "eq", 1), Leaf("b", "eq", True))), {"a": True}),
        rule("b", Leaf("a", "eq", True), {"b": True}),
    ]
    assert fired(rules, {"seed": 1}) == ["a", "b"]
    assert fired(rules, {}) == []


@pytest.mark.parametrize(
    "rules",
    [
        [
            rule("x-unless-y", Not(Leaf("y", "exists", True)), {"x": True}),
            rule("y-if-x", Leaf("x", "exists", True), {"y": True}),
        ],
        [rule("flip", Not(Leaf("x", "exists", True)), {"x": True})],
    ],
    ids=["two-rules", "self"],
)
def test_a_cycle_that_never_settles_is_an_error_naming_its_rules(rules: list[Rule]) -> None:
    with pytest.raises(RuleError, match="never settle") as error:
        evaluate_reference(rules, {})
    assert all(r.id in str(error.value) for r in rules)


def test_conflicting_derived_values_are_an_error_naming_both_rules() -> None:
    rules = [rule("hot", None, {"risk": "high"}), rule("cold", None, {"risk": "low"})]
    with pytest.raises(RuleError, match="rules hot and cold set fact risk"):
        evaluate_reference(rules, {})
    # One value, two spellings, is no conflict; True and 1 are two values.
    assert fired([rule("a", None, {"n": 1}), rule("b", None, {"n": 1.0})], {}) == ["a", "b"]
    with pytest.raises(RuleError):
        evaluate_reference([rule("a", None, {"n": 1}), rule("b", None, {"n": True})], {})


def test_a_rule_contradicting_a_client_fact_is_an_error() -> None:
    with pytest.raises(RuleError, match=r"rule sets-size sets fact team_size .* client's facts"):
        evaluate_reference([rule("sets-size", None, {"team_size": 5})], {"team_size": 3})
    assert fired([rule("same", None, {"team_size": 3})], {"team_size": 3}) == ["same"]
