"""The compiled engine agrees with the reference evaluator on random rules and facts.

Each example draws a rule set, compiles it once, and checks several fact dicts
against it (fired rules, matched leaves, derived facts, and raising RuleError alike).
Half the examples compile under a tiny budget, so splitting a condition into several
durable rules and spreading rules over many rulesets get exercised as well.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import fact_dicts, rule_sets

from generator.rules.engine import Engine
from generator.rules.model import Rule
from generator.rules.reference import evaluate_reference
from generator.rules.results import Evaluation, RuleError
from generator.rules.splitting import DURABLE, Budget

TINY = Budget(paths=2, groups=2, links=6, tests=10)


def outcome(evaluate: Callable[..., Evaluation], *args: object) -> Evaluation | str:
    try:
        return evaluate(*args)
    except RuleError:
        return "RuleError"


def check(engine: Engine, rules: Sequence[Rule], facts: Mapping[str, object]) -> None:
    expected = outcome(evaluate_reference, rules, facts)
    assert outcome(engine.evaluate, facts) == expected, (rules, facts)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rule_sets(), facts=st.lists(fact_dicts, min_size=1, max_size=8), tiny=st.booleans())
def test_engine_agrees_with_reference(rules: tuple[Rule, ...], facts: list[dict[str, object]], tiny: bool) -> None:
    try:
        engine = Engine(rules, budget=TINY if tiny else DURABLE)
    except RuleError as error:
        # Only the tiny budget may refuse a condition (too many tests joined by `all`).
        assert tiny and ("split the rule" in str(error) or "simplify" in str(error)), error
        return
    try:
        for one in facts:
            check(engine, rules, one)
    finally:
        engine.close()
