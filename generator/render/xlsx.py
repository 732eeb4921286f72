"""Excel workbook: the plan sheet (header row frozen, autofilter, dates as date cells, effort as
a number, a status column with a drop-down) and a sheet of each owner's load per month.

Every column is as wide as its text, up to a cap; longer text wraps. Both sheets print
landscape on A4, one page wide, with their header rows on every page. No cell is a formula:
text is written as a string cell, which a spreadsheet shows as it is and never calculates, so
the sheet shows `=1+1` where the CSV has to write `'=1+1`; such a cell is also marked as typed
with a leading quote (quotePrefix), so editing it in Excel keeps it text.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from generator.plan.model import Plan, PlanItem
from generator.render.csvplan import COLUMNS, Cell, header, kpi_names, safe_cell, values
from generator.render.plan_labels import STATUS, number
from generator.render.text import fitted, longest_word, why
from generator.render.xlsxload import load_sheet

# The most each column takes, in widths of `0`: 257 together, so a landscape A4 page prints
# every column at 57% or more (11-point text at 6.3 points or larger); longer text wraps.
CAPS = {"id": 26, "phase": 14, "step": 16, "item": 28, "owner": 14, "covers": 10, "priority": 9, "horizon": 12,
        "starts": 12, "due": 12, "effort": 9, "repeats": 9, "kpis": 16, "done_when": 30, "why": 30, "status": 10}
LEAST = 6
DATE_FORMAT = "yyyy-mm-dd"  # ISO dates whatever the reader's locale, as in the other formats
WRAP = Alignment(wrap_text=True, vertical="top")
NARROW = PageMargins(left=0.25, right=0.25, top=0.75, bottom=0.75, header=0.3, footer=0.3)  # Excel's "Narrow"
PAGE_NUMBERS = "&P / &N"


def _texts(item: PlanItem, plan: Plan, phase: str) -> dict[str, str]:
    """The columns of text from the playbook, an overlay or the rules, as written: the CSV puts a
    quote before those that start like a formula; a string cell needs none."""
    return {"id": item.id, "phase": phase, "step": item.step_title, "item": item.title, "owner": item.owner_title,
            "covers": item.owner_role_title if item.owner_role != item.owner else "",
            "kpis": kpi_names(item, plan),
            "done_when": item.done_when, "why": why(item, plan.lang)}


def _row(item: PlanItem, plan: Plan) -> list[Cell]:
    phase = plan.phase_titles.get(item.phase, item.phase)
    cells = dict(zip(COLUMNS, values(item, plan, phase), strict=True))
    cells.update(_texts(item, plan, phase))
    return [cells[name] for name in COLUMNS]


def shown(value: object) -> str:
    """A cell's value as the sheet shows it, to measure its width."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    if isinstance(value, float):
        return number(value)
    return "" if value is None else str(value)


def _plan_sheet(sheet: Worksheet, plan: Plan) -> None:
    sheet.title = "plan"
    titles = header(plan.lang)
    sheet.append(titles)
    rows = [_row(item, plan) for item in plan.items]
    for row in rows:
        sheet.append(row)
    for index, name in enumerate(COLUMNS, start=1):
        least = min(max(LEAST, longest_word(titles[index - 1]) + 1), CAPS[name])
        width = fitted((shown(row[index - 1]) for row in rows), least, CAPS[name])
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = WRAP
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for name in ("starts", "due"):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=COLUMNS.index(name) + 1, max_col=COLUMNS.index(name) + 1):
            cell.number_format = DATE_FORMAT
    last_row = max(sheet.max_row, 2)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last_row}"
    _status_choices(sheet, plan.lang, get_column_letter(COLUMNS.index("status") + 1), last_row)


def _status_choices(sheet: Worksheet, lang: str, column: str, last_row: int) -> None:
    choices = ",".join(STATUS[lang])
    status = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    sheet.add_data_validation(status)
    status.add(f"{column}2:{column}{last_row}")


def text_stays_text(sheet: Worksheet) -> None:
    """Every text cell a string cell: openpyxl makes text starting with `=` a formula and `#N/A`
    an error value; opsbook writes neither, whatever the text."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                if safe_cell(cell.value) != cell.value:  # the CSV would defuse it
                    cell.quotePrefix = True


def for_print(sheet: Worksheet, title_rows: int) -> None:
    """Landscape A4, every column on one page (as many pages down as it takes), the header rows
    on every page, gridlines and page numbers."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"1:{title_rows}"
    sheet.page_margins = NARROW
    sheet.print_options.gridLines = True
    sheet.oddFooter.center.text = PAGE_NUMBERS


def _workbook(plan: Plan) -> Workbook:
    book = Workbook()
    _plan_sheet(book.active, plan)
    load_sheet(book.create_sheet(), plan)
    for sheet, title_rows in zip(book.worksheets, (1, 2), strict=True):
        text_stays_text(sheet)
        for_print(sheet, title_rows)
    stamp = dt.datetime.combine(plan.start_date, dt.time())
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "opsbook"
    return book


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _fixed_zip(data: bytes, stamp: str) -> bytes:
    """Rewrite the archive with fixed times (openpyxl stamps `modified` with the clock on
    save), so the same plan gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp.encode() + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, content)
    return out.getvalue()


def render(plan: Plan) -> bytes:
    buffer = io.BytesIO()
    _workbook(plan).save(buffer)
    return _fixed_zip(buffer.getvalue(), f"{plan.start_date.isoformat()}T00:00:00Z")
