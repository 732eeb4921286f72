"""Showing data as text: every string that comes from the KB, rules or a client passes
through `md()` before it goes into a page, so Markdown or HTML in the data is shown, never
interpreted. Mermaid labels have their own syntax and their own helper, `mermaid_label()`."""

from __future__ import annotations

import re

# Characters Python-Markdown (and the tables extension) unescape after a backslash; any of
# them may start inline markup. `<`, `>` and `&` become entities instead, since a backslash
# before them is not an escape.
_INLINE = re.compile(r"([\\`*_{}\[\]|#!])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# Block markup that only counts at the start of a line: lists, rules, setext underlines.
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+\.)")


def md(text: str) -> str:
    """`text` as Markdown that renders to exactly `text`, on one line (safe in table cells,
    headings, list items and link texts)."""
    flat = " ".join(text.split())
    flat = "".join(_ENTITIES.get(c, c) for c in flat)
    flat = _INLINE.sub(r"\\\1", flat)
    return _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), flat)


def _escape_marker(marker: str) -> str:
    if marker[-1] == ".":
        return marker[:-1] + r"\."
    return "\\" + marker if marker in "-+" else "&#61;"


def mermaid_label(text: str) -> str:
    """`text` as a quoted Mermaid label (`"..."`): quotes, angle brackets, `#`, backticks
    and newlines cannot end the label or turn into markup."""
    flat = " ".join(text.split())
    out = []
    for char in flat:
        out.append(f"#{ord(char)};" if char in '"#<>&`' else char)
    return '"' + "".join(out) + '"'
