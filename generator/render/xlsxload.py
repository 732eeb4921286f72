"""The workbook's second sheet: person-days of plan work per owner and month, beside each
owner's time, so a manager sees which months a role is over-booked (see render/timeline.py
for how an item's effort is counted)."""

from __future__ import annotations

import math

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generator.plan.model import Plan
from generator.render.plan_labels import LABELS
from generator.render.text import display_width, fitted, longest_word
from generator.render.windows import Days, Segment, load, months, owners, work

FIRST_MONTH_COLUMN = 4  # after owner, people and plan work per working day
OVER = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")  # the spreadsheet programs' "bad" red
WRAP = Alignment(wrap_text=True, vertical="top")
CAPS = (32, 10, 14)  # the most owner, people and capacity take; their headers wrap
MONTH_WIDTH = 9
LINE_HEIGHT = 15  # points: one line of the default 11-point font
_EPS = 1e-6


def _header(sheet: Worksheet, plan: Plan, spans: list[tuple[str, int, int]]) -> None:
    words = LABELS[plan.lang]
    sheet.append([words["owner"], words["people"], words["capacity"], *(name for name, _, _ in spans)])
    sheet.append([words["working_days"], None, None, *(end - first for _, first, end in spans)])
    for cell in (*sheet[1], sheet["A2"]):
        cell.font = Font(bold=True)
    for cell in sheet[1]:
        cell.alignment = WRAP


def _owner_row(sheet: Worksheet, plan: Plan, owner: str, segments: list[Segment],
               spans: list[tuple[str, int, int]]) -> None:
    workload = plan.workload
    capacity = workload.capacity.get(owner, 0.0)
    sheet.append([workload.titles.get(owner, owner), workload.people.get(owner, 0), capacity,
                  *(round(load(segments, first, end), 2) for _, first, end in spans)])
    sheet.cell(row=sheet.max_row, column=FIRST_MONTH_COLUMN - 1).number_format = "0.00"
    for column, (_, first, end) in enumerate(spans, start=FIRST_MONTH_COLUMN):
        cell = sheet.cell(row=sheet.max_row, column=column)
        cell.number_format = "0.00"
        if float(cell.value or 0) > capacity * (end - first) + _EPS:
            cell.fill = OVER


def load_sheet(sheet: Worksheet, plan: Plan) -> None:
    days = Days(plan)
    last = max((i.due for i in plan.items), default=plan.start_date)
    spans = months(days, last)
    sheet.title = "load"
    _header(sheet, plan, spans)
    for owner in owners(plan):
        _owner_row(sheet, plan, owner, work(days, (i for i in plan.items if i.owner == owner)), spans)
    widths = _widths(sheet, len(spans))
    _note(sheet, LABELS[plan.lang]["load_note"], widths)
    sheet.freeze_panes = sheet.cell(row=3, column=FIRST_MONTH_COLUMN).coordinate


def _shown(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def _widths(sheet: Worksheet, n_months: int) -> list[int]:
    """Owner, people and capacity as wide as their text (a long header wraps), months all alike."""
    widths = []
    for (title, *values), most in zip(sheet.iter_cols(max_col=FIRST_MONTH_COLUMN - 1, values_only=True), CAPS,
                                      strict=True):
        least = min(longest_word(str(title)) + 1, most)
        widths.append(fitted((_shown(v) for v in values if v is not None), least, most))
    widths += [MONTH_WIDTH] * n_months
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    return widths


def _note(sheet: Worksheet, text: str, widths: list[int]) -> None:
    """The note under the table, across its columns (no wider: the sheet prints one page wide),
    as tall as its wrapped lines."""
    sheet.append([])
    sheet.append([text])
    row = sheet.max_row
    sheet.cell(row=row, column=1).alignment = WRAP
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    sheet.row_dimensions[row].height = LINE_HEIGHT * (math.ceil(display_width(text) / sum(widths)) + 1)
