"""Markdown: a one-screen summary, then a GitHub task list (`- [ ] **title** `id``, read back
by `--update`) grouped by the time window items start in, by phase and step, or by owner."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Sequence

from generator.plan.model import PRIORITY_RANK, Plan, PlanItem
from generator.render import View
from generator.render.mdsummary import summary
from generator.render.plan_labels import LABELS, PRIORITY_NAMES, RECURRENCE_NAMES, counted, dates, number
from generator.render.text import md_text, owner_text, why_md
from generator.render.windows import WINDOWS, by_start, owners, window_of


def _meta(item: PlanItem, lang: str) -> str:
    words = LABELS[lang]
    effort = counted(lang, "each_time" if item.recurrence else "person_days", item.effort)
    meta = [dates(lang, item.start, item.due), effort, f"{words['owner']}: {md_text(owner_text(item, lang))}",
            f"{words['priority']}: {PRIORITY_NAMES[lang][item.priority]}"]
    if item.recurrence:
        meta.append(f"{words['repeats']}: {RECURRENCE_NAMES[lang][item.recurrence]}")
    return " · ".join(meta)


def item_lines(plan: Plan, item: PlanItem, with_step: bool) -> list[str]:
    words = LABELS[plan.lang]
    lines = [f"- [{'x' if item.done else ' '}] **{md_text(item.title)}** `{item.id}`", f"  - {_meta(item, plan.lang)}"]
    if with_step:  # outside the phase layout, the step says what the item belongs to
        phase = plan.phase_titles.get(item.phase, item.phase)
        lines.append(f"  - {words['step']}: {md_text(item.step_title)} · {words['phase']}: {md_text(phase)}")
    return [*lines, f"  - {words['done_when']}: {md_text(item.done_when)}",
            f"  - {words['why']}: {why_md(item, plan.lang)}", ""]


def by_phase(plan: Plan, items: Sequence[PlanItem]) -> list[str]:
    lines: list[str] = []
    phase = step = None
    for item in items:
        if item.phase != phase:
            phase, step = item.phase, None
            lines += [f"## {md_text(plan.phase_titles.get(item.phase, item.phase))}", ""]
        if item.step != step:
            step = item.step
            lines += [f"### {md_text(item.step_title)}", ""]
        lines += item_lines(plan, item, with_step=False)
    return lines


def _window_heading(plan: Plan, n: int) -> str:
    key, end = WINDOWS[n]
    begin = WINDOWS[n - 1][1] if n else 0
    first = plan.start_date + dt.timedelta(days=begin or 0)
    if end is None:
        span = LABELS[plan.lang]["from"].format(first=first.isoformat())
    else:
        span = dates(plan.lang, first, plan.start_date + dt.timedelta(days=end - 1))
    words = LABELS[plan.lang]
    return "## " + words["span"].format(name=words[key], span=span)


def by_window(plan: Plan, items: Sequence[PlanItem]) -> list[str]:
    lines: list[str] = []
    windows: dict[int, list[PlanItem]] = {}
    for item in items:
        windows.setdefault(window_of(plan, item), []).append(item)
    for n in range(len(WINDOWS)):
        mine = by_start(windows.get(n, ()))
        if mine:
            lines += [_window_heading(plan, n), ""]
            lines += [line for item in mine for line in item_lines(plan, item, with_step=True)]
    return lines


def _owner_heading(plan: Plan, owner: str) -> str:
    workload = plan.workload
    return "## " + LABELS[plan.lang]["owner_heading"].format(
        owner=md_text(workload.titles.get(owner, owner)),
        people=counted(plan.lang, "people_n", workload.people.get(owner, 0)),
        capacity=number(workload.capacity.get(owner, 0.0)))


def by_owner(plan: Plan, items: Sequence[PlanItem]) -> list[str]:
    lines: list[str] = []
    for owner in owners(plan):
        mine = by_start(i for i in items if i.owner == owner)
        if mine:
            lines += [_owner_heading(plan, owner), ""]
            lines += [line for item in mine for line in item_lines(plan, item, with_step=True)]
    return lines


LAYOUTS: dict[str, Callable[[Plan, Sequence[PlanItem]], list[str]]] = {
    "window": by_window, "phase": by_phase, "owner": by_owner}


def _counts(plan: Plan) -> str:
    words = LABELS[plan.lang]
    counts = Counter(i.priority for i in plan.items)
    by_priority = ", ".join(f"{PRIORITY_NAMES[plan.lang][p]} {counts[p]}"
                            for p in sorted(counts, key=PRIORITY_RANK.__getitem__))
    total = words["summary"].format(n=len(plan.items))
    return f"{total} ({by_priority})" if by_priority else total


def _head(plan: Plan) -> list[str]:
    words = LABELS[plan.lang]
    lines = [f"# {words['title']}: {md_text(plan.client_name)}", ""]
    if plan.client_note:
        lines += [f"{words['note']}: {md_text(plan.client_note)}", ""]
    return [*lines, f"{words['start']}: {plan.start_date.isoformat()} · {words['layers']}: "
            f"{', '.join(plan.layers)} · {_counts(plan)}", ""]


def _shown(plan: Plan, window: int | None) -> list[PlanItem]:
    """The items a window shows; a ticked item always shows, so `--update` keeps its tick."""
    if window is None:
        return list(plan.items)
    return [i for i in plan.items if (i.start - plan.start_date).days < window or i.done]


def _excluded(plan: Plan) -> list[str]:
    if not plan.excluded:
        return []
    words = LABELS[plan.lang]
    lines = [f"## {words['excluded']}", ""]
    for gone in plan.excluded:
        rules = "; ".join(f"{md_text(r.title)} (`{r.rule}`)" if r.title else f"`{r.rule}`" for r in gone.excluded_by)
        lines.append(f"- {md_text(gone.title)} `{gone.id}` ({words['excluded_by']}: {rules})")
    return [*lines, ""]


def render(plan: Plan, view: View) -> bytes:
    shown = _shown(plan, view.window)
    lines = [*_head(plan), *summary(plan), *LAYOUTS[view.group_by](plan, shown)]
    if len(shown) < len(plan.items) and view.window is not None:
        after = plan.start_date + dt.timedelta(days=view.window)
        lines += [LABELS[plan.lang]["window_more"].format(n=len(plan.items) - len(shown), date=after.isoformat()), ""]
    lines += _excluded(plan)
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")
