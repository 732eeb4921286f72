"""iCalendar: one VTODO per item from its start to its due date, and RRULE for recurring items."""

from __future__ import annotations

import datetime as dt

from generator.plan.model import Plan, PlanItem
from generator.render.labels import LABELS, number
from generator.render.text import owner_text, why

ICS_PRIORITY = {"critical": 1, "high": 3, "medium": 5, "low": 7}
# RFC 5545 (3.8.2.3) wants DUE later than DTSTART. With all-day DATE values a one-day item
# (start == due) would need DUE on the next day, and Thunderbird, Apple Reminders and
# Evolution all show a DATE DUE as the day it is due: the task would look a day late, and
# for one-day items only. Floating date-times (no time zone: the reader's local working day)
# keep every app on the plan's own days and DUE always after DTSTART, same day or not.
DAY_STARTS = "T090000"
DAY_ENDS = "T180000"


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


def _stamp(day: dt.date) -> str:
    return day.strftime("%Y%m%dT000000Z")  # a fixed stamp: same inputs, same bytes


def _description(item: PlanItem, lang: str) -> str:
    words = LABELS[lang]
    return (f"{words['done_when']}: {item.done_when}\n"
            f"{words['why']}: {why(item, lang)}\n"
            f"{words['owner']}: {owner_text(item, lang)}\n"
            f"{words['effort']}: {number(item.effort)}")


def _todo(item: PlanItem, plan: Plan) -> list[str]:
    lines = [
        "BEGIN:VTODO",
        f"UID:{item.id}@opsbook",
        f"DTSTAMP:{_stamp(plan.start_date)}",
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
    return [*lines, "END:VTODO"]


def render(plan: Plan) -> bytes:
    name = f"{LABELS[plan.lang]['title']}: {plan.client_name}"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//opsbook//operations plan//EN",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{escape(name)}"]
    for item in plan.items:
        lines += _todo(item, plan)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(folded for line in lines for folded in fold(line)) + "\r\n").encode("utf-8")
