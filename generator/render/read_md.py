"""Ticks from a Markdown plan: GitHub task-list lines `- [x] **title** `item-id``, as people
edit them (`*` or `+` bullets, numbered lists, indented, `[X]`, their own words after the ID)."""

from __future__ import annotations

import re

from generator.core.errors import Problem
from generator.plan.progress import Progress, lost_tick, progress, unreadable
from generator.render.plan_labels import LABELS

# a list marker, then a box of up to three characters that is not a link's text: `[x](url)`
_TASK = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]*\[([^\]]{0,3})\](?!\()(.*)$")
# the first code span that is an item ID; a backslash-escaped backtick (from a title) is text
_ID = re.compile(r"(?<!\\)`([a-z0-9][a-z0-9.\-]*)`")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_TITLES = tuple(f"# {words['title']}:" for words in LABELS.values())


def _lines(text: str) -> list[tuple[int, str]]:
    """Numbered lines outside fenced code blocks (a pasted example is not progress)."""
    out, fenced = [], False
    for number, line in enumerate(text.split("\n"), start=1):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            out.append((number, line.rstrip("\r")))
    return out


def _warning(shown: str, number: int, box: str, item_id: str | None) -> Problem:
    if item_id is None:
        return lost_tick(shown, number, "a ticked task without an item ID in backticks: its tick is not kept; "
                                        "put the item's `id` back after the title")
    return lost_tick(shown, number, f"cannot tell whether `{item_id}` is done from `[{box}]`: it is kept as "
                                    "not done; write `[x]` for done or `[ ]` for not done")


def read(text: str, shown: str) -> Progress:
    ids, done, warnings = [], set(), []
    for number, line in _lines(text):
        match = _TASK.match(line)
        if not match:
            continue
        box = match.group(1).strip()
        found = _ID.search(match.group(2))
        item_id = found.group(1) if found else None
        if item_id is not None:
            ids.append(item_id)
        if box in ("x", "X") and item_id is not None:
            done.add(item_id)
        elif box in ("x", "X") or (box and item_id is not None):  # a tick without an ID, or an unknown mark
            warnings.append(_warning(shown, number, box, item_id))
    if not ids and not text.lstrip().startswith(_TITLES):
        raise unreadable(shown, 1, "no task lines (`- [ ] ... `item-id``) in it: use --force to overwrite it")
    return progress(ids, done, warnings)
