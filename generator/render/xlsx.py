"""Excel workbook: the plan sheet (header row frozen, autofilter, dates as date cells, effort as
a number, a status column with a drop-down) and a sheet of each owner's load per month."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from generator.plan.model import Plan
from generator.render.csvplan import COLUMNS, header, values
from generator.render.labels import STATUS
from generator.render.xlsxload import load_sheet

WIDTHS = {"id": 34, "phase": 14, "step": 18, "item": 40, "owner": 14, "covers": 14, "priority": 8, "horizon": 16,
          "starts": 12, "due": 12, "effort": 10, "repeats": 8, "kpis": 24, "done_when": 50, "why": 50, "status": 10}
DATE_FORMAT = "yyyy-mm-dd"  # ISO dates whatever the reader's locale, as in the other formats


def _plan_sheet(sheet: Worksheet, plan: Plan) -> None:
    sheet.title = "plan"
    sheet.append(header(plan.lang))
    for item in plan.items:
        sheet.append(values(item, plan.lang, plan.phase_titles.get(item.phase, item.phase)))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, name in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS[name]
        if name in ("starts", "due"):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
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


def _workbook(plan: Plan) -> Workbook:
    book = Workbook()
    _plan_sheet(book.active, plan)
    load_sheet(book.create_sheet(), plan)
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
