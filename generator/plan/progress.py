"""Reading the progress recorded in an earlier plan file, and carrying it into a new plan."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from generator.errors import OpsbookError, Problem
from generator.kb.loader import parse_json, read_text
from generator.plan.model import MAX_PLAN_BYTES, Plan

_MD_ITEM = re.compile(r"^- \[([ xX])\] .*`([a-z0-9][a-z0-9.\-]*)`\s*$")
_DONE_WORDS = {"done", "已完成", "完成", "x", "yes", "true", "completed"}
_ID_HEADERS = {"编号", "ID"}  # the first column's header, as render/labels.py names it
_BIG = "is this a plan opsbook wrote? use --force to overwrite it"


@dataclass(frozen=True)
class Progress:
    ids: tuple[str, ...]  # every item the earlier plan held, in its order
    done: frozenset[str]


def _fail(shown: str, line: int, message: str) -> OpsbookError:
    return OpsbookError(Problem(shown, line, 1, f"cannot read the earlier plan: {message}"))


def _prefixed(exc: OpsbookError) -> OpsbookError:
    return OpsbookError([dataclasses.replace(p, message=f"cannot read the earlier plan: {p.message}")
                         for p in exc.problems])


def _markdown(text: str, shown: str) -> Progress:
    ids, done = [], set()
    for line in text.splitlines():
        match = _MD_ITEM.match(line)
        if match:
            ids.append(match.group(2))
            if match.group(1) in "xX":
                done.add(match.group(2))
    if not ids:
        raise _fail(shown, 1, "no task lines (`- [ ] ... `item-id``) in it: use --force to overwrite it")
    return Progress(tuple(ids), frozenset(done))


def _json(text: str, shown: str) -> Progress:
    try:
        data = parse_json(text, shown)
    except OpsbookError as exc:
        raise _prefixed(exc) from None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("id"), str) for i in items):
        raise _fail(shown, 1, "expected an opsbook plan with `items: [{id, done}, ...]`")
    return Progress(tuple(i["id"] for i in items), frozenset(i["id"] for i in items if i.get("done") is True))


def _rows(rows: list[list[str]], shown: str) -> Progress:
    if not rows:
        raise _fail(shown, 1, "the file is empty")
    if not rows[0] or rows[0][0].strip() not in _ID_HEADERS:
        wanted = "` or `".join(sorted(_ID_HEADERS))
        raise _fail(shown, 1, f"the first column is not `{wanted}`: use --force to overwrite it")
    ids, done = [], set()
    for row in rows[1:]:
        if not row or not row[0]:
            continue
        ids.append(row[0])
        if str(row[-1]).strip().lower() in _DONE_WORDS:
            done.add(row[0])
    return Progress(tuple(ids), frozenset(done))


def _csv(data: bytes, shown: str) -> Progress:
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error:
        raise _fail(shown, reader.line_num, "not a CSV file opsbook wrote (a stray quote or line break): "
                    "use --force to overwrite it") from None
    return _rows(rows, shown)


def _xlsx(data: bytes, shown: str) -> Progress:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_PLAN_BYTES:
            message = f"the workbook unpacks to {unpacked:,} bytes; the limit is {MAX_PLAN_BYTES:,}: {_BIG}"
            raise _fail(shown, 1, message)
        book = load_workbook(io.BytesIO(data), read_only=True)
        rows = [["" if c is None else str(c) for c in row] for row in book.active.iter_rows(values_only=True)]
        book.close()
    except OpsbookError:
        raise
    except Exception as exc:  # zipfile, XML and openpyxl raise many kinds for a damaged file
        raise _fail(shown, 1, f"not a readable xlsx workbook ({type(exc).__name__})") from None
    return _rows(rows, shown)


def _ics(text: str, shown: str) -> Progress:
    if not text.startswith("BEGIN:VCALENDAR"):
        raise _fail(shown, 1, "it does not start with BEGIN:VCALENDAR: use --force to overwrite it")
    ids, done = [], set()
    current = None
    for line in re.sub(r"\r?\n[ \t]", "", text).splitlines():  # unfold long lines first (RFC 5545 3.1)
        if line.startswith("UID:") and line.endswith("@opsbook"):
            current = line[4:-8]
            ids.append(current)
        elif line.startswith("STATUS:COMPLETED") and current:
            done.add(current)
        elif line.startswith("END:VTODO"):
            current = None
    return Progress(tuple(ids), frozenset(done))


def read_progress(path: Path, fmt: str, shown: str) -> Progress:
    if fmt in ("xlsx", "csv"):
        size = path.stat().st_size
        if size > MAX_PLAN_BYTES:
            raise _fail(shown, 1, f"file is {size:,} bytes; the limit is {MAX_PLAN_BYTES:,} (16 MiB): {_BIG}")
        data = path.read_bytes()
        return _xlsx(data, shown) if fmt == "xlsx" else _csv(data, shown)
    try:
        text = read_text(path, shown, MAX_PLAN_BYTES, _BIG, f"a plan in {fmt}")
    except OpsbookError as exc:
        raise _prefixed(exc) from None
    readers = {"md": _markdown, "json": _json, "ics": _ics}
    return readers[fmt](text, shown)


def carry_progress(plan: Plan, progress: Progress) -> tuple[Plan, tuple[str, ...]]:
    """The plan with earlier ticks kept, and the earlier items no longer in it."""
    items = tuple(i._replace(done=i.id in progress.done) for i in plan.items)
    current = {i.id for i in plan.items}
    dropped = tuple(i for i in progress.ids if i not in current)
    return dataclasses.replace(plan, items=items), dropped
