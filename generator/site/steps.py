"""One page per step: purpose, RACI, inputs and outputs, KPIs, sources, the checklist."""

from __future__ import annotations

from collections.abc import Iterator

from generator.kb.model import Step
from generator.site import paths
from generator.site.checklist import tasks
from generator.site.escape import md
from generator.site.markup import Ctx, bullets, heading, join, table
from generator.site.page import Page, SiteData
from generator.site.page_labels import vocab


def _raci(ctx: Ctx, step: Step) -> str:
    rows = ([ctx.role(role), md(vocab(letter, ctx.lang))] for letter in "ARCI"
            for role in step.roles_with(letter))
    return table([md(ctx.word("role")), md(ctx.word("letter"))], rows)


def _kpis(ctx: Ctx, step: Step) -> str:
    if not step.kpis:
        return md(ctx.word("none"))
    return bullets(ctx.pair(ctx.kpi(k), ctx.t(ctx.kb.kpi_by_id[k].definition)) for k in step.kpis)


def _meta(ctx: Ctx, step: Step) -> str:
    parts = [ctx.pair(md(ctx.word("phase")), ctx.phase(step.phase)),
             ctx.pair(md(ctx.word("domain")), md(vocab(step.domain, ctx.lang))),
             ctx.pair(md(ctx.word("horizon")), md(vocab(step.horizon, ctx.lang)))]
    if step.depends_on:
        after = ctx.listing(ctx.step(d) for d in step.depends_on)
        parts.append(ctx.pair(md(ctx.word("depends_on")), after))
    return "  \n".join(parts)


def step_page(data: SiteData, step: Step, lang: str) -> Page:
    path = paths.step(step)
    ctx = Ctx(data.kb, lang, path)
    title = step.title(lang)
    note = f'!!! note ""\n    {md(ctx.word("completion_note"))}' if step.completion else ""
    inputs = bullets(ctx.t(t) for t in step.inputs) or md(ctx.word("none"))
    content = join(
        heading(1, md(title)), _meta(ctx, step), note,
        heading(2, md(ctx.word("purpose"))), ctx.t(step.purpose),
        heading(2, "RACI"), _raci(ctx, step),
        heading(2, md(ctx.word("inputs"))), inputs,
        heading(2, md(ctx.word("outputs"))), bullets(ctx.t(t) for t in step.outputs),
        heading(2, md(ctx.word("step_kpis"))), _kpis(ctx, step),
        heading(2, md(ctx.word("checklist"))), tasks(ctx, step.items),
        heading(2, md(ctx.word("handbook"))), ctx.sources(step.sources),
    )
    phase = data.kb.phase_by_id[step.phase]
    return Page(path, title, content, (ctx.word("loop"), phase.title(lang)))


def pages(data: SiteData, lang: str) -> Iterator[Page]:
    for step in data.kb.steps:
        yield step_page(data, step, lang)
