"""Ticks from a CSV file or an xlsx workbook: the ID and status columns, found by their header
in either language wherever they are, so columns and notes people add do not move them."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence

from generator.core.errors import OpsbookError, Problem
from generator.plan.model import MAX_PLAN_BYTES
from generator.plan.progress import Progress, lost_tick, progress, unreadable
from generator.render.plan_labels import LABELS, STATUS, ticked

ID_HEADERS = frozenset(words["id"] for words in LABELS.values())
STATUS_HEADERS = frozenset(words["status"] for words in LABELS.values())
HEADER_ROWS = 10  # the header may sit below a title row or two someone added
_ITEM_ID = re.compile(r"[a-z0-9][a-z0-9.\-]*")
_CHOICES = ", ".join(STATUS["en"] + STATUS["zh"])

Rows = Sequence[Sequence[str]]


def _column(row: Sequence[str], names: frozenset[str]) -> int | None:
    return next((n for n, cell in enumerate(row) if cell.strip() in names), None)


def _header(rows: Rows) -> int | None:
    return next((n for n, row in enumerate(rows[:HEADER_ROWS]) if _column(row, ID_HEADERS) is not None), None)


def _cell(row: Sequence[str], column: int | None) -> str:
    return row[column].strip() if column is not None and column < len(row) else ""


def _row_problem(shown: str, line: int, item_id: str, status: str) -> Problem | None:
    """A warning for a row whose tick cannot be carried over, if it has one."""
    state = ticked(status)
    if not _ITEM_ID.fullmatch(item_id):
        return lost_tick(shown, line, f"`{item_id}` is not an item ID: its tick is not kept") if state else None
    if state is None:
        return lost_tick(shown, line, f"status `{status}` of `{item_id}` is not one of {_CHOICES}: "
                                      "it is kept as not done")
    return None


def read_rows(rows: Rows, shown: str) -> Progress:
    if not rows:
        raise unreadable(shown, 1, "the file is empty")
    top = _header(rows)
    if top is None:
        wanted = "` or `".join(sorted(ID_HEADERS))
        raise unreadable(shown, 1, f"no `{wanted}` column in its header row: use --force to overwrite it")
    id_col, status_col = _column(rows[top], ID_HEADERS), _column(rows[top], STATUS_HEADERS)
    ids, done, warnings = [], [], []
    if status_col is None:
        warnings.append(lost_tick(shown, top + 1, "no `Status` or `状态` column: no ticks are read"))
    for line, row in enumerate(rows[top + 1:], start=top + 2):
        item_id, status = _cell(row, id_col), _cell(row, status_col)
        problem = _row_problem(shown, line, item_id, status) if item_id else None
        if problem is not None:
            warnings.append(problem)
        if item_id and _ITEM_ID.fullmatch(item_id):
            ids.append(item_id)
            if ticked(status):
                done.append(item_id)
    return progress(ids, done, warnings)


def read_csv(data: bytes, shown: str) -> Progress:
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error:
        raise unreadable(shown, reader.line_num, "not a CSV file opsbook wrote (a stray quote or line break): "
                         "use --force to overwrite it") from None
    return read_rows(rows, shown)


def _sheets(data: bytes, shown: str) -> list[list[list[str]]]:
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_PLAN_BYTES:
        message = f"the workbook unpacks to {unpacked:,} bytes; the limit is {MAX_PLAN_BYTES:,}: is this a plan " \
                  "opsbook wrote? use --force to overwrite it"
        raise unreadable(shown, 1, message)
    book = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return [[["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
                for sheet in book.worksheets]
    finally:
        book.close()


def read_xlsx(data: bytes, shown: str) -> Progress:
    """The first sheet with an ID column (the plan sheet, wherever someone moved it)."""
    try:
        sheets = _sheets(data, shown)
    except OpsbookError:
        raise
    except Exception as exc:  # zipfile, XML and openpyxl raise many kinds for a damaged file
        raise unreadable(shown, 1, f"not a readable xlsx workbook ({type(exc).__name__})") from None
    plan_sheet = next((rows for rows in sheets if _header(rows) is not None), sheets[0] if sheets else [])
    return read_rows(plan_sheet, shown)
