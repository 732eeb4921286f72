"""`semantics.matched`, compiled: one closure per rule, built once per engine.

The engine explains every fired rule of every evaluation; walking the condition with
isinstance dispatch cost about as much as a third of durable's own work. The closures
compute exactly what `matched` does (the differential test compares the two).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from generator.rules.meaning.results import Match
from generator.rules.meaning.semantics import leaf_holds
from generator.rules.model import Condition, Leaf, Rule, fold

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


class Provers:
    """prover(rule.when) of each rule, each built the first time its rule fires: a plan fires a
    fraction of the rules, and building them all cost a cold start some milliseconds."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._rules = rules
        self._built: dict[int, Callable[[Facts], tuple[Match, ...]]] = {}

    def matched(self, index: int, facts: Facts) -> tuple[Match, ...]:
        """matched(rules[index].when, facts), for the rule at `index`, known to have fired."""
        prove = self._built.get(index)
        if prove is None:  # two threads may both build it: the same closure, either kept
            prove = self._built[index] = prover(self._rules[index].when)
        return prove(facts)


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
