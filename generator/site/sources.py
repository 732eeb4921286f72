"""The source-coverage page: each handbook section and the elements citing it; implied
sections and completions (content the handbooks do not spell out) are marked."""

from __future__ import annotations

from collections.abc import Iterator

from generator.kb.model import (
    Fact,
    Item,
    Kpi,
    Phase,
    Role,
    Section,
    Step,
    Template,
    Term,
)
from generator.site import paths
from generator.site.escape import md
from generator.site.markup import Ctx, bullets, heading, join, search_boost, table
from generator.site.page import Page, SiteData
from generator.words import word

Citation = tuple[str, bool]  # (Markdown of "kind: link", is a completion)
Cited = Phase | Step | Item | Role | Kpi | Term | Template | Fact


def citations(ctx: Ctx) -> dict[str, list[Citation]]:
    """Section ID -> the elements citing it, in KB order."""
    kb = ctx.kb
    found: dict[str, list[Citation]] = {s.id: [] for s in kb.sections}
    lang = ctx.lang
    kb_elements: list[tuple[str, str, Cited]] = [
        *(("phase", ctx.phase(p.id), p) for p in kb.phases),
        *(("step", ctx.step(s.id), s) for s in kb.steps),
        *(("item", ctx.a(i.title(lang), paths.step(kb.step_by_id[i.step])), i) for i in kb.items),
        *(("role", ctx.role(r.id), r) for r in kb.roles),
        *(("kpi", ctx.kpi(k.id), k) for k in kb.kpis),
        *(("term", ctx.term(t.id), t) for t in kb.glossary),
        *(("template", ctx.a(t.title(lang), paths.TEMPLATES, paths.anchor("template", t.id)), t)
          for t in kb.templates),
        *(("fact", ctx.a(f.label(lang), paths.FACTS, paths.anchor("fact", f.id)), f)
          for f in kb.facts),
    ]
    for kind, link, element in kb_elements:
        for section in element.sources:
            found[section].append((ctx.pair(md(ctx.word(kind)), link), element.completion))
    return found


def _section(ctx: Ctx, section: Section, cited: list[Citation]) -> str:
    mark = f" *({md(ctx.word('completion'))})*"
    listing = bullets(text + (mark if completion else "") for text, completion in cited)
    implied = f'!!! note ""\n    {md(ctx.word("implied"))}' if section.implied else ""
    return join(heading(3, f"{section.id} {ctx.t(section.title)}", paths.anchor("src", section.id)),
                implied, listing or md(ctx.word("not_cited")))


def _summary(ctx: Ctx, found: dict[str, list[Citation]]) -> str:
    headers = [md(ctx.word("handbook")), md(ctx.word("cited_by")), md(ctx.word("completions"))]
    implied = f" *({md(ctx.word('implied_short'))})*"
    rows = ([ctx.source(s.id) + (implied if s.implied else ""),
             str(len(found[s.id])), str(sum(c for _, c in found[s.id]))] for s in ctx.kb.sections)
    return table(headers, rows, centred=2)


def pages(data: SiteData, lang: str) -> Iterator[Page]:
    ctx = Ctx(data.kb, lang, paths.SOURCES)
    title = ctx.word("sources")
    found = citations(ctx)
    blocks = [search_boost(0.3) + heading(1, md(title)), word(lang, "intro.sources"), _summary(ctx, found)]
    for handbook in data.kb.handbooks:
        blocks.append(heading(2, f"{handbook.id}: {ctx.t(handbook.title)}"))
        sections = (s for s in data.kb.sections if s.handbook == handbook.id)
        blocks += [_section(ctx, s, found[s.id]) for s in sections]
    yield Page(paths.SOURCES, title, join(*blocks), (ctx.word("reference"),))
