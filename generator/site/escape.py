"""Showing data as text: every string that comes from the KB, rules or a client passes
through `md()` before it goes into a page, so Markdown or HTML in the data is shown, never
interpreted. Mermaid labels have their own syntax and their own helper, `mermaid_label()`."""

from __future__ import annotations

import re
from collections.abc import Iterable

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
    if "&" in flat or "<" in flat or ">" in flat:  # rare: most data has none
        flat = "".join(_ENTITIES.get(c, c) for c in flat)
    flat = _INLINE.sub(r"\\\1", flat)
    return _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), flat)


# Chinese characters and full-width punctuation: a line break between two of them is no space.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])")
_CJK_SPACE = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def cjk_text(text: str) -> str:
    """Data text with the whitespace between two Chinese characters (or marks) removed: a
    source line break there would show as a stray space (`。 下一句`)."""
    return _CJK_SPACE.sub("", text)


def cjk_lines(markdown: str) -> str:
    """Hand-written Markdown with the line breaks between two Chinese characters joined, outside
    fenced code."""
    out, at = [], 0
    for fence in _FENCE.finditer(markdown):
        out += [_CJK_GAP.sub("", markdown[at:fence.start()]), fence.group(0)]
        at = fence.end()
    return "".join([*out, _CJK_GAP.sub("", markdown[at:])])


def _escape_marker(marker: str) -> str:
    if marker[-1] == ".":
        return marker[:-1] + r"\."
    return "\\" + marker if marker in "-+" else "&#61;"


def mermaid_label(text: str) -> str:
    """`text` as a quoted Mermaid label (`"..."`): quotes, angle brackets, `#`, backticks
    and newlines cannot end the label or turn into markup."""
    return mermaid_lines([text])


def mermaid_lines(lines: Iterable[str]) -> str:
    """A quoted Mermaid label of several lines, each escaped as in `mermaid_label`, joined by
    Mermaid's own line break."""
    escaped = []
    for line in lines:
        flat = " ".join(line.split())
        escaped.append("".join(f"#{ord(c)};" if c in '"#<>&`' else c for c in flat))
    return '"' + "<br>".join(escaped) + '"'
