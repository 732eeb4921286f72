"""`semantics.matched`, compiled: one closure per rule, built once per engine.

The engine explains every fired rule of every evaluation; walking the condition with
isinstance dispatch cost about as much as a third of durable's own work. The closures
compute exactly what `matched` does (the differential test compares the two).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from generator.rules.meaning.results import Match
from generator.rules.meaning.semantics import leaf_holds
from generator.rules.model import Condition, Leaf, fold

Facts = Mapping[str, object]
Tester = Callable[[Facts], bool]  # holds(part, facts), negated where the part is
Prover = Callable[[Facts, list[Match]], None]  # adds the leaves of a part known to hold


def prover(cond: Condition | None) -> Callable[[Facts], tuple[Match, ...]]:
    """matched(cond, facts) for a condition known to hold."""
    if cond is None:
        return lambda facts: ()
    _, prove = fold(cond, _leaf, _join)

    def run(facts: Facts) -> tuple[Match, ...]:
        found: list[Match] = []
        prove(facts, found)
        return tuple(found)

    return run


def _leaf(leaf: Leaf, negated: bool) -> tuple[Tester, Prover]:
    fact, op, value = leaf.fact, f"not {leaf.op}" if negated else leaf.op, leaf.value
    if negated:
        def test(facts: Facts) -> bool:
            return not leaf_holds(leaf, facts)
    else:
        def test(facts: Facts) -> bool:
            return leaf_holds(leaf, facts)
    return test, lambda facts, found: found.append(Match(fact, op, value, facts.get(fact)))


def _join(conjunctive: bool, parts: Iterator[tuple[Tester, Prover]]) -> tuple[Tester, Prover]:
    alternatives = list(parts)
    tests = [test for test, _ in alternatives]
    if conjunctive:  # a conjunction that holds: every child holds
        provers = [prove for _, prove in alternatives]

        def every(facts: Facts, found: list[Match]) -> None:
            for prove in provers:
                prove(facts, found)

        return (lambda facts: all(test(facts) for test in tests)), every

    def held(facts: Facts, found: list[Match]) -> None:
        for test, prove in alternatives:
            if test(facts):
                prove(facts, found)

    return (lambda facts: any(test(facts) for test in tests)), held
