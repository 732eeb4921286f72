"""The templates page: every fill-in template with its fields, help texts and examples, and
links to download it as a file to fill in (downloads.py)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.kb.model import Template
from generator.site import paths
from generator.site.downloads import links
from generator.site.escape import md
from generator.site.markup import Ctx, heading, join, table
from generator.site.page import Page, SiteData


def _entry(ctx: Ctx, template: Template) -> str:
    rows = ([ctx.t(f.label), ctx.t(f.help), ctx.t(f.example) if f.example else ""]
            for f in template.fields)
    headers = [md(ctx.word("field")), md(ctx.word("help")), md(ctx.word("example"))]
    return join(heading(2, ctx.t(template.title), paths.anchor("template", template.id)),
                ctx.t(template.purpose), links(ctx.path, template.id, ctx.lang), table(headers, rows),
                ctx.pair(md(ctx.word("handbook")), ctx.sources(template.sources)))


def pages(data: SiteData, lang: str) -> Iterator[Page]:
    ctx = Ctx(data.kb, lang, paths.TEMPLATES)
    title = ctx.word("templates")
    content = join(heading(1, md(title)), *(_entry(ctx, t) for t in data.kb.templates))
    yield Page(paths.TEMPLATES, title, content, (ctx.word("reference"),))
