"""The KPI dictionary: every KPI with its definition, formula, unit, range and levels."""

from __future__ import annotations

from collections.abc import Iterator

from generator.kb.model import Kpi
from generator.site import paths
from generator.site.escape import md
from generator.site.markup import Ctx, bullets, heading, join
from generator.site.page import Page, SiteData
from generator.site.page_labels import vocab

INTRO = {
    "zh": "比率一律用小数表示（0.05 即 5%）。阈值是“坏的一侧”的典型预警线和严重线，"
          "可在规则包或客户定制中按行业调整；按区间看的指标给出健康区间，两侧越界都要预警。",
    "en": "Rates are fractions (0.05 means 5%). Thresholds are typical warning and critical "
          "levels on the bad side; a rule pack or client overlay may tune them per industry. "
          "A KPI read as a band gives its healthy values; crossing either edge is a warning.",
}
# The words of this page that the KPI data does not bring (zh, en).
WORDS = {
    "band": ("按区间（在健康区间内为好）", "inside a band"),
    "healthy_band": ("健康区间", "Healthy band"),
    "band_levels": ("{low} 至 {high}；低于 {low} 或高于 {high} 为预警",
                    "{low} to {high}; below {low} or above {high} is a warning"),
    "below": ("低于 {level} 为严重", "below {level} is critical"),
    "above": ("高于 {level} 为严重", "above {level} is critical"),
    "percent": ("{n}（{pct}%）", "{n} ({pct}%)"),
    "days": ("{n} 天", "{n} days"),
    "months": ("{n} 天（约 {months} 个月）", "{n} days (about {months} months)"),
    "hours": ("{n} 小时", "{n} hours"),
}
UNITS = {
    "ratio": ("比率（小数，0.05 即 5%）", "ratio (a fraction: 0.05 means 5%)"),
    "count": ("个数", "count"),
    "currency": ("金额", "amount of money"),
    "days": ("天", "days"),
    "hours": ("小时", "hours"),
    "score": ("分", "points"),
    "times": ("倍数或次数", "times (a multiple, or how often in a period)"),
}
MONTH_DAYS = 30  # a runway or cycle of 60 days and more reads better in months too


def _word(key: str, lang: str) -> str:
    zh, en = WORDS[key]
    return en if lang == "en" else zh


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
    zh, en = UNITS.get(kpi.unit, (kpi.unit, kpi.unit))
    return en if lang == "en" else zh


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
        return md(("；" if lang == "zh" else "; ").join(parts))
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
    content = join(heading(1, md(title)), INTRO[lang], *(_entry(ctx, k) for k in data.kb.kpis))
    yield Page(paths.KPIS, title, content, (ctx.word("reference"),))
