"""A client plan's timeline: Mermaid Gantt charts with one bar per step (a plan has a few
hundred items but some fifty steps), one chart per phase so that each stays short and its time
axis spans only that phase's dates. Each bar's label says its dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from generator.kb.model import Text
from generator.plan.model import Plan
from generator.site.gantt import GanttRow, gantt

# Short phase names (the charts' headings on the page use the phases' titles).
PHASES = {
    "insight": Text("洞察", "Insight"), "strategy": Text("策略", "Strategy"),
    "planning": Text("计划", "Planning"), "execution": Text("执行", "Execution"),
    "evaluation": Text("评估", "Evaluation"), "optimization": Text("优化", "Optimization"),
}
EXPLAINED = {
    "zh": "每个步骤一条横条：从它最早开始的一项的排期开始日到它最后一项的期限，每个阶段一张图，"
          "横条旁注明起止日期。排期考虑了前置事项、负责人的可用时间和优先级。",
    "en": "One bar per step, from the scheduled start of its first item to the due date of its last, "
          "one chart per phase, with the dates beside each bar. The schedule follows the dependencies, "
          "the owners' time and the priorities.",
}


@dataclass(frozen=True)
class Chart:
    phase: str  # phase ID
    title: str  # the phase's title in the plan's language
    body: str  # a fenced Mermaid block


def step_bars(plan: Plan) -> list[GanttRow]:
    """(phase, step, start, end) per step of the plan, in plan order: from the scheduled start
    of the step's first item to the due date of its last."""
    bars: dict[str, GanttRow] = {}
    for item in plan.items:
        name = PHASES[item.phase](plan.lang) if item.phase in PHASES else plan.phase_titles.get(item.phase, item.phase)
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
        ids.setdefault(PHASES[item.phase](plan.lang) if item.phase in PHASES else
                       plan.phase_titles.get(item.phase, item.phase), item.phase)
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
