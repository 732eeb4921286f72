"""The glossary page: every term with its definition, aliases and related terms, in
alphabetical order (Chinese terms by their pinyin, pypinyin), under one heading per initial
letter, with a letter index at the top."""

from __future__ import annotations

from collections.abc import Iterator

from pypinyin import Style, lazy_pinyin

from generator.kb.model import Term
from generator.site import paths
from generator.site.escape import md
from generator.site.markup import Ctx, heading, join
from generator.site.page import Page, SiteData
from generator.words import word


def sort_key(text: str, lang: str) -> str:
    """Alphabetical: Chinese characters by their pinyin (`毛利率` -> `mao li lv`)."""
    if lang != "zh":
        return text.lower()
    return " ".join(lazy_pinyin(text, style=Style.NORMAL, errors="default")).lower()


def initial(text: str, lang: str) -> str:
    """The letter a term is filed under; `0–9` for one that starts with a digit, `#` for any
    other that starts with neither a letter nor a Chinese character."""
    first = sort_key(text, lang)[:1].upper()
    return first if "A" <= first <= "Z" else "0–9" if first.isdigit() else "#"


def _entry(ctx: Ctx, term: Term) -> str:
    other = term.term("en" if ctx.lang == "zh" else "zh")
    lines = [ctx.t(term.definition)]
    if term.aliases:
        lines.append(ctx.pair(md(ctx.word("aliases")), ctx.listing(md(a) for a in term.aliases)))
    if term.see_also:
        related = ctx.listing(ctx.term(t) for t in term.see_also)
        lines.append(ctx.pair(md(ctx.word("see_also")), related))
    lines.append(ctx.pair(md(ctx.word("handbook")), ctx.sources(term.sources)))
    title = f"{ctx.t(term.term)} · {md(other)}"
    return join(heading(3, title, paths.anchor("term", term.id)), "\n\n".join(lines))


def letter_anchor(letter: str) -> str:
    return "letter-" + {"#": "other", "0–9": "digits"}.get(letter, letter.lower())


def pages(data: SiteData, lang: str) -> Iterator[Page]:
    ctx = Ctx(data.kb, lang, paths.GLOSSARY)
    title = ctx.word("glossary")
    terms = sorted(data.kb.glossary, key=lambda t: sort_key(t.term(lang), lang))
    groups: dict[str, list[Term]] = {}
    for term in terms:
        groups.setdefault(initial(term.term(lang), lang), []).append(term)
    index = " ".join(f"[{md(letter)}](#{letter_anchor(letter)})" for letter in groups)
    letters = f'<nav class="opsbook-letters" aria-label="{ctx.word("letters")}" markdown="span">{index}</nav>'
    blocks = [heading(1, md(title)), word(lang, "intro.glossary"), letters]
    for letter, members in groups.items():
        blocks.append(heading(2, md(letter), letter_anchor(letter)))
        blocks += [_entry(ctx, t) for t in members]
    yield Page(paths.GLOSSARY, title, join(*blocks), (ctx.word("reference"),))
