"""The words renderers put around plan data, in both languages, and text escaping.

Each language has the same keys (a test keeps them equal); `{name}` fields are filled in
by the renderer.
"""

from __future__ import annotations

import datetime as dt
import re

LABELS = {
    "zh": {
        "title": "运营行动计划", "start": "开始日期", "layers": "规则层", "items": "项",
        "owner": "负责人", "due": "截止", "priority": "优先级", "why": "原因", "done_when": "完成标准",
        "repeats": "重复", "kpis": "关注指标", "depends": "前置事项", "excluded": "已排除的事项",
        "excluded_by": "排除规则", "note": "备注", "id": "编号", "phase": "阶段", "step": "步骤",
        "item": "事项", "horizon": "周期", "status": "状态", "baseline": "基线",
        "summary": "共 {n} 项", "always": "始终适用",
        "starts": "开始", "effort": "工作量（人日）", "covers": "代行角色",
        "covers_for": "（兼任{role}）", "person_days": "{n} 人日", "person_days_one": "{n} 人日",
        "each_time": "每次 {n} 人日", "each_time_one": "每次 {n} 人日", "people_n": "{n} 人", "people_n_one": "{n} 人",
        "glance": "概览", "critical": "紧急事项", "no_critical": "没有紧急事项。",
        "targets": "KPI 目标", "kpi": "指标", "current": "当前", "target": "目标", "by": "期限",
        "set_by": "依据规则", "not_given": "未填写",
        "no_targets": "没有 KPI 目标：没有规则发现越过预警线的指标。",
        "no_kpis": "没有 KPI 目标：事实文件没有给出 KPI 当前值（在 `kpis` 中填写，计划才能据此设定目标）。",
        "more_targets": "另有 {n} 个目标：{targets}。",
        "also_short": "另有 {n} 个角色的工作也排不下：{owners}",
        "more_critical": "另有 {n} 项紧急事项，见下文。",
        "first_days": "前 30 天：按人（{dates}，{days} 个工作日）",
        "person": "**{owner}**（{people}）· 这些天的工作 {load} / {capacity} 人日 · {n} 项开始：{items}",
        "more": "另 {n} 项", "named": "{title}（{date}）", "list_sep": "；", "name_sep": "、",
        "span": "{name}（{span}）", "idle": "这些天没有事项开始：{owners}",
        "not_fit": "排不下的工作",
        "all_fits": "全部排得下：短期工作都在前 90 天内完成，重复性工作都在负责人的时间之内。",
        "late_short": "{owner}有 {days} 人日的短期工作排不进前 90 天",
        "unsustained": "{owner}的时间容不下的重复性工作（{n} 项）：{items}",
        "also_unsustained": "；时间容不下的重复性工作（{n} 项）：{items}",
        "fit_hint": "要排得下：给这些角色加人（事实文件中的 `team`），或让计划工作占用更多时间"
                    "（`plan_share`，目前为 {share}%）。",
        "window_30": "前 30 天", "window_90": "第 31–90 天", "window_365": "第 4–12 个月", "window_later": "之后",
        "dates": "{first} 至 {last}", "from": "{first} 起",
        "window_more": "另有 {n} 项在 {date} 或之后开始：去掉 `--window` 可看到全部事项。",
        "owner_heading": "{owner}（{people}，每个工作日 {capacity} 人日用于计划工作）",
        "working_days": "工作日", "people": "人数",
        "capacity": "每个工作日的计划工作（人日）",
        "load_note": "每人每月的计划工作（人日）：每个事项的工作量平均分摊到从开始到截止的工作日；"
                     "重复性事项在首次截止之后，每个工作日再计入每次工作量除以间隔的工作日数。"
                     "红色：超出该角色当月的计划工作时间。",
    },
    "en": {
        "title": "Operations action plan", "start": "Start date", "layers": "Rule layers", "items": "items",
        "owner": "Owner", "due": "Due", "priority": "Priority", "why": "Why", "done_when": "Done when",
        "repeats": "Repeats", "kpis": "KPIs to watch", "depends": "Depends on", "excluded": "Excluded items",
        "excluded_by": "excluded by", "note": "Note", "id": "ID", "phase": "Phase", "step": "Step",
        "item": "Item", "horizon": "Horizon", "status": "Status", "baseline": "baseline",
        "summary": "{n} items", "always": "always applies",
        "starts": "Start", "effort": "Effort (person-days)", "covers": "Covers for",
        "covers_for": " (covers for {role})", "person_days": "{n} person-days", "person_days_one": "{n} person-day",
        "each_time": "{n} person-days each time", "each_time_one": "{n} person-day each time",
        "people_n": "{n} people", "people_n_one": "{n} person",
        "glance": "At a glance", "critical": "Critical items", "no_critical": "No critical items.",
        "targets": "KPI targets", "kpi": "KPI", "current": "Now", "target": "Target", "by": "By",
        "set_by": "Set by rule", "not_given": "not given",
        "no_targets": "No KPI targets: no rule found a KPI past its level.",
        "no_kpis": "No KPI targets: the facts give no current KPI values (give them under `kpis` for the plan "
                   "to set targets from them).",
        "more_targets": "{n} more targets: {targets}.",
        "also_short": "Work of {n} more roles does not fit either: {owners}",
        "more_critical": "{n} more critical items below.",
        "first_days": "First 30 days by person ({dates}, {days} working days)",
        "person": "**{owner}** ({people}) · work in these days: {load} of {capacity} person-days · "
                  "{n} starting: {items}",
        "more": "+{n} more", "named": "{title} ({date})", "list_sep": "; ", "name_sep": ", ",
        "span": "{name} ({span})", "idle": "Nothing starts in these days for: {owners}",
        "not_fit": "What does not fit",
        "all_fits": "Everything fits: short-horizon work is done in the first 90 days and recurring work "
                    "within each owner's time.",
        "late_short": "{days} person-days of short-horizon work for {owner} do not fit in the first 90 days",
        "unsustained": "Recurring work beyond the capacity of {owner} ({n}): {items}",
        "also_unsustained": "; recurring work beyond their capacity ({n}): {items}",
        "fit_hint": "To make it fit, add people to these roles (`team` in the facts) or give plan work a "
                    "larger share of their time (`plan_share`, now {share}%).",
        "window_30": "First 30 days", "window_90": "Days 31–90", "window_365": "Months 4–12", "window_later": "Later",
        "dates": "{first} to {last}", "from": "from {first}",
        "window_more": "{n} more items start on or after {date}: run without `--window` to see every item.",
        "owner_heading": "{owner} ({people}, {capacity} person-days of plan work per working day)",
        "working_days": "Working days", "people": "People",
        "capacity": "Plan work per working day (person-days)",
        "load_note": "Person-days of plan work per owner and month: each item's effort spread evenly over the "
                     "working days from its start to its due date; after its first due date a recurring item "
                     "adds, on every working day, its effort per occurrence divided by the working days between "
                     "occurrences. Red: more than the owner's plan-work time in that month.",
    },
}
PRIORITY_NAMES = {
    "zh": {"critical": "紧急", "high": "高", "medium": "中", "low": "低"},
    "en": {"critical": "critical", "high": "high", "medium": "medium", "low": "low"},
}
HORIZON_NAMES = {
    "zh": {"short": "短期（1-3个月）", "mid": "中期（3-12个月）", "long": "长期（1-3年）"},
    "en": {"short": "short (1-3 months)", "mid": "mid (3-12 months)", "long": "long (1-3 years)"},
}
TARGET_OPS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}  # a target's comparison, as the table shows it
RECURRENCE_NAMES = {
    "zh": {"FREQ=WEEKLY": "每周", "FREQ=MONTHLY": "每月", "FREQ=MONTHLY;INTERVAL=3": "每季度"},
    "en": {"FREQ=WEEKLY": "weekly", "FREQ=MONTHLY": "monthly", "FREQ=MONTHLY;INTERVAL=3": "quarterly"},
}
STATUS = {"zh": ("未开始", "进行中", "已完成"), "en": ("todo", "in progress", "done")}
# What people write in a status cell or a `done` field, read back case-insensitively: the
# drop-down's own words in both languages plus the usual yes/no spellings.
DONE_WORDS = frozenset({STATUS["zh"][2], STATUS["en"][2], "完成", "x", "yes", "y", "true", "1", "completed",
                        "complete", "✓", "✔"})
OPEN_WORDS = frozenset({*STATUS["zh"][:2], *STATUS["en"][:2], "", "no", "n", "false", "0", "not started",
                        "needs-action", "in-process"})
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def md(text: str) -> str:
    """Markdown-escaped text: data never becomes markup or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;")).replace("\r", " ").replace("\n", " ")


def ticked(word: str) -> bool | None:
    """Whether a status word means done; None when it is no status word we know."""
    word = word.strip().lower()
    return True if word in DONE_WORDS else False if word in OPEN_WORDS else None


def dates(lang: str, first: dt.date, last: dt.date) -> str:
    """A stretch of days, or the one day it is."""
    if first == last:
        return first.isoformat()
    return LABELS[lang]["dates"].format(first=first.isoformat(), last=last.isoformat())


def counted(lang: str, key: str, n: float) -> str:
    """`key` filled with `n`, in its singular form where the language has one."""
    words = LABELS[lang]
    return words[f"{key}_one" if n == 1 else key].format(n=number(n))


def number(value: float) -> str:
    """A person-day figure as people read it: 3, 2.5, 0.25 (at most two decimals)."""
    return f"{round(value, 2):g}"
