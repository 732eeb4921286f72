"""The fact vocabulary page: what the playbook asks about a client, from kb/facts.yaml."""

from __future__ import annotations

from collections.abc import Iterator

from generator.kb.model import Fact
from generator.site import paths
from generator.site.escape import md
from generator.site.kpis import number
from generator.site.markup import Ctx, bullets, heading, join, table
from generator.site.page import Page, SiteData
from generator.site.page_labels import vocab
from generator.words import word


def _values(ctx: Ctx, fact: Fact) -> str:
    if fact.type == "kpis":
        rows = ([f"`kpis.{k.id}`", ctx.kpi(k.id), f"{number(k.min)} … {number(k.max)}"]
                for k in ctx.kb.kpis)
        return table([md(ctx.word("value")), md(ctx.word("label")), md(ctx.word("range"))], rows)
    if not fact.values:
        return ""
    rows = ([f"`{v.id}`", ctx.t(v.label)] for v in fact.values)
    return join(f"**{md(ctx.word('values'))}**",
                table([md(ctx.word("value")), md(ctx.word("label"))], rows)).rstrip()


def _entry(ctx: Ctx, fact: Fact) -> str:
    kind = word(ctx.lang, "page.aside").format(text=f"`{fact.type}`", aside=md(vocab(fact.type, ctx.lang)))
    facts = [ctx.pair(md(ctx.word("kpi_id")), f"`{fact.id}`"), ctx.pair(md(ctx.word("type")), kind)]
    facts += [md(ctx.word(flag)) for flag in ("required", "derived") if getattr(fact, flag)]
    facts += [ctx.pair(md(ctx.word(bound)), number(getattr(fact, bound)))
              for bound in ("min", "max") if getattr(fact, bound) is not None]
    facts.append(ctx.pair(md(ctx.word("handbook")), ctx.sources(fact.sources)))
    return join(heading(2, ctx.t(fact.label), paths.anchor("fact", fact.id)),
                ctx.t(fact.help), bullets(facts), _values(ctx, fact))


def pages(data: SiteData, lang: str) -> Iterator[Page]:
    ctx = Ctx(data.kb, lang, paths.FACTS)
    title = ctx.word("facts")
    content = join(heading(1, md(title)), word(lang, "intro.vocabulary"), *(_entry(ctx, f) for f in data.kb.facts))
    yield Page(paths.FACTS, title, content, (ctx.word("reference"),))
