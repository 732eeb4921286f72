"""A plan's items over time: the time window each starts in, and how much work each owner
has in a stretch of working days.

Load is an estimate made from the plan alone: an item's effort is spread evenly over the
working days from its start to its due date (the schedule may pause an item for more urgent
work, so a day's real share can differ), and after its first due date a recurring item adds
its effort per occurrence divided by the working days between occurrences, every working day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from generator.plan.calendar import WorkCalendar
from generator.plan.model import PRIORITY_RANK, Plan, PlanItem
from generator.plan.planner import PERIOD, RECURRENCE

# (label key, calendar days from the start date that end the window; None: no end)
WINDOWS: tuple[tuple[str, int | None], ...] = (
    ("window_30", 30), ("window_90", 90), ("window_365", 365), ("window_later", None))
FIRST_DAYS = 30  # the summary's first stretch, as a manager plans a month
_PERIOD = {rule: PERIOD[cadence] for cadence, rule in RECURRENCE.items() if rule}


class Segment(NamedTuple):
    first: int  # working-day index, inclusive
    last: int | None  # inclusive; None: for as long as the plan runs
    rate: float  # person-days per working day


def window_of(plan: Plan, item: PlanItem) -> int:
    """The index in WINDOWS of the window the item starts in."""
    days = (item.start - plan.start_date).days
    return next(n for n, (_, end) in enumerate(WINDOWS) if end is None or days < end)


def by_start(items: Iterable[PlanItem]) -> list[PlanItem]:
    """Soonest first; on the same day, the more important first (the sort is stable, so ties
    keep the playbook's order)."""
    return sorted(items, key=lambda i: (i.start, PRIORITY_RANK[i.priority]))


def owners(plan: Plan) -> list[str]:
    """The plan's real owners in the staffing's order, then any owner it does not list."""
    staffed = list(plan.workload.people)
    return staffed + sorted({i.owner for i in plan.items} - set(staffed))


class Days:
    """Working-day arithmetic on one plan's calendar: index 0 is its first working day."""

    def __init__(self, plan: Plan) -> None:
        self.start = plan.start_date
        self.calendar = WorkCalendar(plan.workload.country, plan.start_date)

    def index(self, day: dt.date) -> int:
        """The working day on or after `day`."""
        return self.calendar.index_after((day - self.start).days)

    def date(self, index: int) -> dt.date:
        return self.calendar.date(index)

    def segments(self, item: PlanItem) -> list[Segment]:
        first, last = self.index(item.start), self.index(item.due)
        once = Segment(first, last, item.effort / (last - first + 1))
        period = _PERIOD.get(item.recurrence or "", 0)
        return [once, Segment(last + 1, None, item.effort / period)] if period else [once]


def overlap(segment: Segment, first: int, end: int) -> float:
    """Person-days of `segment` in the working days [first, end)."""
    stop = end if segment.last is None else min(end, segment.last + 1)
    return max(0, stop - max(first, segment.first)) * segment.rate


def work(days: Days, items: Iterable[PlanItem]) -> list[Segment]:
    """The items' work over time, to sum over any stretch of days."""
    return [segment for item in items for segment in days.segments(item)]


def load(segments: Iterable[Segment], first: int, end: int) -> float:
    """Person-days of work in the working days [first, end)."""
    return sum(overlap(s, first, end) for s in segments)


def months(days: Days, last: dt.date) -> list[tuple[str, int, int]]:
    """`(YYYY-MM, first, end)` working-day ranges of each month from the start to `last`."""
    out = []
    month = days.start.replace(day=1)
    while month <= last:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        first = days.index(max(month, days.start))
        out.append((month.strftime("%Y-%m"), first, days.index(following)))
        month = following
    return out
