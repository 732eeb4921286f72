"""What a condition means, in plain Python: the definition the compiled rules must match.

Comparisons are type-strict: a value's *kind* is bool, number, string or list, and a
leaf comparing two kinds is false (so `True` never equals `1` and `"0.15"` is never
less than `0.2`). eq/ne/lt/le/gt/ge and in/not_in need a scalar fact; on a list fact
they are false. An absent fact makes every leaf false except `exists: false`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from generator.rules.model import OPS, All, Condition, Leaf, Not
from generator.rules.results import Match

Facts = Mapping[str, object]
SCALARS = frozenset("bns")
ORDERED = frozenset("ns")


_KINDS: dict[type, str] = {bool: "b", int: "n", float: "n", str: "s", tuple: "l", list: "l"}


def kind(value: object) -> str | None:
    """The kind letter: "b" bool, "n" number, "s" string, "l" list; None otherwise."""
    found = _KINDS.get(type(value))  # the common case, without the isinstance chain
    return found if found is not None else _subclass_kind(value)


def _subclass_kind(value: object) -> str | None:
    if isinstance(value, bool):
        return "b"
    if isinstance(value, int | float):
        return "n"
    if isinstance(value, str):
        return "s"
    if isinstance(value, tuple | list):
        return "l"
    return None


def same(a: object, b: object) -> bool:
    """Scalar equality without cross-kind truthiness."""
    k = kind(a)
    return k in SCALARS and k == kind(b) and a == b


def values(leaf: Leaf) -> tuple[object, ...]:
    """The listed values of an in/not_in/contains_any leaf (a lone scalar counts as one)."""
    return tuple(leaf.value) if isinstance(leaf.value, tuple | list) else (leaf.value,)


def _compare(test: Callable[[Any, Any], bool], kinds: frozenset[str]) -> Callable[[object, Leaf], bool]:
    def check(actual: object, leaf: Leaf) -> bool:
        k = kind(actual)
        return k in kinds and k == kind(leaf.value) and test(actual, leaf.value)

    return check


def _in(actual: object, leaf: Leaf) -> bool:
    return any(same(actual, v) for v in values(leaf))


def _not_in(actual: object, leaf: Leaf) -> bool:
    return kind(actual) in SCALARS and not _in(actual, leaf)


def _contains_any(actual: object, leaf: Leaf) -> bool:
    if kind(actual) != "l":
        return False
    items = cast(Sequence[object], actual)  # kind "l" is a tuple or list
    return any(same(item, v) for v in values(leaf) for item in items)


def _contains(actual: object, leaf: Leaf) -> bool:
    return _contains_any(actual, Leaf(leaf.fact, "contains_any", (leaf.value,)))


_TESTS: dict[str, Callable[[object, Leaf], bool]] = {
    "eq": _compare(operator.eq, SCALARS),
    "ne": _compare(operator.ne, SCALARS),
    "lt": _compare(operator.lt, ORDERED),
    "le": _compare(operator.le, ORDERED),
    "gt": _compare(operator.gt, ORDERED),
    "ge": _compare(operator.ge, ORDERED),
    "in": _in,
    "not_in": _not_in,
    "contains": _contains,
    "contains_any": _contains_any,
}


def leaf_holds(leaf: Leaf, facts: Facts) -> bool:
    actual = facts.get(leaf.fact)
    if leaf.op == "exists":
        return (actual is not None) == bool(leaf.value)
    return actual is not None and _TESTS[leaf.op](actual, leaf)


def holds(cond: Condition | None, facts: Facts) -> bool:
    """Whether a condition is true for these facts; no condition is always true."""
    if cond is None:
        return True
    if isinstance(cond, Leaf):
        return leaf_holds(cond, facts)
    if isinstance(cond, Not):
        return not holds(cond.child, facts)
    if isinstance(cond, All):
        return all(holds(child, facts) for child in cond.children)
    return any(holds(child, facts) for child in cond.children)


@dataclass(frozen=True)
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
    held, reasons = _explain(cond, facts, False)
    return Explanation(held, tuple(reasons))


def matched(cond: Condition | None, facts: Facts) -> tuple[Match, ...]:
    """The reasons of a condition known to hold: `explain(cond, facts).reasons`.

    The engine calls this for every fired rule, so it skips what holding implies:
    under a conjunction every child holds, and a leaf that holds needs no test.
    """
    found: list[Match] = []
    if cond is not None:
        _proof(cond, facts, False, found)
    return tuple(found)


_NEGATED = {op: f"not {op}" for op in OPS}


def _proof(cond: Condition, facts: Facts, negated: bool, found: list[Match]) -> None:
    if isinstance(cond, Leaf):
        op = _NEGATED[cond.op] if negated else cond.op
        found.append(Match(cond.fact, op, cond.value, facts.get(cond.fact)))
    elif isinstance(cond, Not):
        _proof(cond.child, facts, not negated, found)
    elif isinstance(cond, All) != negated:
        for child in cond.children:
            _proof(child, facts, negated, found)
    else:
        for child in cond.children:
            if holds(child, facts) != negated:
                _proof(child, facts, negated, found)


def _explain(cond: Condition, facts: Facts, negated: bool) -> tuple[bool, list[Match]]:
    # Walk as if `not` had been pushed down to the leaves (De Morgan), so every
    # reason is a leaf, marked "not " when it sits under an odd number of `not`s.
    if isinstance(cond, Leaf):
        op = f"not {cond.op}" if negated else cond.op
        held = leaf_holds(cond, facts) != negated
        return held, [Match(cond.fact, op, cond.value, facts.get(cond.fact))]
    if isinstance(cond, Not):
        return _explain(cond.child, facts, not negated)
    results = [_explain(child, facts, negated) for child in cond.children]
    conjunction = isinstance(cond, All) != negated
    held = all(r[0] for r in results) if conjunction else any(r[0] for r in results)
    # The children that agree with the outcome are the ones that decided it.
    return held, [m for ok, reasons in results if ok == held for m in reasons]
