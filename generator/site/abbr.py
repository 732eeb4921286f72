"""Python-Markdown's `abbr` (the glossary tooltips), matching inside Chinese text, only where
a reader expects a tooltip.

- Chinese characters count as word characters for the stock extension's `\\b`, so `闭环` in
  `运营闭环体系`, or `KPI` in `核心KPI`, would never match. Here a boundary is only required
  against Latin letters and digits, and a Chinese term must be a whole word of its sentence as
  the segmenter cuts it (jieba, with the KB's terms in its dictionary): `留存` is marked in
  `提升留存`, not in `保留存货`.
- Only body text: never in headings, item titles (bold), links, code or other identifiers.
- One tooltip per term per paragraph (or list item, or table cell): its first occurrence."""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as etree
from typing import Any

import jieba
from markdown import Markdown
from markdown.extensions.abbr import AbbrBlockprocessor, AbbrExtension, AbbrTreeprocessor
from markdown.util import AtomicString

_WORD = "A-Za-z0-9_"
_HAN = re.compile(r"[\u3400-\u9fff]")
SKIP = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "a", "code", "pre", "kbd", "abbr",
                  "script", "style", "nav"})
BLOCKS = frozenset({"p", "li", "td", "th", "dt", "dd", "blockquote", "div", "details", "summary"})


def pattern(name: str) -> str:
    """The regex of one abbreviation: no Latin letter or digit may touch a Latin end.
    Every pattern starts with its literal first character (the look-behind comes after
    it), so the alternation of all of them gets the regex engine's first-character scan."""
    first, rest = re.escape(name[0]), re.escape(name[1:])
    before = f"(?<![{_WORD}].)" if re.match(f"[{_WORD}]", name[0]) else ""
    after = f"(?![{_WORD}])" if re.match(f"[{_WORD}]", name[-1]) else ""
    return first + before + rest + after


@functools.lru_cache(maxsize=4)
def terms_regex(names: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for all the terms: the longest that matches at a place wins (运营闭环 before
    闭环). The terms are grouped by their first character, each group in that order, so the
    regex engine tries only the group of the character it is at (the same matches as the plain
    alternation of `pattern()`s, longest first, in a fraction of the time)."""
    groups: dict[str, list[str]] = {}
    for name in sorted(names, key=len, reverse=True):
        groups.setdefault(name[0], []).append(pattern(name)[len(re.escape(name[0])):])
    return re.compile("|".join(re.escape(first) + "(?:" + "|".join(rests) + ")" for first, rests in groups.items()))


def word_bounds(text: str) -> set[int]:
    """The offsets in `text` where the segmenter starts or ends a word."""
    bounds, at = {0}, 0
    for word in jieba.cut(text):
        at += len(word)
        bounds.add(at)
    return bounds


class CjkAbbrTreeprocessor(AbbrTreeprocessor):
    def run(self, root: etree.Element) -> etree.Element | None:
        if not self.abbrs:
            return None
        self.RE = terms_regex(tuple(self.abbrs))
        self._walk(root, set())
        return None

    def _walk(self, el: etree.Element, seen: set[str]) -> None:
        """Mark terms in `el`'s own text and in its children (in document order); `seen` holds
        the terms already marked in the paragraph."""
        if el.tag in SKIP:
            return
        if el.tag in BLOCKS:
            seen = set()
        children = list(el)
        el.text, made = self._marked(el.text, seen)
        for n, abbr in enumerate(made):
            el.insert(n, abbr)
        at = len(made)  # where the next child is now
        for child in children:
            self._walk(child, seen)
            child.tail, made = self._marked(child.tail, seen)
            for n, abbr in enumerate(made, start=at + 1):
                el.insert(n, abbr)
            at += 1 + len(made)

    def _marked(self, text: str | None, seen: set[str]) -> tuple[str | None, list[etree.Element]]:
        """`text` up to its first marked term, and the <abbr> elements (each with the text that
        follows it as its tail)."""
        if not text or isinstance(text, AtomicString):
            return text, []
        assert self.RE is not None
        found = [m for m in self.RE.finditer(text) if self.abbrs.get(m.group(0))]
        if any(_HAN.search(m.group(0)) for m in found):
            bounds = word_bounds(text)
            found = [m for m in found if not _HAN.search(m.group(0)) or {m.start(), m.end()} <= bounds]
        keep = []
        for m in found:
            if m.group(0) not in seen and self.abbrs[m.group(0)] not in seen:
                seen |= {m.group(0), self.abbrs[m.group(0)]}  # a term, under any of its names
                keep.append(m)
        if not keep:
            return text, []
        made = []
        for m, after in zip(keep, [*(k.start() for k in keep[1:]), len(text)], strict=True):
            made.append(self.create_element(self.abbrs[m.group(0)], m.group(0), text[m.end():after]))
        return text[:keep[0].start()], made


class DefinitionsBlockprocessor(AbbrBlockprocessor):
    """The stock definitions reader, quicker on what every page ends with: a block of ~150
    definitions. A block without `*[` holds none (the stock reader searches it in vain); a
    block that is only definitions is read in one go (the stock reader takes one, then hands
    the rest back as a new block to be tried by every processor again). The same
    abbreviations, in the same order."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return "*[" in block

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        found, at = [], 0
        for m in self.RE.finditer(blocks[0]):
            abbr, title = m.group("abbr").strip(), m.group("title").strip()
            if m.start() != at or not (abbr and title):
                return super().run(parent, blocks)  # anything else: as the stock reader does
            found.append((abbr, title))
            at = m.end() + 1  # the next line
        if not found or blocks[0][at - 1:].strip():
            return super().run(parent, blocks)
        blocks.pop(0)
        for abbr, title in found:
            if title in ("''", '""'):
                self.abbrs.pop(abbr, None)
            else:
                self.abbrs[abbr] = title
        return True


class CjkAbbrExtension(AbbrExtension):
    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)
        md.treeprocessors.register(CjkAbbrTreeprocessor(md, self.abbrs), "abbr", 7)
        # Every page ends with ~150 definitions: take each one before the other block
        # processors test it (the stock priority, 16, made them a third of the build time).
        md.parser.blockprocessors.register(DefinitionsBlockprocessor(md.parser, self.abbrs), "abbr", 110)


def makeExtension(**kwargs: Any) -> CjkAbbrExtension:
    return CjkAbbrExtension(**kwargs)
