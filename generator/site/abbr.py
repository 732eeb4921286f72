"""Python-Markdown's `abbr`, but matching inside Chinese text.

The stock extension requires a word boundary (`\\b`) on both sides of an abbreviation, and
Chinese characters count as word characters, so `闭环` inside `运营闭环体系`, or `KPI` in
`核心KPI`, never match. Here a boundary is only required against Latin letters and digits."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Markdown
from markdown.extensions.abbr import (
    AbbrBlockprocessor,
    AbbrExtension,
    AbbrTreeprocessor,
)

_WORD = "A-Za-z0-9_"


def pattern(name: str) -> str:
    """The regex of one abbreviation: no Latin letter or digit may touch a Latin end.
    Every pattern starts with its literal first character (the look-behind comes after
    it), so the alternation of all of them gets the regex engine's first-character scan."""
    first, rest = re.escape(name[0]), re.escape(name[1:])
    before = f"(?<![{_WORD}].)" if re.match(f"[{_WORD}]", name[0]) else ""
    after = f"(?![{_WORD}])" if re.match(f"[{_WORD}]", name[-1]) else ""
    return first + before + rest + after


class CjkAbbrTreeprocessor(AbbrTreeprocessor):
    def run(self, root: etree.Element) -> etree.Element | None:
        if not self.abbrs:
            return None
        names = sorted(self.abbrs, key=len, reverse=True)  # longest first: 运营闭环 before 闭环
        self.RE = re.compile("|".join(pattern(n) for n in names))
        self.iter_element(root)
        return None


class CjkAbbrExtension(AbbrExtension):
    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)
        md.treeprocessors.register(CjkAbbrTreeprocessor(md, self.abbrs), "abbr", 7)
        # Every page ends with ~150 definitions: take each one before the other block
        # processors test it (the stock priority, 16, made them a third of the build time).
        md.parser.blockprocessors.register(AbbrBlockprocessor(md.parser, self.abbrs), "abbr", 110)


def makeExtension(**kwargs: Any) -> CjkAbbrExtension:
    return CjkAbbrExtension(**kwargs)
