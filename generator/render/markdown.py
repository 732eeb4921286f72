"""Markdown: a GitHub task list grouped by phase and step."""

from __future__ import annotations

from collections import Counter

from generator.plan.model import PRIORITY_RANK, Plan, PlanItem
from generator.plan.wording import condition
from generator.render.labels import LABELS, PRIORITY_NAMES, RECURRENCE_NAMES, md


def why(item: PlanItem, lang: str) -> str:
    """The short reason as plain text: each rule's title, with the facts that matched."""
    parts = []
    for reason in item.because:
        held = "; ".join(condition(m.fact, m.op, m.value, m.actual) for m in reason.matched)
        parts.append(f"{reason.title} ({held or LABELS[lang]['always']})")
    return " · ".join(parts)


def _code(text: str) -> str:
    return "`" + text.replace("`", "'").replace("\r", " ").replace("\n", " ") + "`"


def why_md(item: PlanItem, lang: str) -> str:
    """The short reason in Markdown: rule titles as text, the matched facts as code."""
    parts = []
    for reason in item.because:
        held = ", ".join(_code(condition(m.fact, m.op, m.value, m.actual)) for m in reason.matched)
        parts.append(f"{md(reason.title)} ({held or LABELS[lang]['always']})")
    return " · ".join(parts)


def _item_lines(item: PlanItem, lang: str) -> list[str]:
    words = LABELS[lang]
    box = "x" if item.done else " "
    meta = [f"{words['owner']}: {md(item.owner_title)}", f"{words['due']}: {item.due.isoformat()}",
            f"{words['priority']}: {PRIORITY_NAMES[lang][item.priority]}"]
    if item.recurrence:
        meta.append(f"{words['repeats']}: {RECURRENCE_NAMES[lang][item.recurrence]}")
    return [
        f"- [{box}] **{md(item.title)}** `{item.id}`",
        f"  - {' · '.join(meta)}",
        f"  - {words['done_when']}: {md(item.done_when)}",
        f"  - {words['why']}: {why_md(item, lang)}",
    ]


def _summary(plan: Plan) -> str:
    words = LABELS[plan.lang]
    counts = Counter(i.priority for i in plan.items)
    by_priority = ", ".join(f"{PRIORITY_NAMES[plan.lang][p]} {counts[p]}"
                            for p in sorted(counts, key=PRIORITY_RANK.__getitem__))
    total = words["summary"].format(n=len(plan.items))
    return f"{total} ({by_priority})" if by_priority else total


def render(plan: Plan) -> bytes:
    words = LABELS[plan.lang]
    lines = [f"# {words['title']}: {md(plan.client_name)}", ""]
    if plan.client_note:
        lines += [f"{words['note']}: {md(plan.client_note)}", ""]
    lines += [f"{words['start']}: {plan.start_date.isoformat()} · {words['layers']}: "
              f"{', '.join(plan.layers)} · {_summary(plan)}", ""]
    phase = step = None
    for item in plan.items:
        if item.phase != phase:
            phase, step = item.phase, None
            lines += [f"## {md(plan.phase_titles.get(item.phase, item.phase))}", ""]
        if item.step != step:
            step = item.step
            lines += [f"### {md(item.step_title)}", ""]
        lines += [*_item_lines(item, plan.lang), ""]
    if plan.excluded:
        lines += [f"## {words['excluded']}", ""]
        for gone in plan.excluded:
            rules = ", ".join(r.rule for r in gone.excluded_by)
            lines.append(f"- {md(gone.title)} `{gone.id}` ({words['excluded_by']}: {rules})")
        lines.append("")
    return ("\n".join(lines).rstrip() + "\n").encode("utf-8")
