"""One client's facts as the JSON fact a shard reads: the per-evaluation hot path.

The usual types go straight to text through a table; anything else (subclasses,
out-of-range numbers, unsupported values) takes the slow path, which checks it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from generator.rules.durable.values import END, MAX_INT, MAX_TEXT, LimitError, Slot, check_value, dumps, hex_text, quote
from generator.rules.meaning.results import FactError

_LAST_ITEM = quote(END) + "]"


def fact_json(slots: Sequence[Slot], facts: Mapping[str, object], sid: str) -> str:
    """One complete fact for one durable session: every path the shard reads."""
    parts = ['{"t":"c","sid":"', sid, '"']
    get = facts.get
    for slot in slots:
        value = get(slot.path)
        if value is None:
            continue
        try:
            _WRITERS.get(type(value), _other)(slot, value, parts)
        except LimitError as error:
            raise FactError(slot.path, str(error), error.hint) from None
        except UnicodeEncodeError:  # met where text is written out as UTF-8 hex, past the fast path's checks
            raise FactError(slot.path, "text with a lone surrogate (not a character)", "remove it") from None
        if slot.p is not None:
            parts.append(slot.flag)
    parts.append("}")
    return "".join(parts)


def _text(slot: Slot, value: str, parts: list[str]) -> None:
    if len(value) > MAX_TEXT or value == END:
        check_value(value)  # raises, saying why
    parts += (slot.s_key, quote(value))
    if slot.o is not None:
        parts += (slot.o_key, '"', hex_text(value), '"')


def _bool(slot: Slot, value: bool, parts: list[str]) -> None:
    parts += (slot.b_key, "true" if value else "false")


def _int(slot: Slot, value: int, parts: list[str]) -> None:
    if not -MAX_INT <= value <= MAX_INT:
        check_value(value)
    parts += (slot.n_key, int.__repr__(value))  # the number, also for an IntEnum


def _float(slot: Slot, value: float, parts: list[str]) -> None:
    if not math.isfinite(value):
        check_value(value)
    parts += (slot.n_key, dumps(value))


def _list(slot: Slot, value: Sequence[Any], parts: list[str]) -> None:
    if not all(type(item) is str and len(item) <= MAX_TEXT and item != END for item in value):
        check_value(value)  # raises, saying why; subclasses of str pass
    # Every list ends with END, so "every item differs from x" also holds for [].
    parts += (slot.l_key, "[", *[quote(item) + "," for item in value], _LAST_ITEM)


def _other(slot: Slot, value: object, parts: list[str]) -> None:
    kind = check_value(value)  # subclasses of the usual types pass, the rest raise
    if kind == "s":
        _text(slot, str.__str__(value), parts)  # the text itself, not str() of an Enum
    elif kind == "n":
        _WRITERS[float if isinstance(value, float) else int](slot, value, parts)
    else:
        _WRITERS[bool if kind == "b" else tuple](slot, value, parts)


_WRITERS: dict[type, Callable[[Slot, Any, list[str]], None]] = {
    str: _text,
    bool: _bool,
    int: _int,
    float: _float,
    tuple: _list,
    list: _list,
}
