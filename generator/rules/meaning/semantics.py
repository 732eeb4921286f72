"""What a condition means, in plain Python: the definition the compiled rules must match.

Comparisons are type-strict: a value's *kind* is bool, number, string or list, and a
leaf comparing two kinds is false (so `True` never equals `1` and `"0.15"` is never
less than `0.2`; kinds.py). Each operator's meaning is its `test` in operators.py.
eq/ne/lt/le/gt/ge and in/not_in need a scalar fact; on a list fact
they are false. An absent fact makes every leaf false except `exists: false`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from generator.core.records import record
from generator.rules.meaning.results import Match
from generator.rules.model import Condition, Leaf, fold
from generator.rules.operators import NAMES, OPERATORS

Facts = Mapping[str, object]
_TESTS = {name: op.test for name, op in OPERATORS.items()}


def leaf_holds(leaf: Leaf, facts: Facts) -> bool:
    return _TESTS[leaf.op](facts.get(leaf.fact), leaf.value)


def holds(cond: Condition | None, facts: Facts) -> bool:
    """Whether a condition is true for these facts; no condition is always true."""
    if cond is None:
        return True
    return fold(cond, lambda leaf, negated: leaf_holds(leaf, facts) != negated, _all_or_any)


def _all_or_any(conjunctive: bool, parts: Iterator[bool]) -> bool:
    return all(parts) if conjunctive else any(parts)


@record
class Explanation:
    """Whether a condition held, and the leaves that decided it.

    When it held: the leaves that made it true (for an `any`, the alternatives that
    held). When it did not: the leaves that made it false, which answers "why not".
    """

    held: bool
    reasons: tuple[Match, ...]


def explain(cond: Condition | None, facts: Facts) -> Explanation:
    if cond is None:
        return Explanation(True, ())
    held, reasons = _explain(cond, facts)
    return Explanation(held, tuple(reasons))


def matched(cond: Condition | None, facts: Facts) -> tuple[Match, ...]:
    """The reasons of a condition known to hold: `explain(cond, facts).reasons`.

    Under a conjunction that holds every child holds, and of an alternative that holds
    the children that hold decided it: exactly the reasons `explain` gives.
    """
    return explain(cond, facts).reasons


_NEGATED = {op: f"not {op}" for op in NAMES}
Found = tuple[bool, list[Match]]  # whether a part held, and the leaves that decided it


def _explain(cond: Condition, facts: Facts) -> Found:
    # Walk as if `not` had been pushed down to the leaves (De Morgan), so every
    # reason is a leaf, marked "not " when it sits under an odd number of `not`s.
    def leaf(leaf: Leaf, negated: bool) -> Found:
        op = _NEGATED[leaf.op] if negated else leaf.op
        return leaf_holds(leaf, facts) != negated, [Match(leaf.fact, op, leaf.value, facts.get(leaf.fact))]

    return fold(cond, leaf, _decided)


def _decided(conjunctive: bool, parts: Iterator[Found]) -> Found:
    results = list(parts)
    held = all(r[0] for r in results) if conjunctive else any(r[0] for r in results)
    # The children that agree with the outcome are the ones that decided it.
    return held, [m for ok, reasons in results if ok == held for m in reasons]
