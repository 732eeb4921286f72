"""Working days: weekends and public holidays of the client's country, with China's adjusted
working days (调休), from the `holidays` library. A schedule counts in working days; this
module turns those counts into dates and back."""

from __future__ import annotations

import bisect
import datetime as dt
import importlib.util
import os
from collections.abc import Sequence
from functools import cache
from typing import Any

from generator.plan.cache import blake2b, cached

DEFAULT_COUNTRY = "CN"
_YEARS_AHEAD = 4  # a plan's calendar is made this many years at a time


@cache
def _holidays(country: str, first_year: int) -> Any:
    import holidays

    return holidays.country_holidays(country, years=range(first_year, first_year + _YEARS_AHEAD))


@cache
def _working_days(country: str, first_year: int) -> tuple[int, ...]:
    """Date ordinals of the working days in `_YEARS_AHEAD` years from `first_year`, from the
    playbook cache where it has them: importing the holidays library costs a cold plan more
    than everything else it does after loading."""
    days = cached(lambda: _calendar_key(country, first_year), lambda: _count_working_days(country, first_year))
    return tuple(days)


def _calendar_key(country: str, first_year: int) -> str:
    """What the working days depend on: the country, the years and the installed holidays library
    (found and dated without importing it)."""
    spec = importlib.util.find_spec("holidays")
    stamp = ""
    if spec is not None and spec.origin:
        version = os.path.join(os.path.dirname(spec.origin), "version.py")
        info = os.stat(version) if os.path.exists(version) else os.stat(spec.origin)
        stamp = f"{spec.origin}|{info.st_size}|{info.st_mtime_ns}"
    text = f"calendar|{country}|{first_year}|{_YEARS_AHEAD}|{stamp}"
    return blake2b(text.encode()).hexdigest()


def _count_working_days(country: str, first_year: int) -> tuple[int, ...]:
    off = _holidays(country, first_year)
    extra = frozenset(getattr(off, "weekend_workdays", ()))  # weekend days worked in exchange for a holiday
    first = dt.date(first_year, 1, 1).toordinal()
    last = dt.date(first_year + _YEARS_AHEAD, 1, 1).toordinal()
    days = []
    for ordinal in range(first, last):
        day = dt.date.fromordinal(ordinal)
        if day in extra or (day.weekday() < 5 and day not in off):
            days.append(ordinal)
    return tuple(days)


class WorkCalendar:
    """The working days of one country from a start date on: day 0 is the first working day on
    or after the start; later days are made as a schedule reaches them."""

    def __init__(self, country: str, start: dt.date) -> None:
        self.country = country
        self.start = start
        self._year = start.year
        self._days: list[int] = []
        self._extend()

    def _extend(self) -> None:
        block = _working_days(self.country, self._year)
        if not self._days:
            block = block[bisect.bisect_left(block, self.start.toordinal()):]
        self._days.extend(block)
        self._year += _YEARS_AHEAD

    def ordinal(self, index: int) -> int:
        """The date ordinal of working day `index` (0 = the first)."""
        while index >= len(self._days):
            if self._year > dt.MAXYEAR - _YEARS_AHEAD:
                raise OverflowError("the schedule runs past the last date a calendar can hold")
            self._extend()
        return self._days[index]

    def through(self, index: int) -> Sequence[int]:
        """The date ordinals of working days 0 to `index` at least (indexable by working day)."""
        self.ordinal(index)
        return self._days

    def date(self, index: int) -> dt.date:
        return dt.date.fromordinal(self.ordinal(index))

    def index_after(self, calendar_days: int) -> int:
        """The first working day at least `calendar_days` after the start."""
        target = self.start.toordinal() + calendar_days
        self.ordinal(0)
        while self._days[-1] < target:
            self._extend()
        return bisect.bisect_left(self._days, target)
