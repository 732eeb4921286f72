"""The workbook's second sheet: person-days of plan work per owner and month, beside each
owner's time, so a manager sees which months a role is over-booked (see render/timeline.py
for how an item's effort is counted)."""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from generator.plan.model import Plan
from generator.render.labels import LABELS
from generator.render.timeline import Days, Segment, load, months, owners, work

FIRST_MONTH_COLUMN = 4  # after owner, people and plan work per working day
OVER = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")  # the spreadsheet programs' "bad" red
_EPS = 1e-6


def _header(sheet: Worksheet, plan: Plan, spans: list[tuple[str, int, int]]) -> None:
    words = LABELS[plan.lang]
    sheet.append([words["owner"], words["people"], words["capacity"], *(name for name, _, _ in spans)])
    sheet.append([words["working_days"], None, None, *(end - first for _, first, end in spans)])
    for cell in (*sheet[1], sheet["A2"]):
        cell.font = Font(bold=True)


def _owner_row(sheet: Worksheet, plan: Plan, owner: str, segments: list[Segment],
               spans: list[tuple[str, int, int]]) -> None:
    workload = plan.workload
    capacity = workload.capacity.get(owner, 0.0)
    sheet.append([workload.titles.get(owner, owner), workload.people.get(owner, 0), capacity,
                  *(round(load(segments, first, end), 2) for _, first, end in spans)])
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
    sheet.append([])
    sheet.append([LABELS[plan.lang]["load_note"]])
    note = sheet.cell(row=sheet.max_row, column=1)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row,
                      end_column=FIRST_MONTH_COLUMN + 8)
    sheet.row_dimensions[sheet.max_row].height = 60
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["C"].width = 14
    for column in range(FIRST_MONTH_COLUMN, FIRST_MONTH_COLUMN + len(spans)):
        sheet.column_dimensions[get_column_letter(column)].width = 9
    sheet.freeze_panes = sheet.cell(row=3, column=FIRST_MONTH_COLUMN).coordinate
