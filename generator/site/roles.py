"""The roles overview and one "my responsibilities" page per role."""

from __future__ import annotations

from collections.abc import Iterator

from generator.kb.model import Role
from generator.site import paths
from generator.site.checklist import tasks
from generator.site.escape import md
from generator.site.markup import Ctx, bullets, heading, join, table
from generator.site.page import Page, SiteData
from generator.site.page_labels import vocab
from generator.words import word


def index_page(data: SiteData, lang: str) -> Page:
    ctx = Ctx(data.kb, lang, paths.ROLES)
    title = ctx.word("roles")
    rows = ([ctx.role(r.id), ctx.t(r.summary)] for r in data.kb.roles)
    content = join(heading(1, md(title)), word(lang, "intro.roles"),
                   table([md(ctx.word("role")), md(ctx.word("summary"))], rows))
    return Page(paths.ROLES, title, content, (title,))


def _steps(ctx: Ctx, role: Role) -> str:
    rows = [[ctx.step(s.id), ctx.phase(s.phase), md(vocab(letter, ctx.lang))]
            for s in ctx.kb.steps for r, letter in s.raci if r == role.id]
    if not rows:
        return md(ctx.word("none"))
    return table([md(ctx.word("step")), md(ctx.word("phase")), md(ctx.word("letter"))], rows)


def _items(ctx: Ctx, role: Role) -> str:
    blocks = []
    for step in ctx.kb.steps:
        owned = [i for i in step.items if i.owner == role.id]
        if owned:
            blocks += [heading(3, ctx.step(step.id)), tasks(ctx, owned)]
    return "\n\n".join(blocks) or md(ctx.word("none"))


def role_page(data: SiteData, role: Role, lang: str) -> Page:
    path = paths.role(role.id)
    ctx = Ctx(data.kb, lang, path)
    title = role.title(lang)
    content = join(
        heading(1, md(title)), ctx.t(role.summary),
        heading(2, md(ctx.word("responsibilities"))),
        bullets(ctx.t(t) for t in role.responsibilities),
        heading(2, md(ctx.word("my_steps"))), _steps(ctx, role),
        heading(2, md(ctx.word("my_items"))), _items(ctx, role),
        heading(2, md(ctx.word("handbook"))), ctx.sources(role.sources),
    )
    return Page(path, title, content, (ctx.word("roles"),))


def pages(data: SiteData, lang: str) -> Iterator[Page]:
    yield index_page(data, lang)
    for role in data.kb.roles:
        yield role_page(data, role, lang)
