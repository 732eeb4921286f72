"""How an item's reason and owner are said, the same in every format."""

from __future__ import annotations

from generator.plan.model import PlanItem
from generator.plan.wording import condition
from generator.render.labels import LABELS, md


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


def owner_text(item: PlanItem, lang: str) -> str:
    """The real owner, and the playbook's role they cover for when that differs."""
    if item.owner_role == item.owner:
        return item.owner_title
    return item.owner_title + LABELS[lang]["covers_for"].format(role=item.owner_role_title)
