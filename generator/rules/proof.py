"""`semantics.matched`, compiled: one closure per rule, built once per engine.

The engine explains every fired rule of every evaluation; walking the condition with
isinstance dispatch cost about as much as a third of durable's own work. The closures
compute exactly what `matched` does (the differential test compares the two).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from generator.rules.model import All, Condition, Leaf, Not
from generator.rules.results import Match
from generator.rules.semantics import leaf_holds

Facts = Mapping[str, object]
Tester = Callable[[Facts], bool]
Prover = Callable[[Facts, list[Match]], None]


def prover(cond: Condition | None) -> Callable[[Facts], tuple[Match, ...]]:
    """matched(cond, facts) for a condition known to hold."""
    if cond is None:
        return lambda facts: ()
    prove = _prover(cond, False)

    def run(facts: Facts) -> tuple[Match, ...]:
        found: list[Match] = []
        prove(facts, found)
        return tuple(found)

    return run


def _prover(cond: Condition, negated: bool) -> Prover:
    if isinstance(cond, Leaf):
        fact, op, value = cond.fact, f"not {cond.op}" if negated else cond.op, cond.value
        return lambda facts, found: found.append(Match(fact, op, value, facts.get(fact)))
    if isinstance(cond, Not):
        return _prover(cond.child, not negated)
    if isinstance(cond, All) != negated:  # a conjunction that holds: every child holds
        provers = [_prover(child, negated) for child in cond.children]

        def every(facts: Facts, found: list[Match]) -> None:
            for prove in provers:
                prove(facts, found)

        return every
    alternatives = [(_tester(child, negated), _prover(child, negated)) for child in cond.children]

    def held(facts: Facts, found: list[Match]) -> None:
        for test, prove in alternatives:
            if test(facts):
                prove(facts, found)

    return held


def _tester(cond: Condition, negated: bool) -> Tester:
    """holds(cond, facts) != negated."""
    if isinstance(cond, Leaf):
        leaf = cond
        return (lambda facts: not leaf_holds(leaf, facts)) if negated else (lambda facts: leaf_holds(leaf, facts))
    if isinstance(cond, Not):
        return _tester(cond.child, not negated)
    tests = [_tester(child, negated) for child in cond.children]
    if isinstance(cond, All) != negated:
        return lambda facts: all(test(facts) for test in tests)
    return lambda facts: any(test(facts) for test in tests)
