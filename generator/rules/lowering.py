"""Conditions lowered to durable tests, with `not` compiled away.

durable's own negation depends on fact order, so `not` is pushed down to the leaves
(De Morgan) and each negated leaf is written positively: "absent, or present and
different", where "absent" is a not-exists test on the kind's own property (safe
because it is always ANDed after the test on the fact type, and each session holds
one complete fact).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from generator.rules.encoding import Slot, check_value, hex_text
from generator.rules.ir import FALSE, TRUE, Node, Test, conj, disj
from generator.rules.model import All, Condition, Leaf, Not
from generator.rules.semantics import ORDERED, SCALARS, kind, same, values

_DURABLE_OP = {"eq": "eq", "ne": "neq", "lt": "lt", "le": "lte", "gt": "gt", "ge": "gte"}
_OPPOSITE = {"eq": "neq", "neq": "eq", "lt": "gte", "lte": "gt", "gt": "lte", "gte": "lt"}


def lower(cond: Condition | None, slots: Mapping[str, Slot], negated: bool = False) -> Node:
    """The durable form of a condition (or of its negation); ValueError for bad constants."""
    if cond is None:
        return FALSE if negated else TRUE
    if isinstance(cond, Leaf):
        positive, negative = _leaf(cond, slots[cond.fact])
        return negative if negated else positive
    if isinstance(cond, Not):
        return lower(cond.child, slots, not negated)
    parts = [lower(child, slots, negated) for child in cond.children]
    return conj(parts) if isinstance(cond, All) != negated else disj(parts)


def _leaf(leaf: Leaf, slot: Slot) -> tuple[Node, Node]:
    """The leaf and its negation."""
    if leaf.op == "exists":
        assert slot.p is not None  # the compiler gives every `exists` path a flag
        present, absent = Test(slot.path, slot.p, "ex"), Test(slot.path, slot.p, "nex")
        return (present, absent) if bool(leaf.value) else (absent, present)
    if leaf.op in _DURABLE_OP:
        return _compare(slot, _DURABLE_OP[leaf.op], leaf.value)
    if leaf.op == "in":
        return _in(slot, values(leaf))
    if leaf.op == "not_in":
        return _not_in(slot, values(leaf))
    if leaf.op == "contains":
        return _contains_any(slot, (leaf.value,))
    return _contains_any(slot, values(leaf))


def _compare(slot: Slot, op: str, value: object) -> tuple[Node, Node]:
    k = kind(value)
    ordered = op not in ("eq", "neq")
    if k not in (ORDERED if ordered else SCALARS):
        return FALSE, TRUE  # another kind never compares (semantics.py)
    check_value(value)
    if ordered and k == "s":
        assert slot.o is not None  # the compiler gives every ordered-text path a hex copy
        prop, value = slot.o, hex_text(value)  # type: ignore[arg-type]  # kind "s"
    else:
        prop = slot.prop(str(k))
    test = Test(slot.path, prop, op, value)
    return test, _absent_or(slot, prop, Test(slot.path, prop, _OPPOSITE[op], value))


def _absent_or(slot: Slot, prop: str, test: Test) -> Node:
    # Exclusive: a property is either absent or present, never both.
    return disj((Test(slot.path, prop, "nex"), test), exclusive=True)


def _by_kind(listed: Iterable[object]) -> dict[str, list[object]]:
    """Listed scalars grouped by kind, without duplicates (1 and 1.0 are one value)."""
    groups: dict[str, list[object]] = {}
    for value in listed:
        k = kind(value)
        if k in SCALARS and not any(same(value, seen) for seen in groups.get(str(k), ())):
            check_value(value)
            groups.setdefault(str(k), []).append(value)
    return groups


def _in(slot: Slot, listed: tuple[object, ...]) -> tuple[Node, Node]:
    groups = _by_kind(listed)
    # Exclusive: one property holds one value, and only one kind is ever present.
    positive = disj((Test(slot.path, slot.prop(k), "eq", v) for k, vs in groups.items() for v in vs), True)
    negative = conj(_absent_or_none(slot, k, vs) for k, vs in groups.items())
    return positive, negative


def _not_in(slot: Slot, listed: tuple[object, ...]) -> tuple[Node, Node]:
    groups = _by_kind(listed)
    positive = disj((_none(slot, k, groups.get(k, [])) for k in sorted(SCALARS)), exclusive=True)
    no_scalar = conj(Test(slot.path, slot.prop(k), "nex") for k in sorted(SCALARS))
    negative = disj((no_scalar, _in(slot, listed)[0]))
    return positive, negative


def _none(slot: Slot, k: str, listed: list[object]) -> Node:
    """Present with kind k and equal to none of the listed values (of that kind)."""
    prop = slot.prop(k)
    if not listed:
        return Test(slot.path, prop, "ex")
    return conj(Test(slot.path, prop, "neq", v) for v in listed)


def _absent_or_none(slot: Slot, k: str, listed: list[object]) -> Node:
    return disj((Test(slot.path, slot.prop(k), "nex"), _none(slot, k, listed)), exclusive=True)


def _contains_any(slot: Slot, listed: tuple[object, ...]) -> tuple[Node, Node]:
    texts = _by_kind(listed).get("s", [])
    positive = disj(Test(slot.path, slot.l, "iany", v) for v in texts)
    every_item_differs = conj(Test(slot.path, slot.l, "iall", v) for v in texts)
    return positive, disj((Test(slot.path, slot.l, "nex"), every_item_differs), exclusive=True)
