"""The built site in a real browser (Debian's chromium driven by Playwright), served from
127.0.0.1 with every request to any other host aborted: search finds Chinese and English
words, Mermaid draws, checklists show checkboxes, the language switch keeps the page and
glossary tooltips appear, client plans show their checklists and Gantt charts (one per phase), the rule
catalogue shows in both languages; no console errors and no request leaves the machine.

Without /usr/bin/chromium the tests skip, unless CI is set: then they fail (the `browser`,
`base_url` and `tab` fixtures are in conftest.py). Screenshots of the home page, a step
page, a phase diagram, search results, a client plan (checklist and Gantt chart) and the rule
catalogue go to test-artifacts/."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from sitetools import Tab

from generator.kb.model import KB, Step
from generator.site import paths
from generator.site.gantt import gantt
from generator.site.page import ClientPlan, SiteData


@pytest.fixture(scope="module")
def step(shipped_kb: KB) -> Step:
    return shipped_kb.step_by_id["insight.competitor-analysis"]


def _url(path: str) -> str:
    """The URL path of a page file (`phases/x/y.md` -> `phases/x/y/`)."""
    return path.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/" if path != "index.md" else ""


def test_the_home_page_renders_in_chinese(tab: Tab) -> None:
    page = tab.open("")
    assert page.locator("article h1").inner_text().startswith("运营手册")
    assert page.get_by_role("link", name="新人入门").first.is_visible()
    tab.screenshot("home.png")
    tab.assert_offline_and_clean()


def test_a_chinese_query_finds_pages(tab: Tab) -> None:
    page = tab.open("")
    page.click("input.md-search__input")
    page.fill("input.md-search__input", "竞品")
    page.press("input.md-search__input", "End")  # Material searches on keyup
    page.wait_for_selector(".md-search-result__item")
    assert "竞品" in page.locator(".md-search-result__item").first.inner_text()
    tab.screenshot("search.png")
    page = tab.open("?q=用户画像")
    page.wait_for_selector(".md-search-result__item")
    assert page.locator(".md-search-result__item").count() > 0
    tab.assert_offline_and_clean()


def test_an_english_query_finds_pages(tab: Tab) -> None:
    page = tab.open("en/?q=competitor")
    page.wait_for_selector(".md-search-result__item")
    assert "ompetitor" in page.locator(".md-search-result__item").first.inner_text()
    tab.assert_offline_and_clean()


@pytest.mark.parametrize("path", [paths.LOOP, paths.phase("insight")])
def test_mermaid_diagrams_render(tab: Tab, path: str) -> None:
    page = tab.open(_url(path))
    diagram = page.wait_for_selector("div.opsbook-diagram[data-drawn]")
    assert page.locator("pre.opsbook-diagram").count() == 0
    box = diagram.bounding_box()
    assert box is not None and box["height"] > 50 and box["width"] > 50
    if path != paths.LOOP:
        tab.screenshot("phase.png")
    tab.assert_offline_and_clean()


def test_a_step_page_shows_its_checklist_as_checkboxes(tab: Tab, step: Step) -> None:
    page = tab.open(_url(paths.step(step)))
    assert page.locator("article h1").inner_text().startswith(step.title.zh)
    boxes = page.locator("article .task-list-item input[type=checkbox]")
    assert boxes.count() == len(step.items)
    # Material draws the custom checkbox as the indicator's ::before box
    drawn = page.locator("article .task-list-indicator").first.evaluate(
        "e => getComputedStyle(e, '::before').width")
    assert drawn not in ("0px", "auto", "")
    page.evaluate("scrollTo(0, scrollY + document.querySelector('article .task-list')"
                  ".getBoundingClientRect().top - 160)")
    page.wait_for_timeout(500)  # let the header's title transition settle
    tab.screenshot("step.png")
    tab.assert_offline_and_clean()


def test_the_language_switch_opens_the_same_page(tab: Tab, step: Step) -> None:
    page = tab.open(_url(paths.step(step)))
    for lang, title in (("en", step.title.en), ("zh", step.title.zh)):
        page.hover("[data-opsbook=language] button")
        page.click(f"[data-opsbook=language] a[hreflang={lang}]")
        page.wait_for_load_state()
        assert urlsplit(page.url).path == "/" + _url(paths.in_lang(paths.step(step), lang))
        assert page.locator("article h1").inner_text().startswith(title)
    tab.assert_offline_and_clean()


def test_glossary_terms_show_a_tooltip(tab: Tab, step: Step) -> None:
    page = tab.open(_url(paths.step(step)))
    term = page.locator("article abbr[title]").first
    title = term.get_attribute("title")
    term.hover()
    tooltip = page.wait_for_selector(".md-tooltip2--active")
    assert title and tooltip.inner_text().strip() == title.strip()
    tab.assert_offline_and_clean()


def test_the_gantt_helper_draws_in_the_shipped_mermaid(tab: Tab) -> None:
    rows = [("洞察", "列出决策问题: 3#", date(2026, 12, 1), date(2026, 12, 15)),
            ("洞察", "section 不是分节", date(2026, 12, 3), date(2026, 12, 3)),
            ("策略; 二", "设定 SMART 目标", date(2026, 12, 15), date(2027, 1, 10))]
    page = tab.open(_url(paths.LOOP))  # a page with a diagram loads Mermaid
    page.wait_for_selector("div.opsbook-diagram[data-drawn]")
    svg = page.evaluate("async text => (await mermaid.render('plan-gantt', text)).svg",
                        gantt(rows, title="Acme"))
    bars = re.findall(r'<rect[^>]*class="task task(\d)"', svg)
    assert bars == ["0", "0", "1"]  # three bars in two sections
    names = [n.strip() for n in re.findall(r'<text[^>]*class="taskText[^"]*"[^>]*>([^<]*)', svg)]
    assert names == ["列出决策问题： 3＃", "\u200bsection 不是分节", "设定 SMART 目标"]
    tab.assert_offline_and_clean()


def test_the_offline_guard_sees_requests_to_other_hosts(tab: Tab) -> None:
    page = tab.open("")
    page.evaluate("fetch('https://example.com/font.woff2').catch(() => null)")
    page.wait_for_timeout(300)
    assert tab.elsewhere == ["https://example.com/font.woff2"]


@pytest.fixture(scope="module")
def client(site_data: SiteData) -> ClientPlan:
    return next(c for c in site_data.plans if c.slug == "coffee-chain")


def test_a_client_plan_shows_its_items_as_checkboxes(tab: Tab, client: ClientPlan) -> None:
    page = tab.open(_url(paths.plan(client.slug)))
    plan = client.plans["zh"]
    assert page.locator("article h1").inner_text().startswith(plan.client_name)
    boxes = page.locator("article .task-list-item input[type=checkbox]")
    assert boxes.count() == len(plan.items)
    item = next(i for i in plan.items if i.id == boxes.first.get_attribute("data-item"))
    first = page.locator("article .task-list-item").first.inner_text()
    assert item.title in first and "原因" in first and item.due.isoformat() in first
    page.evaluate("scrollTo(0, document.querySelector('article .task-list').getBoundingClientRect().top"
                  " + scrollY - 200)")
    page.wait_for_timeout(500)
    tab.screenshot("plan-checklist.png")
    tab.assert_offline_and_clean()


def test_a_client_plan_draws_its_gantt_chart(tab: Tab, client: ClientPlan) -> None:
    page = tab.open(_url(paths.plan(client.slug)))
    page.wait_for_function("document.documentElement.dataset.diagrams === 'drawn'")
    charts = page.locator("div.opsbook-diagram[data-drawn]")
    phases = {item.phase for item in client.plans["zh"].items}
    assert charts.count() == len(phases) and page.locator("pre.opsbook-diagram").count() == 0
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    page.evaluate("scrollTo(0, document.querySelector('div.opsbook-diagram').getBoundingClientRect().top"
                  " + scrollY - 120)")
    page.wait_for_timeout(500)
    tab.screenshot("plan-gantt.png")
    tab.assert_offline_and_clean()


@pytest.mark.parametrize(("lang", "heading", "words"), [
    ("zh", "规则目录", "投诉率（kpis.complaint_rate）大于 0.03"),
    ("en", "Rule catalogue", "complaint rate (kpis.complaint_rate) is above 0.03")])
def test_the_rule_catalogue_shows_in_both_languages(
        tab: Tab, site_data: SiteData, lang: str, heading: str, words: str) -> None:
    page = tab.open(_url(paths.in_lang(paths.RULES, lang)))
    assert page.locator("article h1").inner_text().startswith(heading)
    assert page.locator("article h3[id^=rule-]").count() == len(site_data.rules)
    entry = page.locator(f"article h3#{paths.anchor('rule', 'cs-high-complaints')} ~ ul").first
    assert words in entry.inner_text()
    if lang == "zh":  # a rule with all, any and not in its condition
        page.evaluate("scrollTo(0, document.getElementById('rule-cs-service-basics')"
                      ".getBoundingClientRect().top + scrollY - 80)")
        page.wait_for_timeout(500)
        tab.screenshot("rules.png")
    tab.assert_offline_and_clean()
