"""The KPI dictionary: every KPI with its definition, formula, range and thresholds."""

from __future__ import annotations

from collections.abc import Iterator

from generator.kb.model import Kpi
from generator.site import paths
from generator.site.escape import md
from generator.site.labels import vocab
from generator.site.markup import Ctx, bullets, heading, join
from generator.site.page import Page, SiteData

INTRO = {
    "zh": "比率一律用小数表示（0.05 即 5%）。阈值是“坏的一侧”的典型预警线和严重线，"
          "可在规则包或客户定制中按行业调整。",
    "en": "Rates are fractions (0.05 means 5%). Thresholds are typical warning and critical "
          "levels on the bad side; a rule pack or client overlay may tune them per industry.",
}


def number(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _entry(ctx: Ctx, kpi: Kpi) -> str:
    users = [ctx.step(s.id) for s in ctx.kb.steps if kpi.id in s.kpis]
    facts = [
        ctx.pair(md(ctx.word("definition")), ctx.t(kpi.definition)),
        ctx.pair(md(ctx.word("formula")), ctx.t(kpi.formula)),
        ctx.pair(md(ctx.word("unit")), md(kpi.unit)),
        ctx.pair(md(ctx.word("direction")), md(vocab(kpi.direction, ctx.lang))),
        ctx.pair(md(ctx.word("range")), f"{number(kpi.min)} … {number(kpi.max)}"),
        ctx.pair(md(ctx.word("domain")), md(vocab(kpi.domain, ctx.lang))),
        ctx.pair(md(ctx.word("used_by")), ctx.listing(users) or md(ctx.word("none"))),
        ctx.pair(md(ctx.word("handbook")), ctx.sources(kpi.sources)),
    ]
    if kpi.warning is not None or kpi.critical is not None:
        limits = (f"{md(ctx.word('warning'))} {number(kpi.warning)}, "
                  f"{md(ctx.word('critical'))} {number(kpi.critical)}")
        facts.insert(5, ctx.pair(md(ctx.word("thresholds")), limits))
    title = heading(2, f"{ctx.t(kpi.name)} `{kpi.id}`", paths.anchor("kpi", kpi.id))
    return join(title, bullets(facts))


def pages(data: SiteData, lang: str) -> Iterator[Page]:
    ctx = Ctx(data.kb, lang, paths.KPIS)
    title = ctx.word("kpis")
    content = join(heading(1, md(title)), INTRO[lang], *(_entry(ctx, k) for k in data.kb.kpis))
    yield Page(paths.KPIS, title, content, (ctx.word("reference"),))
