"""One leaf as durable tests: the test that holds when the leaf does, and the one for its negation.

durable's own negation depends on fact order, so each negated leaf is written positively:
"absent, or present and different", where "absent" is a not-exists test on the kind's own
property (safe because it is always ANDed after the test on the fact type, and each session
holds one complete fact). The operator table (operators.py) says which of these each
operator lowers to; a constant durable cannot hold faithfully raises LimitError.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.rules.durable.nodes import FALSE, TRUE, Node, Test, conj, disj
from generator.rules.durable.values import Slot, check_value, hex_text
from generator.rules.kinds import ORDERED, SCALARS, kind, same

Lowered = tuple[Node, Node]  # the leaf's test, and its negation's
_OPPOSITE = {"eq": "neq", "neq": "eq", "lt": "gte", "lte": "gt", "gt": "lte", "gte": "lt"}


def present(slot: Slot, wanted: bool) -> Lowered:
    """`exists`: the fact's present-flag set (or not)."""
    assert slot.p is not None  # the compiler gives every `exists` path a flag
    there, absent = Test(slot.path, slot.p, "ex"), Test(slot.path, slot.p, "nex")
    return (there, absent) if wanted else (absent, there)


def compare(slot: Slot, op: str, value: object) -> Lowered:
    """A durable comparison (`eq neq lt lte gt gte`) of the fact with one value of its kind."""
    k = kind(value)
    ordered = op not in ("eq", "neq")
    if k not in (ORDERED if ordered else SCALARS):
        return FALSE, TRUE  # another kind never compares (kinds.py)
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


def _by_kind(values: Iterable[object]) -> dict[str, list[object]]:
    """Listed scalars grouped by kind, without duplicates (1 and 1.0 are one value)."""
    groups: dict[str, list[object]] = {}
    for value in values:
        k = kind(value)
        if k in SCALARS and not any(same(value, seen) for seen in groups.get(str(k), ())):
            check_value(value)
            groups.setdefault(str(k), []).append(value)
    return groups


def one_of(slot: Slot, values: tuple[object, ...]) -> Lowered:
    """`in`: the fact equals one of the values."""
    groups = _by_kind(values)
    # Exclusive: one property holds one value, and only one kind is ever present.
    positive = disj((Test(slot.path, slot.prop(k), "eq", v) for k, vs in groups.items() for v in vs), True)
    negative = conj(_absent_or_none(slot, k, vs) for k, vs in groups.items())
    return positive, negative


def none_of(slot: Slot, values: tuple[object, ...]) -> Lowered:
    """`not_in`: the fact is a scalar equal to none of the values."""
    groups = _by_kind(values)
    positive = disj((_none(slot, k, groups.get(k, [])) for k in sorted(SCALARS)), exclusive=True)
    no_scalar = conj(Test(slot.path, slot.prop(k), "nex") for k in sorted(SCALARS))
    negative = disj((no_scalar, one_of(slot, values)[0]))
    return positive, negative


def _none(slot: Slot, k: str, values: list[object]) -> Node:
    """Present with kind k and equal to none of the listed values (of that kind)."""
    prop = slot.prop(k)
    if not values:
        return Test(slot.path, prop, "ex")
    return conj(Test(slot.path, prop, "neq", v) for v in values)


def _absent_or_none(slot: Slot, k: str, values: list[object]) -> Node:
    return disj((Test(slot.path, slot.prop(k), "nex"), _none(slot, k, values)), exclusive=True)


def has_any(slot: Slot, values: tuple[object, ...]) -> Lowered:
    """`contains`, `contains_any`: some item of the list fact equals one of the values."""
    texts = _by_kind(values).get("s", [])
    positive = disj(Test(slot.path, slot.l, "iany", v) for v in texts)
    every_item_differs = conj(Test(slot.path, slot.l, "iall", v) for v in texts)
    return positive, disj((Test(slot.path, slot.l, "nex"), every_item_differs), exclusive=True)
