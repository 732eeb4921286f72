"""The glossary page: every term with its definition, aliases and related terms."""

from __future__ import annotations

from collections.abc import Iterator

from generator.kb.model import Term
from generator.site import paths
from generator.site.escape import md
from generator.site.markup import Ctx, heading, join
from generator.site.page import Page, SiteData

INTRO = {
    "zh": "这些术语在全站任何页面出现时都带有悬停提示。",
    "en": "Wherever these terms appear on the site, hovering over them shows their definition.",
}


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
    return join(heading(2, title, paths.anchor("term", term.id)), "\n\n".join(lines))


def pages(data: SiteData, lang: str) -> Iterator[Page]:
    ctx = Ctx(data.kb, lang, paths.GLOSSARY)
    title = ctx.word("glossary")
    terms = sorted(data.kb.glossary, key=lambda t: t.term(lang).lower())
    content = join(heading(1, md(title)), INTRO[lang], *(_entry(ctx, t) for t in terms))
    yield Page(paths.GLOSSARY, title, content, (ctx.word("reference"),))
