"""The patterns the facts schema is written with mean what the loader means: numbers compared with
their bounds exactly, every calendar day and nothing else, case folded as str.lower() folds."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.facts.client import NUMBER_TEXT
from generator.schemas import patterns

BOUNDS = [Decimal(b) for b in ("0", "1", "0.05", "1.5", "-1", "-100", "100", "10", "-365", "730", "1000000",
                               "9007199254740992", "-9007199254740992", "0.099", "9.9", "19", "0.5")]
_DIGITS = st.text("0123456789", max_size=7)
NUMBER_TEXTS = st.builds(lambda sign, whole, dot, frac: sign + whole + dot + frac, st.sampled_from(["", "+", "-"]),
                         _DIGITS, st.sampled_from(["", "."]), _DIGITS).filter(lambda t: bool(NUMBER_TEXT.fullmatch(t)))
NEAR_BOUNDS = st.builds(lambda b, d, zeros: f"{b + d:f}" + ("." * ("." not in f"{b + d:f}") + "0" * zeros),
                        st.sampled_from(BOUNDS), st.sampled_from([Decimal(0), Decimal("0.001"), Decimal("-0.001"),
                                                                  Decimal(1), Decimal(-1), Decimal("1e-12")]),
                        st.integers(0, 2))


@settings(max_examples=600, deadline=None)
@given(text=st.one_of(NUMBER_TEXTS, NEAR_BOUNDS), bound=st.sampled_from(BOUNDS))
def test_number_patterns_compare_like_decimals(text: str, bound: Decimal) -> None:
    value = Decimal(text)
    assert bool(re.fullmatch(patterns.number_at_least(bound), text)) == (value >= bound)
    assert bool(re.fullmatch(patterns.number_at_most(bound), text)) == (value <= bound)


def test_the_day_pattern_takes_every_day_and_nothing_else() -> None:
    day_pattern = re.compile(patterns.DAY)
    years = [*range(1, 30), *range(1890, 2110), 2399, 2400, 2800, 2900, 2996, 2999]
    for year in years:
        for month in range(1, 13):
            for day in range(1, 32):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                try:
                    real = dt.date(year, month, day) <= dt.date(2999, 12, 31)
                except ValueError:
                    real = False
                assert bool(day_pattern.search(text)) == real, text
    for text in ("0000-01-01", "3000-01-01", "2027-1-04", "20270104", "2027-01-04 ", "2027-01-04\n", "2027-00-10"):
        assert not day_pattern.search(text), text


def test_folding_covers_what_lower_folds() -> None:
    word = re.compile(f"^(?:{patterns.folded('kilo')})$")
    assert word.match("KILO") and word.match("\u212aIlo") and not word.match("kil0")
    assert re.fullmatch(patterns.ascii_folded("cn"), "Cn") and not re.fullmatch(patterns.ascii_folded("cn"), "cm")


def test_space_is_what_strip_removes() -> None:
    space = re.compile(patterns.space())
    for code in range(0x3001):
        assert bool(space.fullmatch(chr(code))) == (chr(code).strip() == ""), hex(code)
