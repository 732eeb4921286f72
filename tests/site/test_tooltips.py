"""Glossary tooltips: every form of every term becomes an abbreviation, also inside Chinese
text, with the definition in the page's language; Chinese terms stay whole for search."""

from __future__ import annotations

import re

import markdown
import pytest

from generator.kb.model import KB
from generator.site import tooltips
from generator.site.abbr import pattern
from generator.site.words import search_words


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
    ("形成闭环，与核心KPI对齐。", ["闭环", "KPI"]),
    ("KPIs and KPI, not aKPI or KPIx.", ["KPIs", "KPI"]),
    ("`KPI` in code stays code; KPI outside gets one.", ["KPI"]),
])
def test_terms_are_found_inside_chinese_text_but_not_inside_latin_words(
        text: str, shown: list[str]) -> None:
    out = _render(text, {"闭环": "loop", "KPI": "indicator", "KPIs": "indicators"})
    assert re.findall(r"<abbr title=\"[^\"]+\">([^<]+)</abbr>", out) == shown


def test_a_chinese_term_is_marked_only_where_it_is_a_whole_word() -> None:
    out = _render("提升留存，不要保留存货。", {"留存": "retention"})
    assert out.count("<abbr") == 1 and '<abbr title="retention">留存</abbr>，' in out


def test_one_tooltip_per_term_per_paragraph_and_none_in_titles_links_or_code() -> None:
    text = ("# 复盘\n\n每次复盘都要形成闭环，复盘结论回到洞察。\n\n再说复盘。\n\n"
            "- **复盘**：[复盘](x.md) `复盘` 与复盘")
    out = _render(text, {"复盘": "retrospective", "闭环": "loop", "Retrospective": "retrospective"})
    assert re.findall(r"<abbr[^>]*>([^<]+)</abbr>", out) == ["复盘", "闭环", "复盘", "复盘"]
    assert "<h1>复盘</h1>" in out and "<strong>复盘</strong>" in out and "<code>复盘</code>" in out


def test_the_longest_form_wins() -> None:
    out = _render("用户画像", {"画像": "short", "用户画像": "long"})
    assert out == '<p><abbr title="long">用户画像</abbr></p>'


def test_each_pattern_starts_with_its_literal_first_character() -> None:
    # which keeps the regex engine's fast first-character scan over the alternation
    for name in ("KPI", "闭环", "A/B 测试", "7-day retention"):
        assert pattern(name).startswith(re.escape(name[0]))
        assert re.fullmatch(pattern(name), name)


def test_the_kbs_chinese_names_are_the_segmenters_user_dictionary(shipped_kb: KB) -> None:
    words = search_words(shipped_kb)
    assert {"用户画像", "闭环", "供应链经理", "投诉率", "竞品分析"} <= set(words)  # term, role, KPI, step
    assert all(re.fullmatch(r"[\u3400-\u9fff]{2,}", w) for w in words)  # all the segmenter ever sees
    assert "客户投诉处理" not in words  # a longer step title is a phrase: its words stay searchable
