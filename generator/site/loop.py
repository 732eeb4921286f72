"""The operating loop page and one page per phase, each with its Mermaid diagram."""

from __future__ import annotations

from collections.abc import Iterator

from generator.kb.model import Phase
from generator.site import paths
from generator.site.diagrams import loop_flowchart, phase_flows
from generator.site.escape import md
from generator.site.markup import Ctx, bullets, heading, join
from generator.site.page import Page, SiteData
from generator.words import word


def loop_page(data: SiteData, lang: str) -> Page:
    ctx = Ctx(data.kb, lang, paths.LOOP)
    title = ctx.word("loop")
    listing = bullets(ctx.pair(f"**{ctx.phase(p.id)}**", ctx.t(p.purpose)) for p in data.kb.phases)
    content = join(heading(1, md(title)), word(lang, "intro.loop"), loop_flowchart(data.kb, lang), listing)
    return Page(paths.LOOP, title, content, (title,))


def phase_page(data: SiteData, phase: Phase, lang: str) -> Page:
    path = paths.phase(phase.id)
    ctx = Ctx(data.kb, lang, path)
    title = phase.title(lang)
    steps = bullets(ctx.pair(ctx.step(s.id), ctx.t(s.purpose)) for s in phase.steps)
    flows = phase_flows(data.kb, phase, lang)
    drawn = [join(heading(3, md(f.title)) if f.title else "", f.body).rstrip() for f in flows]
    content = join(
        heading(1, f"{phase.order}. {md(title)}"),
        ctx.t(phase.purpose),
        heading(2, md(ctx.word("flow"))), md(ctx.word("flow_note")), *drawn,
        heading(2, md(ctx.word("steps"))), steps,
        heading(2, md(ctx.word("inputs"))), bullets(ctx.t(t) for t in phase.inputs),
        heading(2, md(ctx.word("outputs"))), bullets(ctx.t(t) for t in phase.outputs),
        ctx.pair(md(ctx.word("handbook")), ctx.sources(phase.sources)),
    )
    return Page(path, title, content, (ctx.word("loop"), title))


def pages(data: SiteData, lang: str) -> Iterator[Page]:
    yield loop_page(data, lang)
    for phase in data.kb.phases:
        yield phase_page(data, phase, lang)
