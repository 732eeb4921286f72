"""The RACI matrix: every step against every role, one table per phase; on a phone, one line
per step instead (the roles by letter); printed, the whole matrix on landscape pages."""

from __future__ import annotations

from collections.abc import Iterator

from generator.kb.model import Phase
from generator.site import paths
from generator.site.escape import md
from generator.site.markup import Ctx, bullets, heading, join, table
from generator.site.page import Page, SiteData
from generator.site.page_labels import vocab


def _legend(ctx: Ctx) -> str:
    """Each letter and its meaning, said once ("R: 执行", not "R: 执行（R）" as a step page's
    table has it)."""
    def meaning(letter: str) -> str:
        return vocab(letter, ctx.lang).removesuffix(f"（{letter}）").removesuffix(f" ({letter})")

    return bullets(f"**{letter}**: {md(meaning(letter))}" for letter in "RACI")


def _phase_table(ctx: Ctx, phase: Phase) -> str:
    """The matrix of one phase: steps down, roles across (the first column and the header
    stay in view while it scrolls; extra.css)."""
    roles = ctx.kb.roles
    headers = [md(ctx.word("step")), *(ctx.role(r.id) for r in roles)]
    rows = ([ctx.step(s.id), *(dict(s.raci).get(r.id, "") for r in roles)] for s in phase.steps)
    return f'<div class="opsbook-raci" markdown>\n\n{table(headers, rows, centred=len(roles))}\n\n</div>'


def _phase_list(ctx: Ctx, phase: Phase) -> str:
    """The same, one line per step with the roles by letter: what a phone shows instead of the
    matrix (kept out of the search index, which has the matrix)."""
    lines = []
    for step in phase.steps:
        raci = dict(step.raci)
        parts = [f"**{letter}** " + ctx.listing(ctx.role(r.id) for r in ctx.kb.roles if raci.get(r.id) == letter)
                 for letter in "RACI" if letter in raci.values()]
        lines.append(ctx.pair(ctx.step(step.id), " · ".join(parts)))
    return f'<div class="opsbook-raci-list" data-search-exclude markdown>\n\n{bullets(lines)}\n\n</div>'


def _by_role(ctx: Ctx) -> str:
    return ctx.pair(md(ctx.word("by_role")), ctx.listing(ctx.role(r.id) for r in ctx.kb.roles))


def pages(data: SiteData, lang: str) -> Iterator[Page]:
    ctx = Ctx(data.kb, lang, paths.RACI)
    title = ctx.word("raci")
    blocks = [heading(1, md(title)), _legend(ctx), _by_role(ctx)]
    for phase in data.kb.phases:
        blocks += [heading(2, ctx.phase(phase.id)), _phase_table(ctx, phase), _phase_list(ctx, phase)]
    yield Page(paths.RACI, title, join(*blocks), (ctx.word("reference"),))
