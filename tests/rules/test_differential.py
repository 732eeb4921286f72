"""Both back ends agree with the reference evaluator, and so with each other, on random
rules and facts.

Each example draws a rule set, compiles it once for each back end, and checks several fact
dicts against them (fired rules, matched leaves, derived facts, and raising RuleError alike).
Half the examples compile under a tiny budget, so splitting a condition into several
durable rules and spreading rules over many rulesets get exercised as well.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import fact_dicts, rule_sets

from generator.rules.backends import durable_available
from generator.rules.durable.splitting import DURABLE, Budget
from generator.rules.meaning.reference import evaluate_reference
from generator.rules.meaning.results import Evaluation, RuleError
from generator.rules.model import Rule
from generator.rules.python.level_functions import PythonEngine

if TYPE_CHECKING:
    from generator.rules.durable.engine import Engine

TINY = Budget(paths=2, groups=2, links=6, tests=10)


def outcome(evaluate: Callable[..., Evaluation], *args: object) -> Evaluation | str:
    try:
        return evaluate(*args)
    except RuleError:
        return "RuleError"


def check(engine: Engine | None, python: PythonEngine, rules: Sequence[Rule], facts: Mapping[str, object]) -> None:
    expected = outcome(evaluate_reference, rules, facts)
    if engine is not None:
        assert outcome(engine.evaluate, facts) == expected, ("durable", rules, facts)
    assert outcome(python.evaluate, facts) == expected, ("python", rules, facts)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rule_sets(), facts=st.lists(fact_dicts, min_size=1, max_size=8), tiny=st.booleans())
def test_engines_agree_with_reference(rules: tuple[Rule, ...], facts: list[dict[str, object]], tiny: bool) -> None:
    python = PythonEngine(rules)
    if not durable_available():  # a Python durable_rules does not run on: the pure-Python back end alone
        for one in facts:
            check(None, python, rules, one)
        return
    from generator.rules.durable.engine import Engine

    try:
        engine = Engine(rules, budget=TINY if tiny else DURABLE)
    except RuleError as error:
        # Only the tiny budget may refuse a condition (too many tests joined by `all`).
        assert tiny and ("split the rule" in str(error) or "simplify" in str(error)), error
        for one in facts:  # the pure-Python back end has no such limit
            assert outcome(python.evaluate, one) == outcome(evaluate_reference, rules, one), (rules, one)
        return
    try:
        for one in facts:
            check(engine, python, rules, one)
    finally:
        engine.close()
