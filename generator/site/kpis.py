"""The KPI dictionary: every KPI with its definition, formula, unit, range and levels."""

from __future__ import annotations

from collections.abc import Iterator

from generator.kb.model import Kpi
from generator.site import paths
from generator.site.escape import md
from generator.site.markup import Ctx, bullets, heading, join
from generator.site.page import Page, SiteData
from generator.site.page_labels import vocab
from generator.words import section, word

MONTH_DAYS = 30  # a runway or cycle of 60 days and more reads better in months too


def _word(key: str, lang: str) -> str:
    return section(lang, "kpi_page")[key]


def number(value: float | None) -> str:
    if value is None:
        return "–"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def quantity(kpi: Kpi, value: float | None, lang: str) -> str:
    """A level of `kpi` as people read it: 0.05 (5%), 180 days (about 6 months), 4 hours."""
    if value is None:
        return "–"
    n = number(value)
    if kpi.unit == "ratio":
        return _word("percent", lang).format(n=n, pct=number(round(value * 100, 2)))
    if kpi.unit == "days" and value >= 2 * MONTH_DAYS:
        return _word("months", lang).format(n=n, months=number(round(value / MONTH_DAYS, 1)))
    if kpi.unit in ("days", "hours"):
        return _word(kpi.unit, lang).format(n=n)
    return n


def _unit(kpi: Kpi, lang: str) -> str:
    return section(lang, "kpi_unit").get(kpi.unit, kpi.unit)


def _direction(kpi: Kpi, lang: str) -> str:
    return _word("band", lang) if kpi.band is not None else vocab(kpi.direction, lang)


def _levels(ctx: Ctx, kpi: Kpi) -> str | None:
    """The KPI's warning and critical levels in words, or None when it has none."""
    lang = ctx.lang
    if kpi.band is not None:
        band = kpi.band
        parts = [_word("band_levels", lang).format(low=quantity(kpi, band.low, lang),
                                                   high=quantity(kpi, band.high, lang))]
        for key, level in (("below", band.critical_low), ("above", band.critical_high)):
            if level is not None:
                parts.append(_word(key, lang).format(level=quantity(kpi, level, lang)))
        return md(_word("list_sep", lang).join(parts))
    if kpi.warning is None and kpi.critical is None:
        return None
    return (f"{md(ctx.word('warning'))} {md(quantity(kpi, kpi.warning, lang))}, "
            f"{md(ctx.word('critical'))} {md(quantity(kpi, kpi.critical, lang))}")


def _entry(ctx: Ctx, kpi: Kpi) -> str:
    users = [ctx.step(s.id) for s in ctx.kb.steps if kpi.id in s.kpis]
    facts = [
        ctx.pair(md(ctx.word("definition")), ctx.t(kpi.definition)),
        ctx.pair(md(ctx.word("formula")), ctx.t(kpi.formula)),
        ctx.pair(md(ctx.word("unit")), md(_unit(kpi, ctx.lang))),
        ctx.pair(md(ctx.word("direction")), md(_direction(kpi, ctx.lang))),
        ctx.pair(md(ctx.word("range")), f"{number(kpi.min)} … {number(kpi.max)}"),
        ctx.pair(md(ctx.word("domain")), md(vocab(kpi.domain, ctx.lang))),
        ctx.pair(md(ctx.word("used_by")), ctx.listing(users) or md(ctx.word("none"))),
        ctx.pair(md(ctx.word("handbook")), ctx.sources(kpi.sources)),
        ctx.pair(md(ctx.word("kpi_id")), f"`kpis.{kpi.id}`"),
    ]
    levels = _levels(ctx, kpi)
    if levels is not None:
        name = _word("healthy_band", ctx.lang) if kpi.band is not None else ctx.word("thresholds")
        facts.insert(5, ctx.pair(md(name), levels))
    title = heading(2, ctx.t(kpi.name), paths.anchor("kpi", kpi.id))
    return join(title, bullets(facts))


def pages(data: SiteData, lang: str) -> Iterator[Page]:
    ctx = Ctx(data.kb, lang, paths.KPIS)
    title = ctx.word("kpis")
    content = join(heading(1, md(title)), word(lang, "intro.kpis"), *(_entry(ctx, k) for k in data.kb.kpis))
    yield Page(paths.KPIS, title, content, (ctx.word("reference"),))
