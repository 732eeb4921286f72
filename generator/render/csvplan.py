"""CSV: one row per item, UTF-8 with a byte-order mark so spreadsheet programs read Chinese."""

from __future__ import annotations

import csv
import io

from generator.plan.model import Plan, PlanItem
from generator.render.labels import HORIZON_NAMES, LABELS, PRIORITY_NAMES, RECURRENCE_NAMES, STATUS
from generator.render.markdown import why

COLUMNS = ("id", "phase", "step", "item", "owner", "priority", "horizon", "due", "repeats",
           "kpis", "done_when", "why", "status")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def header(lang: str) -> list[str]:
    return [LABELS[lang][c] for c in COLUMNS]


def row(item: PlanItem, lang: str, phase_title: str) -> list[str]:
    status = STATUS[lang][2] if item.done else STATUS[lang][0]
    cells = [item.id, phase_title, item.step_title, item.title, item.owner_title,
             PRIORITY_NAMES[lang][item.priority], HORIZON_NAMES[lang][item.horizon], item.due.isoformat(),
             RECURRENCE_NAMES[lang][item.recurrence] if item.recurrence else "",
             ", ".join(item.kpis), item.done_when, why(item, lang), status]
    return [safe_cell(c) for c in cells]


def render(plan: Plan) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(plan.lang))
    for item in plan.items:
        writer.writerow(row(item, plan.lang, plan.phase_titles.get(item.phase, item.phase)))
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
