"""A Mermaid Gantt chart of dated checklist items (for client plans)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

GanttRow = tuple[str, str, date, date]  # (phase, item title, start, due)

# Statement keywords of Mermaid's gantt grammar: a task or section name starting with
# one would be read as that statement.
_KEYWORDS = re.compile(r"(?i)^(section|title|dateformat|axisformat|tickinterval|excludes|includes|"
                       r"todaymarker|weekday|weekend|inclusiveenddates|topaxis|accdescr|acctitle|click|%%)")
# Characters that end a name in the gantt grammar, swapped for look-alikes.
_SWAP = str.maketrans({":": "：", ";": "；", "#": "＃", "\n": " ", "\r": " "})


def _name(text: str) -> str:
    name = " ".join(text.translate(_SWAP).split()) or "-"
    # A zero-width space in front keeps a keyword-like name a plain name.
    return "\u200b" + name if _KEYWORDS.match(name) else name


def gantt(rows: Iterable[GanttRow], title: str = "", axis_format: str = "%m-%d", tick_interval: str = "") -> str:
    """Mermaid `gantt` text: one section per phase (in order of first appearance; rows with an
    empty phase get none), one task per row from its start date to its due date; `axis_format`
    labels the time axis (strftime-like: `%Y-%m` for charts that span years), a tick every
    `tick_interval` (`1week`, `2month`; Mermaid's choice when empty). No "today" line: a
    published plan is read on other days than it was built."""
    sections: dict[str, list[str]] = {}
    for phase, item, start, due in rows:
        if due < start:
            raise ValueError(f"{item!r} is due ({due}) before it starts ({start})")
        task = f"    {_name(item)} :{start.isoformat()}, {due.isoformat()}"
        sections.setdefault(phase, []).append(task)
    # inclusiveEndDates: an item due on the day it starts still gets a one-day bar.
    lines = ["gantt", "    dateFormat YYYY-MM-DD", f"    axisFormat {axis_format}", "    inclusiveEndDates",
             "    todayMarker off"]
    if tick_interval:
        lines.append(f"    tickInterval {tick_interval}")
    if title:
        lines.append(f"    title {_name(title)}")
    for phase, tasks in sections.items():
        if phase:
            lines.append(f"    section {_name(phase)}")
        lines += tasks
    return "\n".join(lines) + "\n"
