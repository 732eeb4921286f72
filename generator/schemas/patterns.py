"""Regular expressions that say in a JSON Schema what the facts loader accepts as text: the same
trimming, the same case folding, numbers compared with their bounds. Every pattern is written
with ASCII escapes only, so Python's `re` (jsonschema) and ECMAScript (ajv, editors) read it
alike; `\\s` and `\\d` are never used, because the two dialects disagree on what they match."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from decimal import Decimal

DIGIT = "[0-9]"


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x80 and (char.isalnum() or char == "_"):
        return char
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"  # BMP only: both dialects read these


def _ranges(codes: list[int]) -> str:
    """A character class body for the sorted code points `codes`."""
    parts: list[str] = []
    start = prev = codes[0]
    for code in [*codes[1:], -1]:
        if code == prev + 1:
            prev = code
            continue
        first, last = _escape(chr(start)), _escape(chr(prev))
        parts.append(first if start == prev else f"{first}-{last}")
        start = prev = code
    return "".join(parts)


@cache
def space() -> str:
    """A class of what Python's str.strip() removes and `\\s` matches in Python (str.isspace)."""
    return f"[{_ranges([c for c in range(0x10000) if chr(c).isspace()])}]"


@cache
def _lowered() -> dict[str, list[int]]:
    """For each character, every BMP character that str.lower() turns into it alone."""
    found: dict[str, list[int]] = {}
    for code in range(0x10000):
        folded = chr(code).lower()
        if len(folded) == 1 and not 0xD800 <= code <= 0xDFFF:
            found.setdefault(folded, []).append(code)
    return found


def folded(word: str) -> str:
    """A pattern for every text whose lower() is `word` (`Food` and `FOOD` for `food`; the Kelvin
    sign for `k`), one character at a time."""
    table = _lowered()
    out = []
    for char in word:
        codes = table.get(char, [ord(char)])
        out.append(_escape(char) if codes == [ord(char)] else f"[{_ranges(codes)}]")
    return "".join(out)


def ascii_folded(word: str) -> str:
    """A pattern for `word` in any mix of ASCII upper and lower case."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else _escape(c) for c in word)


def refused_characters(refused: Callable[[str], bool]) -> str:
    """A character class of the BMP characters (surrogates aside) for which `refused` is true."""
    return f"[{_ranges([c for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF and refused(chr(c))])}]"


def trimmed(body: str) -> str:
    """Anchored `body` with any whitespace around it, as the loader strips it."""
    ws = space()
    return f"^{ws}*(?:{body}){ws}*$"


# ------------------------------------------------------------------ numbers written as text
def _digits_below(bound: str, strict: bool) -> list[str]:
    """Alternatives for digit strings of len(bound) that are below (or above) `bound`, position by
    position: the same first i digits, then a smaller digit, then any. strict=False: above."""
    out = []
    for i, char in enumerate(bound):
        low, high = (1 if i == 0 else 0, int(char) - 1) if strict else (int(char) + 1, 9)
        if low <= high:
            rest = len(bound) - i - 1
            digit = str(low) if low == high else f"[{low}-{high}]"
            out.append(bound[:i] + digit + (f"{DIGIT}{{{rest}}}" if rest else ""))
    return out


def _fraction_at_most(frac: str) -> str:
    """Fraction digits (maybe none) whose value is at most 0.`frac` (`frac` has no trailing zero)."""
    if not frac:
        return "0*"
    alts = [frac[:i] + (f"[0-{int(frac[i]) - 1}]" if frac[i] != "1" else "0") + f"{DIGIT}*"
            for i in range(len(frac)) if frac[i] != "0"]
    alts += [frac[:i] for i in range(1, len(frac))] + [f"{frac}0*"]
    return f"(?:{'|'.join(alts)})?"


def _fraction_at_least(frac: str) -> str:
    """Fraction digits whose value is at least 0.`frac` (`frac` has no trailing zero)."""
    if not frac:
        return f"{DIGIT}*"
    alts = [frac[:i] + (f"[{int(frac[i]) + 1}-9]" if frac[i] != "8" else "9") + f"{DIGIT}*"
            for i in range(len(frac)) if frac[i] != "9"]
    return f"(?:{'|'.join([*alts, f'{frac}{DIGIT}*'])})"


def _split(bound: Decimal) -> tuple[str, str]:
    """Integer digits without leading zeros ('' for 0) and fraction digits without trailing zeros."""
    whole, _, frac = f"{bound:f}".partition(".")
    return whole.lstrip("0"), frac.rstrip("0")


def _magnitude(bound: Decimal, at_most: bool) -> str:
    """Unsigned decimal text (leading zeros, integer digits, an optional `.` and fraction digits)
    whose value is at most (or at least) `bound` >= 0."""
    whole, frac = _split(bound)
    size, any_fraction = len(whole), f"(?:\\.{DIGIT}*)?"
    if at_most:
        body = [f"{whole}(?:\\.{_fraction_at_most(frac)})?"]
        if size:  # fewer integer digits, or as many and smaller: any fraction
            fewer = f"(?:[1-9]{DIGIT}{{0,{size - 2}}})?" if size > 1 else ""
            body += [f"{alt}{any_fraction}" for alt in [fewer, *_digits_below(whole, True)]]
    else:
        body = [f"{whole}\\.{_fraction_at_least(frac)}" if frac else f"{whole}{any_fraction}",
                f"[1-9]{DIGIT}{{{size},}}{any_fraction}"]
        body += [f"{alt}{any_fraction}" for alt in _digits_below(whole, False)] if size else []
    return f"0*(?:{'|'.join(body)})"


def number_at_least(bound: Decimal) -> str:
    """Signed decimal text whose value is at least `bound`."""
    if bound > 0:
        return f"\\+?{_magnitude(bound, at_most=False)}"
    return f"\\+?{DIGIT}*(?:\\.{DIGIT}*)?|-{_magnitude(-bound, at_most=True)}"


def number_at_most(bound: Decimal) -> str:
    """Signed decimal text whose value is at most `bound`."""
    if bound >= 0:
        return f"-{DIGIT}*(?:\\.{DIGIT}*)?|\\+?{_magnitude(bound, at_most=True)}"
    return f"-{_magnitude(-bound, at_most=False)}"




# ------------------------------------------------------------------ dates
_MONTH_DAY = ("(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
              "|02-(?:0[1-9]|1[0-9]|2[0-8]))")


def day(last_year: int = 9999) -> str:
    """A calendar day from 0001-01-01 to the end of `last_year` (a year 999 after a century:
    2999, 9999) as YYYY-MM-DD, leap years included: exact even where a checker treats
    `format: date` as a note only."""
    top = str(last_year)[0]
    first = f"[1-{top}]" if top != "1" else "1"
    year = f"(?:{first}[0-9]{{3}}|0[1-9][0-9]{{2}}|00[1-9][0-9]|000[1-9])"
    centuries = [f"{c:02d}" for c in range(4, (int(top) + 1) * 10, 4)]
    leap = f"(?:[0-{top}][0-9](?:0[48]|[2468][048]|[13579][26])|(?:{'|'.join(centuries)})00)"
    # Ends with "nothing follows", not `$`: Python's `$` also matches before a final newline.
    return f"^(?:{year}-{_MONTH_DAY}|{leap}-02-29)(?![\\s\\S])"


DAY = day(2999)  # a start date: schedules from later would run past the last day Python holds
