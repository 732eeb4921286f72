"""iCalendar: one VTODO per item with its due date, and RRULE for recurring items."""

from __future__ import annotations

import datetime as dt

from generator.plan.model import Plan, PlanItem
from generator.render.labels import LABELS
from generator.render.markdown import why

ICS_PRIORITY = {"critical": 1, "high": 3, "medium": 5, "low": 7}


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


def _todo(item: PlanItem, plan: Plan) -> list[str]:
    words = LABELS[plan.lang]
    description = (
        f"{words['done_when']}: {item.done_when}\n"
        f"{words['why']}: {why(item, plan.lang)}\n"
        f"{words['owner']}: {item.owner_title}"
    )
    lines = [
        "BEGIN:VTODO",
        f"UID:{item.id}@opsbook",
        f"DTSTAMP:{_stamp(plan.start_date)}",
        f"SUMMARY:{escape(item.title)}",
        f"DESCRIPTION:{escape(description)}",
        f"DUE;VALUE=DATE:{item.due.strftime('%Y%m%d')}",
        f"PRIORITY:{ICS_PRIORITY[item.priority]}",
        f"CATEGORIES:{escape(plan.phase_titles.get(item.phase, item.phase))}",
        f"STATUS:{'COMPLETED' if item.done else 'NEEDS-ACTION'}",
    ]
    if item.recurrence:
        lines.insert(6, f"DTSTART;VALUE=DATE:{item.due.strftime('%Y%m%d')}")
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
