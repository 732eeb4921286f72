"""The kinds of values a condition compares, which keep comparisons type-strict.

A value's *kind* is bool, number, string or list; a leaf comparing two kinds is false, so
`True` never equals `1` and `"0.15"` is never less than `0.2`. Every back end and the
operator table (operators.py) decide kinds here.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def listed(value: object) -> tuple[object, ...]:
    """The values an in/not_in/contains_any leaf lists (a lone scalar counts as one)."""
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def keyed(values: Iterable[object]) -> frozenset[tuple[str, object]]:
    """Scalar values with their kinds, so that membership is `same` (True is not 1)."""
    found = set()
    for value in values:
        k = kind(value)
        if k in SCALARS:
            found.add((k, value))
    return frozenset(found)
