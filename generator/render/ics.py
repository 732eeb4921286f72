"""iCalendar: one VTODO per item from its start to its due date, and RRULE for recurring items.

Revisions. The same inputs give the same bytes, so nothing here reads the clock. A to-do's
SEQUENCE counts the times its content changed: 0 in a new file; on `--update` the earlier
file's SEQUENCE, plus one when the X-OPSBOOK-HASH written beside it (a digest of every property
but the revision ones) no longer matches. DTSTAMP and LAST-MODIFIED are revision stamps, not
clock readings: REVISION_ORIGIN plus SEQUENCE seconds. The origin lies before this version of
opsbook existed, so no stamp is ever in the future (a plan's own dates often are: the start
date of a plan made in December may be in January), and a changed to-do always carries a
later stamp and a higher SEQUENCE than the copy a calendar app imported before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping

from generator.plan.model import Plan, PlanItem, Revision
from generator.render.plan_labels import LABELS, number
from generator.render.read_ics import HASH, MAX_SEQUENCE
from generator.render.text import owner_text, why

ICS_PRIORITY = {"critical": 1, "high": 3, "medium": 5, "low": 7}
# RFC 5545 (3.8.2.3) wants DUE later than DTSTART. With all-day DATE values a one-day item
# (start == due) would need DUE on the next day, and Thunderbird, Apple Reminders and
# Evolution all show a DATE DUE as the day it is due: the task would look a day late, and
# for one-day items only. Floating date-times (no time zone: the reader's local working day)
# keep every app on the plan's own days and DUE always after DTSTART, same day or not.
DAY_STARTS = "T090000"
DAY_ENDS = "T180000"
# Move it only forward, and never past the date the version that writes it is released.
REVISION_ORIGIN = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
MAX_REVISION_SECONDS = 86_400  # stamps stay within a day of the origin, whatever SEQUENCE an app wrote


def escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def stamp(sequence: int) -> str:
    """The revision stamp of a to-do's `sequence`-th revision (see the module's docstring)."""
    moment = REVISION_ORIGIN + dt.timedelta(seconds=min(sequence, MAX_REVISION_SECONDS))
    return moment.strftime("%Y%m%dT%H%M%SZ")


def digest(lines: list[str]) -> str:
    return hashlib.sha256("\r\n".join(lines).encode("utf-8")).hexdigest()[:16]


def sequence(content: str, earlier: Revision | None) -> int:
    """0 for a to-do the earlier file did not hold; its SEQUENCE there, plus one if it changed."""
    if earlier is None:
        return 0
    changed = 1 if earlier.digest != content else 0
    return min(earlier.sequence + changed, MAX_SEQUENCE)


def _description(item: PlanItem, lang: str) -> str:
    words = LABELS[lang]
    return (f"{words['done_when']}: {item.done_when}\n"
            f"{words['why']}: {why(item, lang)}\n"
            f"{words['owner']}: {owner_text(item, lang)}\n"
            f"{words['effort']}: {number(item.effort)}")


def _content(item: PlanItem, plan: Plan) -> list[str]:
    lines = [
        f"UID:{item.id}@opsbook",
        f"SUMMARY:{escape(item.title)}",
        f"DESCRIPTION:{escape(_description(item, plan.lang))}",
        f"DTSTART:{item.start.strftime('%Y%m%d')}{DAY_STARTS}",
        f"DUE:{item.due.strftime('%Y%m%d')}{DAY_ENDS}",
        f"PRIORITY:{ICS_PRIORITY[item.priority]}",
        f"CATEGORIES:{escape(plan.phase_titles.get(item.phase, item.phase))}",
        f"STATUS:{'COMPLETED' if item.done else 'NEEDS-ACTION'}",
    ]
    if item.recurrence:
        lines.append(f"RRULE:{item.recurrence}")
    return lines


def _todo(item: PlanItem, plan: Plan, earlier: Revision | None) -> list[str]:
    content = _content(item, plan)
    hashed = digest(content)
    revision = sequence(hashed, earlier)
    when = stamp(revision)
    return ["BEGIN:VTODO", content[0], f"DTSTAMP:{when}", f"LAST-MODIFIED:{when}", f"SEQUENCE:{revision}",
            *content[1:], f"{HASH}:{hashed}", "END:VTODO"]


def calendar(plan: Plan, earlier: Mapping[str, Revision]) -> bytes:
    """The calendar of `plan`, each to-do's revision counted on from `earlier` (read_ics.read)."""
    name = f"{LABELS[plan.lang]['title']}: {plan.client_name}"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//opsbook//operations plan//EN",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{escape(name)}"]
    for item in plan.items:
        lines += _todo(item, plan, earlier.get(item.id))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(folded for line in lines for folded in fold(line)) + "\r\n").encode("utf-8")


def render(plan: Plan) -> bytes:
    return calendar(plan, plan.revisions)  # the earlier file's, which `--update` hands on
