"""A client plan's timeline: Mermaid Gantt charts with one bar per step (a plan has a few
hundred items but some fifty steps), one chart per phase so that each stays short and its time
axis spans only that phase's dates. Each bar's label says its dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from generator.plan.model import Plan
from generator.site.gantt import GanttRow, gantt
from generator.words import section


@dataclass(frozen=True)
class Chart:
    phase: str  # phase ID
    title: str  # the phase's title in the plan's language
    body: str  # a fenced Mermaid block


def _phase(plan: Plan, phase: str) -> str:
    """The phase's short name (the charts' headings on the page use the phases' titles)."""
    return section(plan.lang, "phase").get(phase) or plan.phase_titles.get(phase, phase)


def step_bars(plan: Plan) -> list[GanttRow]:
    """(phase, step, start, end) per step of the plan, in plan order: from the scheduled start
    of the step's first item to the due date of its last."""
    bars: dict[str, GanttRow] = {}
    for item in plan.items:
        name = _phase(plan, item.phase)
        _, _, first, last = bars.get(item.step) or (name, item.step_title, item.start, item.due)
        bars[item.step] = (name, item.step_title, min(first, item.start), max(last, item.due))
    return list(bars.values())


def _day(day: date, year: int) -> str:
    return day.strftime("%m-%d") if day.year == year else day.isoformat()


def dated(title: str, start: date, end: date, year: int) -> str:
    """A bar's label: the step and its dates (`06-01–06-20`; the year when it is not `year`)."""
    span = _day(start, year) if start == end else f"{_day(start, year)}–{_day(end, year)}"
    return f"{title} {span}"


def axis(first: date, last: date) -> tuple[str, str]:
    """The axis format and tick interval for a chart from `first` to `last`: ticks far enough
    apart that their labels do not touch on a phone-sized chart."""
    span = last - first
    if span <= timedelta(days=42):
        return "%m-%d", "1week"
    if span <= timedelta(days=120):
        return "%m-%d", "2week"
    if span <= timedelta(days=240):
        return "%Y-%m", "1month"
    return "%Y-%m", "2month" if span <= timedelta(days=500) else "3month"


def charts(plan: Plan) -> list[Chart]:
    """One Gantt chart per phase of the plan, in plan order."""
    by_phase: dict[str, list[GanttRow]] = {}
    ids: dict[str, str] = {}
    for item in plan.items:
        ids.setdefault(_phase(plan, item.phase), item.phase)
    for row in step_bars(plan):
        by_phase.setdefault(row[0], []).append(row)
    out = []
    for name, bars in by_phase.items():
        first, last = min(b[2] for b in bars), max(b[3] for b in bars)
        year = plan.start_date.year
        rows = [("", dated(title, start, end, year), start, end) for _, title, start, end in bars]
        axis_format, tick = axis(first, last)
        phase = ids[name]
        body = f"```mermaid\n{gantt(rows, axis_format=axis_format, tick_interval=tick)}```"
        out.append(Chart(phase, plan.phase_titles.get(phase, name), body))
    return out
