"""The operator table drives everything that knows an operator: the rule schema, the checker,
both back ends (against the reference meaning), the wording in plans and on the site, the
why-not search and static reasoning. Adding an operator to generator/rules/operators.py
makes these tests ask for its sample below; nothing else should need to change."""

from __future__ import annotations

from typing import Any

import pytest

from generator.kb.loader import parse_yaml
from generator.kb.model import KB
from generator.kb.schema import load_schema
from generator.plan.wording import condition
from generator.rules.backends import durable_available
from generator.rules.logic import satisfiable
from generator.rules.meaning.reference import evaluate_reference
from generator.rules.meaning.semantics import holds
from generator.rules.model import OPS as MODEL_OPS
from generator.rules.model import Action, All, Any_, Leaf, Not, Rule, condition_from_data, fold, leaves_negated
from generator.rules.operators import NAMES, OPERATORS, Subject, says, schema_properties
from generator.rules.python.level_functions import PythonEngine
from generator.rules.rule_checks import OPS, OPS_BY_TYPE, RuleChecker
from generator.site.conditions import describe

# For each operator: a fact of the shipped KB it applies to, a value to test, a value of the
# fact that makes the leaf hold and one that makes it fail.
SAMPLES: dict[str, tuple[str, object, object, object]] = {
    "eq": ("industry", "retail", "retail", "saas"),
    "ne": ("industry", "retail", "saas", "retail"),
    "lt": ("team_size", 10, 9, 10),
    "le": ("team_size", 10, 10, 11),
    "gt": ("kpis.complaint_rate", 0.03, 0.07, 0.03),
    "ge": ("kpis.complaint_rate", 0.03, 0.03, 0.02),
    "in": ("industry", ("retail", "saas"), "saas", "education"),
    "not_in": ("industry", ("retail", "saas"), "education", "retail"),
    "contains": ("channels", "online_store", ("marketplace", "online_store"), ("marketplace",)),
    "contains_any": ("channels", ("online_store", "marketplace"), ("marketplace",), ("offline_store",)),
    "exists": ("kpis.nps", True, 12, None),
}
CONNECTIVES = ("all", "any", "not", "fact")


def test_every_operator_has_a_sample() -> None:
    assert tuple(SAMPLES) == NAMES == OPS == MODEL_OPS


def test_the_rule_schema_allows_exactly_the_operators_of_the_table() -> None:
    properties = load_schema("rules")["$defs"]["condition"]["properties"]
    operators = {key: value for key, value in properties.items() if key not in CONNECTIVES}
    assert list(operators) == list(NAMES)
    assert operators == schema_properties()


def _types(schema: object) -> list[object]:
    """Every `type` keyword in a schema, however deep."""
    if isinstance(schema, dict):
        return [*([schema["type"]] if "type" in schema else []), *(t for v in schema.values() for t in _types(v))]
    if isinstance(schema, list):
        return [t for v in schema for t in _types(v)]
    return []


@pytest.mark.parametrize("op", NAMES)
def test_each_operator_schema_states_one_type_per_keyword(op: str) -> None:
    """ajv's strict mode refuses a union `type` (["number", "string"]): alternatives are an anyOf."""
    assert all(isinstance(t, str) for t in _types(dict(OPERATORS[op].schema)))


def _check(kb: KB, fact: str, op: str, value: object) -> list[str]:
    shown = value if not isinstance(value, tuple) else list(value)
    text = f"rules:\n  - id: r\n    title: {{zh: 规则, en: Rule}}\n    when: {{fact: {fact}, {op}: {_yaml(shown)}}}\n" \
           "    then: {priority: high}\n"
    doc = parse_yaml(text, "rules/base/r.yaml")
    return [p.message for p in RuleChecker(kb, set()).run([(doc, ("rules", 0))])]


def _yaml(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    return "true" if value is True else str(value)


@pytest.mark.parametrize("op", NAMES)
def test_the_checker_accepts_each_operator_on_its_types_only(playbook: Any, op: str) -> None:
    kb: KB = playbook.kb
    fact, value, _, _ = SAMPLES[op]
    assert _check(kb, fact, op, value) == []
    for fact_type in OPS_BY_TYPE:
        example = next((f.id for f in kb.facts if f.type == fact_type), None)
        if example is None:
            continue
        refused = [m for m in _check(kb, example, op, value) if f"operator `{op}` does not apply" in m]
        assert bool(refused) == (fact_type not in OPERATORS[op].types), (op, fact_type, refused)
    assert {t for t, ops in OPS_BY_TYPE.items() if op in ops} == OPERATORS[op].types


def _fired(evaluate: Any, rules: tuple[Rule, ...], facts: dict[str, object]) -> bool:
    return bool(evaluate(rules, facts).fired) if evaluate is evaluate_reference else bool(evaluate(facts).fired)


@pytest.mark.parametrize("op", NAMES)
@pytest.mark.parametrize("negated", [False, True])
def test_both_back_ends_evaluate_each_operator_as_its_test(op: str, negated: bool) -> None:
    fact, value, good, bad = SAMPLES[op]
    leaf = Leaf(fact, op, value)
    rules = (Rule("r", "规则", "Rule", Not(leaf) if negated else leaf, Action(priority="high")),)
    engines: list[Any] = [PythonEngine(rules)]
    if durable_available():
        from generator.rules.durable.engine import Engine

        engines.append(Engine(rules))
    # Odd values too: another kind, a list for a scalar, absent.
    for actual in (good, bad, None, "0.03", True, 1, ("retail",)):
        facts = {} if actual is None else {fact: actual}
        expected = OPERATORS[op].test(actual, value) != negated
        assert holds(rules[0].when, facts) == expected, (op, actual)
        assert _fired(evaluate_reference, rules, facts) == expected
        for engine in engines:
            assert bool(engine.evaluate(facts).fired) == expected, (engine.name, op, actual)
    assert OPERATORS[op].test(good, value) and not OPERATORS[op].test(bad, value)
    for engine in engines:
        engine.close()


@pytest.mark.parametrize("op", NAMES)
def test_each_operator_has_words_in_both_languages(playbook: Any, op: str) -> None:
    fact, value, good, bad = SAMPLES[op]
    for negated in (False, True):
        zh, en = says(op, negated)
        assert zh and en and zh != en
        site_zh = describe(Not(Leaf(fact, op, value)) if negated else Leaf(fact, op, value), playbook.kb, "zh")
        site_en = describe(Not(Leaf(fact, op, value)) if negated else Leaf(fact, op, value), playbook.kb, "en")
        assert zh.split(" ")[0].split("{")[0] in site_zh and en.split(" {")[0] in site_en, (site_zh, site_en)
    held = condition(fact, op, value, good)
    failed = condition(fact, f"not {op}", value, bad)
    assert held.startswith(fact) and failed.startswith(fact) and held != failed


@pytest.mark.parametrize("op", NAMES)
def test_why_not_tries_values_that_make_each_operator_hold_and_fail(playbook: Any, op: str) -> None:
    kb: KB = playbook.kb
    fact, value, _, _ = SAMPLES[op]
    declared = kb.fact_by_id.get(fact)
    kpi = kb.kpi_by_id.get(fact.removeprefix("kpis.")) if declared is None else None
    tried = list(OPERATORS[op].tries(value, Subject(None, declared, kpi)))
    assert any(OPERATORS[op].test(v, value) for v in tried), tried
    assert any(not OPERATORS[op].test(v, value) for v in tried), tried


@pytest.mark.parametrize("op", NAMES)
def test_static_reasoning_sees_a_leaf_and_its_negation_contradict(op: str) -> None:
    fact, value, _, _ = SAMPLES[op]
    leaf = Leaf(fact, op, value)
    assert satisfiable(leaf) is True
    assert satisfiable(All((leaf, Not(leaf)))) is False


def test_the_opposite_of_an_operator_holds_exactly_when_it_fails_on_a_given_fact() -> None:
    for op in OPERATORS.values():
        if op.opposite is None:
            continue
        _, value, good, bad = SAMPLES[op.name]
        opposite = OPERATORS[op.opposite]
        assert opposite.opposite == op.name
        for actual in (good, bad):
            assert opposite.test(actual, value) == (not op.test(actual, value))


def test_the_condition_visitor_pushes_not_down_to_the_leaves() -> None:
    cond = condition_from_data({"not": {"any": [{"fact": "a", "eq": 1}, {"not": {"fact": "b", "eq": 2}}]}})
    assert list(leaves_negated(cond)) == [(Leaf("a", "eq", 1), True), (Leaf("b", "eq", 2), False)]
    shape = fold(cond, lambda leaf, negated: f"{'!' if negated else ''}{leaf.fact}",
                 lambda conjunctive, parts: ("&" if conjunctive else "|").join(parts))
    assert shape == "!a&b"
    assert fold(Any_(()), lambda leaf, negated: True, lambda conjunctive, parts: all(parts) if conjunctive
                else any(parts)) is False


def test_the_kpi_targets_and_lint_take_the_cleared_side_of_a_flag_from_the_table() -> None:
    """A flag `kpi op level` is cleared on the far side of its level: the operator's opposite, whose
    bound is on the other side and open where the flag's is closed."""
    from generator.plan import lint, targets

    bounded = {name: op for name, op in OPERATORS.items() if op.bound is not None}
    assert set(bounded) == {"lt", "le", "gt", "ge"}
    for name, op in bounded.items():
        assert op.bound is not None and op.opposite is not None
        opposite = OPERATORS[op.opposite]
        assert opposite.bound == ({"low": "high", "high": "low"}[op.bound[0]], not op.bound[1])
        assert targets.NEGATED[name] == op.opposite
    assert set(targets.NEGATED) == set(bounded) and lint.NEGATED is targets.NEGATED
    assert set(targets.RAISE) == {name for name, op in bounded.items() if op.bound == ("low", op.bound[1])}


@pytest.mark.parametrize("op", NAMES)
def test_a_kpi_flag_sets_the_target_the_table_says(op: str) -> None:
    """Each operator with a bound flags a KPI and sets the opposite as its target; the others flag none."""
    from generator.plan.model import Reason
    from generator.plan.targets import _flags
    from generator.rules.meaning.results import Match

    reason = Reason("r", "base", "Rule", (Match("kpis.complaint_rate", op, 0.03, 0.05),))
    found = [(flag.kpi, flag.op, flag.level) for flag in _flags(reason)]
    opposite = OPERATORS[op].opposite
    assert found == ([("complaint_rate", opposite, 0.03)] if OPERATORS[op].bound else [])
