"""The RACI matrix: every step against every role, one table per phase."""

from __future__ import annotations

from collections.abc import Iterator

from generator.kb.model import Phase
from generator.site import paths
from generator.site.escape import md
from generator.site.labels import vocab
from generator.site.markup import Ctx, bullets, heading, join, table
from generator.site.page import Page, SiteData


def _legend(ctx: Ctx) -> str:
    return bullets(f"**{letter}**: {md(vocab(letter, ctx.lang))}" for letter in "RACI")


def _phase_table(ctx: Ctx, phase: Phase) -> str:
    roles = ctx.kb.roles
    headers = [md(ctx.word("step")), *(ctx.role(r.id) for r in roles)]
    rows = ([ctx.step(s.id), *(dict(s.raci).get(r.id, "") for r in roles)] for s in phase.steps)
    return table(headers, rows, centred=len(roles))


def pages(data: SiteData, lang: str) -> Iterator[Page]:
    ctx = Ctx(data.kb, lang, paths.RACI)
    title = ctx.word("raci")
    blocks = [heading(1, md(title)), _legend(ctx)]
    for phase in data.kb.phases:
        blocks += [heading(2, ctx.phase(phase.id)), _phase_table(ctx, phase)]
    yield Page(paths.RACI, title, join(*blocks), (ctx.word("reference"),))
