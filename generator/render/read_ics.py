"""Ticks from an iCalendar file: each VTODO whose UID opsbook wrote, done when a calendar app
marked it so (STATUS:COMPLETED, a COMPLETED date, or PERCENT-COMPLETE:100); and each to-do's
revision (SEQUENCE and the X-OPSBOOK-HASH of what opsbook wrote), so the next version of the
file can tell calendar apps which to-dos changed (see render/ics.py).

Content lines are read as RFC 5545 (3.1) defines them: split on CRLF only, so a U+2028 or
NEL inside a text value stays in its line, then unfolded; property names and enumerated
values in any case; properties in any order within their component.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.core.errors import Problem
from generator.plan.model import Revision
from generator.plan.progress import Progress, lost_tick, progress, unreadable

UID_SUFFIX = "@opsbook"
KNOWN_STATUS = frozenset({"NEEDS-ACTION", "IN-PROCESS", "COMPLETED", "CANCELLED"})
_NAME = re.compile(r"[A-Za-z0-9-]+")
_DIGITS = re.compile(r"\+?[0-9]{1,12}")
HASH = "X-OPSBOOK-HASH"
MAX_SEQUENCE = 2**31 - 1  # RFC 5545 SEQUENCE is an INTEGER: 32-bit signed


@dataclass
class _Todo:
    line: int
    uid: str | None = None
    status: tuple[int, str] | None = None  # (line, value in upper case)
    finished: bool = False  # a COMPLETED date or PERCENT-COMPLETE:100
    sequence: int = 0
    digest: str | None = None


def content_lines(text: str) -> list[tuple[int, str]]:
    """(physical line number, unfolded line). A file whose line ends were all turned into LF
    (by an editor or version control) is read on LF instead."""
    physical = text.split("\r\n" if "\r\n" in text else "\n")
    out: list[tuple[int, str]] = []
    for number, line in enumerate(physical, start=1):
        if line[:1] in (" ", "\t") and out:
            out[-1] = (out[-1][0], out[-1][1] + line[1:])
        else:
            out.append((number, line))
    return out


def prop(line: str) -> tuple[str, str] | None:
    """A content line's (NAME in upper case, value); parameters (which may quote a colon) are skipped."""
    name = _NAME.match(line)
    if name is None or line[name.end():name.end() + 1] not in (";", ":"):
        return None
    quoted = False
    for at in range(name.end(), len(line)):
        if line[at] == '"':
            quoted = not quoted
        elif line[at] == ":" and not quoted:
            return name.group().upper(), line[at + 1:]
    return None


def _note(todo: _Todo, name: str, value: str, line: int) -> None:
    if name == "UID":
        todo.uid = value.strip()
    elif name == "STATUS":
        todo.status = (line, value.strip().upper())
    elif name == "COMPLETED" or (name == "PERCENT-COMPLETE" and value.strip() == "100"):
        todo.finished = True
    elif name == "SEQUENCE" and _DIGITS.fullmatch(value.strip()):  # a negative or garbled one counts as 0
        todo.sequence = min(int(value.strip().lstrip("+")), MAX_SEQUENCE)
    elif name == HASH:
        todo.digest = value.strip() or None


def _result(todo: _Todo, shown: str) -> tuple[str | None, bool, list[Problem]]:
    """The item ID, whether it is done, and warnings for a tick that cannot be kept."""
    status = todo.status[1] if todo.status else "NEEDS-ACTION"
    done = status == "COMPLETED" or todo.finished
    ours = todo.uid is not None and todo.uid.endswith(UID_SUFFIX)
    item_id = todo.uid[: -len(UID_SUFFIX)] if ours and todo.uid else None
    problems = []
    if done and item_id is None:
        problems.append(lost_tick(shown, todo.line, "a completed to-do without an opsbook UID (`item-id@opsbook`): "
                                                    "its tick is not kept"))
    if todo.status and status not in KNOWN_STATUS and item_id:
        problems.append(lost_tick(shown, todo.status[0], f"STATUS `{status}` of `{item_id}` is not one of "
                                                         f"{', '.join(sorted(KNOWN_STATUS))}: it is kept as not done"))
    return item_id, done, problems


def _todos(lines: list[tuple[int, str]]) -> Iterator[_Todo]:
    """Each VTODO with what it says about itself (not its VALARMs' properties)."""
    stack: list[str] = []
    todo: _Todo | None = None
    for number, line in lines:
        parsed = prop(line)
        if parsed is None:
            continue
        name, value = parsed
        if name == "BEGIN":
            stack.append(value.strip().upper())
            todo = _Todo(number) if stack[-1] == "VTODO" else todo
        elif name == "END":
            component = value.strip().upper()
            if stack and stack[-1] == component:
                stack.pop()
            if component == "VTODO" and todo is not None:
                yield todo
                todo = None
        elif todo is not None and stack[-1:] == ["VTODO"]:
            _note(todo, name, value, number)


def _revised(revisions: dict[str, Revision], item_id: str, todo: _Todo) -> None:
    """Keep the highest SEQUENCE of an item's to-dos (an app may write one per occurrence) and the
    first hash opsbook wrote."""
    earlier = revisions.get(item_id)
    if earlier is None:
        revisions[item_id] = Revision(todo.sequence, todo.digest)
    else:
        revisions[item_id] = Revision(max(earlier.sequence, todo.sequence), earlier.digest or todo.digest)


def read(text: str, shown: str) -> Progress:
    lines = content_lines(text)
    if not lines or lines[0][1].strip().upper() != "BEGIN:VCALENDAR":
        raise unreadable(shown, 1, "it does not start with BEGIN:VCALENDAR: use --force to overwrite it")
    ids, done, warnings = [], [], []
    revisions: dict[str, Revision] = {}
    for todo in _todos(lines):
        item_id, is_done, problems = _result(todo, shown)
        if item_id:
            ids.append(item_id)
            _revised(revisions, item_id, todo)
            if is_done:
                done.append(item_id)
        warnings += problems
    found = progress(ids, done, warnings)
    return Progress(found.ids, found.done, found.warnings, revisions)
