"""Python-Markdown's inline processor without the tries that cannot match.

The stock processor tries every inline pattern (code, escapes, links, images, autolinks, line
breaks, HTML, entities, emphasis) on every piece of text, each try a round of Python calls;
on the playbook's pages that was a third of the Markdown time. Each stock pattern needs a
character to match (`[` for a link, `` ` `` for code, `*` or `_` for emphasis ...), and a
reference needs a page that defines one: a pattern that cannot match is passed over, as the
stock processor passes it when its search finds nothing. A pattern another extension put in
place of a stock one (a different regex under the same name) is always tried. The HTML is
the stock processor's (tests/site/test_markdown_speed.py compares them)."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown, inlinepatterns
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString

# Registry name -> (the stock pattern's regex, what a text must contain for it to match).
NEEDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "backtick": (inlinepatterns.BACKTICK_RE, ("`",)),
    "escape": (inlinepatterns.ESCAPE_RE, ("\\",)),
    "reference": (inlinepatterns.REFERENCE_RE, ("[",)),
    "link": (inlinepatterns.LINK_RE, ("[",)),
    "image_link": (inlinepatterns.IMAGE_LINK_RE, ("![",)),
    "image_reference": (inlinepatterns.IMAGE_REFERENCE_RE, ("![",)),
    "short_reference": (inlinepatterns.REFERENCE_RE, ("[",)),
    "short_image_ref": (inlinepatterns.IMAGE_REFERENCE_RE, ("![",)),
    "autolink": (inlinepatterns.AUTOLINK_RE, ("<",)),
    "automail": (inlinepatterns.AUTOMAIL_RE, ("<",)),
    "linebreak": (inlinepatterns.LINE_BREAK_RE, ("  \n",)),
    "html": (inlinepatterns.HTML_RE, ("<",)),
    "entity": (inlinepatterns.ENTITY_RE, ("&",)),
}


def needs(name: str, pattern: Any) -> tuple[str, ...] | None:
    """What a text must contain for the registered pattern `name` to match; None: anything
    (a pattern this module does not know)."""
    if isinstance(pattern, inlinepatterns.DelimiterProcessor) and name == "em_strong":
        return tuple(pattern.tokens)  # emphasis: one of its delimiters
    known = NEEDS.get(name)
    if known is None or not isinstance(pattern, inlinepatterns.InlineProcessor):
        return None
    regex, chars = known
    return chars if pattern.pattern == regex else None


class SkippingInlineProcessor(InlineProcessor):
    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        registry = self.inlinePatterns
        self._patterns = list(registry)
        self._needs = [needs(name, registry[name]) for name in (p.name for p in registry._priority)]
        if not self.md.references:  # `[text][ref]` without any reference defined: no match
            self._needs = [() if isinstance(p, inlinepatterns.ReferenceInlineProcessor) and n is not None else n
                           for p, n in zip(self._patterns, self._needs, strict=True)]
        return super().run(tree, ancestors)

    # The stock processor's private method (name-mangled), called for every text and for the
    # text inside each match.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, AtomicString):
            return data
        apply = self._InlineProcessor__applyPattern
        patterns, wanted = self._patterns, self._needs
        start = 0
        while patternIndex < len(patterns):
            chars = wanted[patternIndex]
            if chars is not None:
                for c in chars:
                    if c in data:
                        break
                else:  # none of them: the pattern cannot match
                    patternIndex, start = patternIndex + 1, 0
                    continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


class SkippingInlineExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(SkippingInlineProcessor(md), "inline", 20)


def makeExtension(**kwargs: Any) -> SkippingInlineExtension:
    return SkippingInlineExtension(**kwargs)
