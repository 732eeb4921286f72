"""CSV: one row per item, UTF-8 with a byte-order mark so spreadsheet programs read Chinese."""

from __future__ import annotations

import csv
import datetime as dt
import io

from generator.plan.model import Plan, PlanItem
from generator.render.plan_labels import HORIZON_NAMES, LABELS, PRIORITY_NAMES, RECURRENCE_NAMES, STATUS, number
from generator.render.text import why

COLUMNS = ("id", "phase", "step", "item", "owner", "covers", "priority", "horizon", "starts", "due", "effort",
           "repeats", "kpis", "done_when", "why", "status")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Cell = str | float | dt.date


def safe_cell(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def header(lang: str) -> list[str]:
    return [LABELS[lang][c] for c in COLUMNS]


def kpi_names(item: PlanItem, plan: Plan) -> str:
    """The KPIs an item watches, by name in the plan's language (the ID where a name is missing)."""
    return LABELS[plan.lang]["name_sep"].join(plan.kpi_titles.get(k, k) for k in item.kpis)


def values(item: PlanItem, plan: Plan, phase_title: str) -> list[Cell]:
    """The row's cells as typed values (dates and numbers for a spreadsheet); text is formula-safe."""
    lang = plan.lang
    status = STATUS[lang][2] if item.done else STATUS[lang][0]
    covers = item.owner_role_title if item.owner_role != item.owner else ""
    cells: list[Cell] = [
        item.id, phase_title, item.step_title, item.title, item.owner_title, covers,
        PRIORITY_NAMES[lang][item.priority], HORIZON_NAMES[lang][item.horizon], item.start, item.due, item.effort,
        RECURRENCE_NAMES[lang][item.recurrence] if item.recurrence else "", kpi_names(item, plan), item.done_when,
        why(item, lang), status]
    return [safe_cell(c) if isinstance(c, str) else c for c in cells]


def _text(cell: Cell) -> str:
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return number(cell) if isinstance(cell, float) else cell


def row(item: PlanItem, plan: Plan, phase_title: str) -> list[str]:
    return [_text(c) for c in values(item, plan, phase_title)]


def render(plan: Plan) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(plan.lang))
    for item in plan.items:
        writer.writerow(row(item, plan, plan.phase_titles.get(item.phase, item.phase)))
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
