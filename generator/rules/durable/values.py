"""Facts and rule constants as the JSON durable_rules can read without loosening types.

Each fact path gets one durable property per kind (`s3`, `n3`, `b3`, `l3`), and a value
is sent only under the property of its own kind, so durable never compares a string
with a number or a bool with an int. We write the JSON ourselves: durable's parser
rejects or misreads Python's `1e-05` (an exponent needs a fraction: `1.0e-05`).
"""

from __future__ import annotations

import json.encoder
import math
from collections.abc import Mapping
from dataclasses import field

from generator.core.records import record
from generator.rules.kinds import kind

quote = json.encoder.encode_basestring  # escapes like json.dumps(ensure_ascii=False)

MAX_INT = 2**53  # durable compares ints with doubles; beyond this they round
MAX_TEXT = 8_000  # durable keeps string lengths in 16 bits; hex copies double them
END = "\x00opsbook:end"  # closes every list, so "no item equals x" also holds for []


@record
class Slot:
    """The durable properties of one fact path."""

    path: str
    s: str  # strings, compared for equality
    n: str  # numbers
    b: str  # bools
    l: str  # noqa: E741  # lists of strings; the name mirrors the kind letter
    o: str | None = None  # hex of the UTF-8 string, only for paths compared by order
    p: str | None = None  # present-flag, only for paths tested with `exists`
    # The JSON text before each value (`,"s3":`), made once: facts are written often.
    s_key: str = field(init=False, repr=False, compare=False)
    n_key: str = field(init=False, repr=False, compare=False)
    b_key: str = field(init=False, repr=False, compare=False)
    l_key: str = field(init=False, repr=False, compare=False)
    o_key: str = field(init=False, repr=False, compare=False)
    flag: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("s", "n", "b", "l", "o"):
            object.__setattr__(self, f"{name}_key", f',"{getattr(self, name)}":')
        object.__setattr__(self, "flag", f',"{self.p}":true' if self.p else "")

    def prop(self, value_kind: str) -> str:
        name: str = getattr(self, value_kind)
        return name


def hex_text(value: str) -> str:
    # durable orders strings with strncmp over raw JSON text, which gets "a" < "a!"
    # wrong (the closing quote is compared); hex digits sort above the quote, and
    # the hex of UTF-8 bytes sorts like the code points do.
    return value.encode("utf-8").hex()


class LimitError(ValueError):
    """A value durable_rules cannot represent faithfully: a limit of the engine, met by the input
    (a rule's constant, a fact), as opposed to a failure of the code. `hint` says how to stay
    within it, for messages about rule files."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint

    def advice(self) -> str:
        """The message with its hint: `integer … is beyond ±2**53: use …`."""
        return f"{self}: {self.hint}" if self.hint else str(self)


def check_value(value: object) -> str:
    """The kind of a value durable can represent faithfully, or LimitError."""
    k = kind(value)
    if k == "n":
        if isinstance(value, int) and abs(value) > MAX_INT:
            raise LimitError(f"integer {value} is beyond ±2**53", "use a number between -2**53 and 2**53")
        if isinstance(value, float) and not math.isfinite(value):
            raise LimitError(f"number {value} is not finite", "use a finite number")
    elif k == "s":
        _check_text(value)  # type: ignore[arg-type]  # kind "s" is a str
    elif k == "l":
        for item in value:  # type: ignore[attr-defined]  # kind "l" is a tuple or list
            if not isinstance(item, str):
                raise LimitError(f"list item {item!r} is not a string", "list items are text: quote them")
            _check_text(item)
    elif k is None:
        raise LimitError(f"unsupported value {value!r}", "use true or false, a number, text or a list of text")
    return k


def _check_text(value: str) -> None:
    if len(value) > MAX_TEXT:
        raise LimitError(f"text longer than {MAX_TEXT} characters", f"shorten it to {MAX_TEXT} characters or fewer")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate cannot reach the C core
        raise LimitError("text with a lone surrogate (not a character)", "remove it") from None
    if value == END:
        raise LimitError("reserved text", "use other text")


def dumps(value: object) -> str:
    """JSON text durable parses exactly (see the module docstring)."""
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        text = repr(float(value))
        mantissa, e, exponent = text.partition("e")
        return f"{mantissa}.0e{exponent}" if e and "." not in mantissa else text
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{quote(str(k))}:{dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(dumps(item) for item in value) + "]"
    raise TypeError(f"cannot send {value!r} to durable_rules")
