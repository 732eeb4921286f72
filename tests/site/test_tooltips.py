"""Glossary tooltips: every form of every term becomes an abbreviation, also inside Chinese
text, with the definition in the page's language; Chinese terms stay whole for search."""

from __future__ import annotations

import re

import markdown
import pytest

from generator.kb.model import KB
from generator.site import tooltips
from generator.site.abbr import pattern


def _render(text: str, abbrs: dict[str, str]) -> str:
    source = f"{text}\n\n{tooltips.definitions(abbrs)}"
    return markdown.markdown(source, extensions=["tables", "generator.site.abbr"])


def test_every_term_and_alias_has_a_tooltip_in_each_language(shipped_kb: KB) -> None:
    zh, en = tooltips.abbreviations(shipped_kb, "zh"), tooltips.abbreviations(shipped_kb, "en")
    for term in shipped_kb.glossary:
        for form in (term.term.zh, term.term.en, *term.aliases):
            assert form in zh and form in en, form
        assert zh[term.term.en] == f"{term.term.zh}：{' '.join(term.definition.zh.split())}"
        assert en[term.term.zh].startswith(f"{term.term.en}: ")


@pytest.mark.parametrize(("text", "shown"), [
    ("运营闭环体系与核心KPI。", ["闭环", "KPI"]),
    ("KPIs and KPI, not aKPI or KPIx.", ["KPIs", "KPI"]),
    ("`KPI` in code stays code; KPI outside gets one.", ["KPI"]),
])
def test_terms_are_found_inside_chinese_text_but_not_inside_latin_words(
        text: str, shown: list[str]) -> None:
    out = _render(text, {"闭环": "loop", "KPI": "indicator", "KPIs": "indicators"})
    assert re.findall(r"<abbr title=\"[^\"]+\">([^<]+)</abbr>", out) == shown


def test_the_longest_form_wins() -> None:
    out = _render("用户画像", {"画像": "short", "用户画像": "long"})
    assert out == '<p><abbr title="long">用户画像</abbr></p>'


def test_each_pattern_starts_with_its_literal_first_character() -> None:
    # which keeps the regex engine's fast first-character scan over the alternation
    for name in ("KPI", "闭环", "A/B 测试", "7-day retention"):
        assert pattern(name).startswith(re.escape(name[0]))
        assert re.fullmatch(pattern(name), name)


def test_chinese_terms_are_search_words(shipped_kb: KB) -> None:
    words = tooltips.search_words(shipped_kb)
    assert "用户画像" in words and "闭环" in words
    assert not any(re.search(r"\s", w) or not re.search(r"[\u4e00-\u9fff]", w) for w in words)
