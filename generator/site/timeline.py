"""A client plan's timeline: a Mermaid Gantt chart with one bar per step (a plan has a few
hundred items but some fifty steps, which a chart can still show legibly), grouped by phase."""

from __future__ import annotations

from datetime import timedelta

from generator.kb.model import Text
from generator.plan.model import Plan
from generator.site.gantt import GanttRow, gantt

# Short phase names for the chart's left margin (the titles are too long to fit there).
PHASES = {
    "insight": Text("洞察", "Insight"), "strategy": Text("策略", "Strategy"),
    "planning": Text("计划", "Planning"), "execution": Text("执行", "Execution"),
    "evaluation": Text("评估", "Evaluation"), "optimization": Text("优化", "Optimization"),
}
EXPLAINED = {
    "zh": "每个步骤一条横条：从它最早开始的一项的排期开始日到它最后一项的期限，按阶段分组。排期考虑了"
          "前置事项、负责人的可用时间和优先级。",
    "en": "One bar per step, from the scheduled start of its first item to the due date of its last, "
          "grouped by phase. The schedule follows the dependencies, the owners' time and the priorities.",
}
# Drawn at a fixed width (no scaling, so the labels stay readable on a desktop page; a
# narrower screen scales it down), with a left margin for the phase names.
CONFIG = ("---\nconfig:\n  gantt:\n    useWidth: 760\n    leftPadding: 90\n    barHeight: 18\n"
          "    barGap: 4\n    fontSize: 11\n    sectionFontSize: 12\n---\n")


def step_bars(plan: Plan) -> list[GanttRow]:
    """(phase, step, start, end) per step of the plan, in plan order: from the scheduled start
    of the step's first item to the due date of its last."""
    bars: dict[str, GanttRow] = {}
    for item in plan.items:
        name = PHASES[item.phase](plan.lang) if item.phase in PHASES else plan.phase_titles.get(item.phase, item.phase)
        _, _, first, last = bars.get(item.step) or (name, item.step_title, item.start, item.due)
        bars[item.step] = (name, item.step_title, min(first, item.start), max(last, item.due))
    return list(bars.values())


def chart(plan: Plan) -> str:
    """The timeline as a fenced Mermaid block; months on the axis once it spans half a year."""
    bars = step_bars(plan)
    span = max((end for *_, end in bars), default=plan.start_date) - plan.start_date
    axis = "%Y-%m" if span > timedelta(days=183) else "%m-%d"
    return f"```mermaid\n{CONFIG}{gantt(bars, axis_format=axis)}```"
