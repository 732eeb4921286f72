"""The site's Markdown shortcuts give the HTML of the stock path: the inline processor that
passes over patterns that cannot match (generator/site/inline.py), the glossary terms' regex
grouped by first character (abbr.terms_regex), the definitions read a block at a time
(abbr.DefinitionsBlockprocessor), and the glossary given to the extension instead of appended
to each page (tooltips.glossary)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from unittest import mock

import markdown
import pytest
from markdown.extensions.abbr import AbbrBlockprocessor
from mkdocs.config import load_config
from sitetools import ROOT

from generator.kb.model import KB
from generator.site import tooltips
from generator.site.abbr import CjkAbbrExtension, DefinitionsBlockprocessor, pattern, terms_regex
from generator.site.page import Page, SiteData
from generator.site.registry import generate

INLINE = "generator.site.inline"
EDGES = """\
[ref]: https://example.com/a "A"

A [ref][] and [ref] and ![img][ref], a [link](x.md "t") and ![pic](p.png), `code [x](y)`,
\\*not em\\*, *em*, **strong**, _under_, __both__, ***three***, a*b*c, snake_case_name,
<https://example.com>, <me@example.com>, <span class="x">html</span>, &amp; &copy; & AT&T,
a break\x20\x20
here, [unclosed, ![ and ` alone, \\[escaped\\](no), [nested [brackets]](z.md).
"""


def _extensions(inline: bool) -> tuple[list[Any], dict[str, Any]]:
    config = load_config(str(ROOT / "mkdocs.yml"))
    names = [e for e in config.markdown_extensions if inline or e != INLINE]
    assert (INLINE in names) == inline
    return names, config.mdx_configs


@pytest.fixture(scope="module")
def renderers() -> tuple[markdown.Markdown, markdown.Markdown]:
    """The site's Markdown without and with the inline shortcut."""
    made = []
    for inline in (False, True):
        names, configs = _extensions(inline)
        made.append(markdown.Markdown(extensions=names, extension_configs=configs))
    return made[0], made[1]


def _html(md: markdown.Markdown, text: str) -> str:
    md.reset()
    return md.convert(text)


def _sample(data: SiteData, lang: str) -> Iterator[Page]:
    """The first and the longest page of each folder (generators differ by folder)."""
    sections: dict[str, list[Page]] = {}
    for page in generate(data, lang):
        sections.setdefault(page.path.rsplit("/", 1)[0], []).append(page)
    for pages in sections.values():
        yield pages[0]
        if len(pages) > 1:
            yield max(pages[1:], key=lambda p: len(p.content))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_generated_pages_render_as_with_the_stock_inline_processor(
        site_data: SiteData, renderers: tuple[markdown.Markdown, markdown.Markdown], lang: str) -> None:
    stock, fast = renderers
    glossary = tooltips.definitions(tooltips.abbreviations(site_data.kb, lang))
    pages = list(_sample(site_data, lang))
    assert any(p.path.startswith("plans/") for p in pages) and len(pages) > 10
    for page in pages:
        text = f"{page.content}\n\n{glossary}\n"
        assert _html(fast, text) == _html(stock, text), page.path


def test_every_inline_pattern_renders_as_with_the_stock_processor(
        renderers: tuple[markdown.Markdown, markdown.Markdown]) -> None:
    stock, fast = renderers
    for text in (EDGES, EDGES.split("\n", 2)[2], "plain text only", "- [ ] **x**{ data-item=\"a.b\" }  \n    y"):
        out = _html(fast, text)
        assert out == _html(stock, text)
    assert '<a href="https://example.com/a" title="A">ref</a>' in _html(fast, EDGES)


def test_patterns_that_cannot_match_are_not_tried(renderers: tuple[markdown.Markdown, markdown.Markdown]) -> None:
    fast = renderers[1]
    tried: list[str] = []
    for name in ("reference", "link", "em_strong"):
        pattern_ = fast.inlinePatterns[name]
        def spy(m: re.Match[str], data: str, name: str = name, original: Any = pattern_.handleMatch) -> Any:
            tried.append(name)
            return original(m, data)

        mock.patch.object(pattern_, "handleMatch", spy).start()
    try:
        _html(fast, "a [link](x.md) without emphasis")  # no reference defined: only the link is tried
        assert tried == ["link"]
        tried.clear()
        _html(fast, "[r]: y.md\n\na [link][r] and *em*")
        assert tried.count("reference") == 1 and "em_strong" in tried
    finally:
        mock.patch.stopall()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_grouped_terms_regex_finds_what_the_plain_alternation_finds(
        site_data: SiteData, shipped_kb: KB, lang: str) -> None:
    names = tuple(tooltips.abbreviations(shipped_kb, lang))
    plain = re.compile("|".join(pattern(n) for n in sorted(names, key=len, reverse=True)))
    text = "\n".join(page.content for page in generate(site_data, lang))
    text += " 运营闭环 闭环 KPIs KPI aKPI KPIx 核心KPI"
    found = [(m.span(), m.group(0)) for m in terms_regex(names).finditer(text)]
    assert found == [(m.span(), m.group(0)) for m in plain.finditer(text)] and len(found) > 100


class _StockDefinitions(CjkAbbrExtension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        super().extendMarkdown(md)
        md.parser.blockprocessors.register(AbbrBlockprocessor(md.parser, self.abbrs), "abbr", 110)


@pytest.mark.parametrize("text", [
    "*[KPI]: indicator\n*[闭环]: loop\n\nKPI 闭环 and KPI.",
    "Text first\n*[KPI]: indicator\nand after\n\nKPI here.",
    "*[KPI]: indicator\n\n*[KPI]: ''\n\nKPI gone.",
    "*[KPI]:\n    indicator on the next line\n*[NPS]: score\n\nKPI, NPS.",
    "*[KPI]: indicator\n*[]: nothing\n*[NPS]: score\n\nKPI, NPS.",
    "*[KPI]: indicator\n*[NPS]: score\ntrailing words\n\nKPI, NPS.",
    "a *[not] a definition*\n\n*[KPI]: indicator\n\nKPI.",
])
def test_definitions_are_read_as_the_stock_reader_reads_them(text: str) -> None:
    fast = markdown.Markdown(extensions=[CjkAbbrExtension()])
    stock = markdown.Markdown(extensions=[_StockDefinitions()])
    assert isinstance(fast.parser.blockprocessors["abbr"], DefinitionsBlockprocessor)
    assert type(stock.parser.blockprocessors["abbr"]) is AbbrBlockprocessor
    assert fast.convert(text) == stock.convert(text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_glossary_option_gives_what_the_appended_definitions_give(
        site_data: SiteData, renderers: tuple[markdown.Markdown, markdown.Markdown], lang: str) -> None:
    abbrs = tooltips.abbreviations(site_data.kb, lang)
    given = tooltips.glossary(abbrs)
    assert given == {name: tip for name, tip in abbrs.items() if "\\" not in name} and len(given) > 100
    names, configs = _extensions(True)
    with_option = markdown.Markdown(extensions=names, extension_configs={
        **configs, "generator.site.abbr": {"glossary": given}})
    stock = renderers[1]
    terms = " ".join(list(abbrs)[::7])
    for page in [*_sample(site_data, lang)][:6]:
        text = f"{page.content}\n\n{terms}\n"
        out = _html(with_option, text)
        assert out == _html(stock, f"{text}\n\n{tooltips.definitions(abbrs)}\n"), page.path
        assert "<abbr" in out


def test_a_name_markdown_cannot_read_is_left_out_of_the_glossary() -> None:
    assert tooltips.glossary({"a\\b": "x", "KPI": "indicator", "NPS": "''"}) == {"KPI": "indicator"}
