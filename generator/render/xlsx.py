"""Excel workbook: one sheet, header row frozen, autofilter, a status column with a drop-down."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from generator.plan.model import Plan
from generator.render.csvplan import header, row
from generator.render.labels import STATUS

WIDTHS = (34, 14, 18, 40, 14, 8, 16, 12, 8, 24, 50, 50, 10)


def _workbook(plan: Plan) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = "plan"
    sheet.append(header(plan.lang))
    for item in plan.items:
        sheet.append(row(item, plan.lang, plan.phase_titles.get(item.phase, item.phase)))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    last = get_column_letter(len(WIDTHS))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, 2)}"
    choices = ",".join(STATUS[plan.lang])
    status = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    sheet.add_data_validation(status)
    status.add(f"{last}2:{last}{max(sheet.max_row, 2)}")
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
