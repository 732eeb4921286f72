"""What a new employee notices in the built site, measured in a real browser: every diagram's
text is at least 12 px on screen (desktop and phone), Gantt labels have contrast and no
"today" line; checklists keep their ticks and export them for `opsbook plan --update`; search
finds the right page first in both languages and loads one index per language; a page
without diagrams stays light; dark mode follows the system; the language switch keeps the
reader's place. (axe-core, light and dark, and the Nu checker run in test_audit.py.)

Screenshots at 1280 x 900 and 390 x 844 go to test-artifacts/ (see sitetools.ARTIFACTS)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from sitetools import Tab

from generator.render.readback import read_progress
from generator.site import paths, raci
from generator.site.page import ClientPlan, SiteData

MIN_TEXT = 12.0

# Every text of every diagram on the page: its font size times the scale it is drawn at
# (the SVG's screen transform), and the bounding box's height for a check of the same.
TEXT_SIZES = """() => [...document.querySelectorAll('div.opsbook-diagram__svg')].flatMap(host => {
  const svg = host.shadowRoot.querySelector('svg');
  return [...svg.querySelectorAll('text')]
    .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
    .map(t => ({text: t.textContent.trim(),
                size: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
                height: t.getBoundingClientRect().height}));
})"""


def _url(path: str) -> str:
    return "" if path == "index.md" else path.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/"


def _diagram_pages(site_data: SiteData) -> list[str]:
    neutral = [paths.LOOP, *(paths.phase(p.id) for p in site_data.kb.phases),
               *(paths.plan(c.slug) for c in site_data.plans)]
    return [_url(paths.in_lang(p, lang)) for lang in ("zh", "en") for p in neutral]


def _drawn(tab: Tab, url: str) -> list[dict[str, float]]:
    page = tab.open(url)
    page.wait_for_function("document.documentElement.dataset.diagrams === 'drawn'", timeout=60_000)
    sizes: list[dict[str, float]] = page.evaluate(TEXT_SIZES)
    return sizes


def test_every_diagram_reads_at_12_px_or_more_on_a_desktop(tab: Tab, site_data: SiteData) -> None:
    smallest: dict[str, float] = {}
    for url in _diagram_pages(site_data):
        sizes = _drawn(tab, url)
        assert sizes, url
        smallest[url] = min(s["size"] for s in sizes)
        assert all(s["height"] >= MIN_TEXT for s in sizes), url
    assert min(smallest.values()) >= MIN_TEXT, {u: s for u, s in smallest.items() if s < MIN_TEXT}
    tab.open(_url(paths.phase("execution")))
    tab.page.wait_for_function("document.documentElement.dataset.diagrams === 'drawn'")
    tab.page.locator("div.opsbook-diagram").first.scroll_into_view_if_needed()
    tab.screenshot("diagram-desktop.png")
    tab.assert_offline_and_clean()


@pytest.mark.parametrize("path", [paths.LOOP, paths.phase("execution"), "en/" + paths.phase("optimization"),
                                  paths.plan("coffee-chain")])
def test_diagrams_stay_legible_on_a_phone(phone: Tab, path: str) -> None:
    sizes = _drawn(phone, _url(path))
    assert min(s["size"] for s in sizes) >= MIN_TEXT
    # wider than the screen: it scrolls sideways, reachable by keyboard, and opens full screen
    page = phone.page
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for wide in page.locator(".opsbook-diagram__scroll--wide").all():
        assert wide.get_attribute("tabindex") == "0" and wide.get_attribute("aria-label")
    if path == paths.phase("execution"):
        page.locator("div.opsbook-diagram").first.scroll_into_view_if_needed()
        phone.screenshot("diagram-phone.png")
        page.locator(".opsbook-diagram__zoom").first.click()
        dialog = page.locator("dialog.opsbook-zoom[open]")
        assert dialog.get_attribute("aria-label")
        page.wait_for_timeout(300)
        phone.screenshot("diagram-phone-full-screen.png")
        dialog.get_by_role("button").last.click()
        # the browser fires `close` as a task after the click, and the page removes the dialog then
        page.locator("dialog.opsbook-zoom").wait_for(state="detached", timeout=5000)
        assert page.locator("dialog.opsbook-zoom").count() == 0
    phone.assert_offline_and_clean()


def test_gantt_charts_have_no_today_line_and_readable_labels(tab: Tab, client: ClientPlan) -> None:
    page = tab.open(_url(paths.plan(client.slug)))
    page.wait_for_function("document.documentElement.dataset.diagrams === 'drawn'")
    found = page.evaluate("""() => [...document.querySelectorAll('div.opsbook-diagram__svg')].map(host => {
      const svg = host.shadowRoot.querySelector('svg');
      const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
      const lum = c => { const [r, g, b] = rgb(c).map(v => { v /= 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126*r + 0.7152*g + 0.0722*b; };
      const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + .05) / (y + .05); };
      const bar = svg.querySelector('rect.task');
      const inside = [...svg.querySelectorAll('text.taskText')].filter(t => t.getBoundingClientRect().width > 0);
      const page = getComputedStyle(document.body).backgroundColor;
      const outside = [...svg.querySelectorAll('text.taskTextOutsideRight, text.taskTextOutsideLeft')];
      return {today: [...svg.querySelectorAll('.today')].filter(e => e.getBoundingClientRect().width > 0).length,
              inside: inside.map(t => ratio(getComputedStyle(t).fill, getComputedStyle(bar).fill)),
              outside: outside.map(t => ratio(getComputedStyle(t).fill, page)),
              dated: [...svg.querySelectorAll('text[class^=taskText]')]
                .every(t => /\\d\\d-\\d\\d/.test(t.textContent))};
    })""")
    assert found and all(f["today"] == 0 for f in found)
    assert all(r >= 4.5 for f in found for r in f["inside"] + f["outside"])
    assert all(f["dated"] for f in found)
    tab.assert_offline_and_clean()


@pytest.fixture(scope="module")
def client(site_data: SiteData) -> ClientPlan:
    return next(c for c in site_data.plans if c.slug == "coffee-chain")


def test_a_tick_on_a_step_page_is_kept_after_a_reload(tab: Tab, site_data: SiteData) -> None:
    step = site_data.kb.step_by_id["insight.competitor-analysis"]
    page = tab.open(_url(paths.step(step)))
    page.wait_for_selector("html[data-checklists=ready]")
    item = step.items[1]
    box = page.locator(f"input[data-item='{item.id}']")
    assert box.is_enabled() and not box.is_checked()
    assert page.get_by_role("checkbox", name=item.title.zh).count() == 1  # named by its title
    box.click(force=True)  # lands on the drawn box over the input, as a person's click does
    assert box.is_checked()
    page.reload()
    page.wait_for_selector("html[data-checklists=ready]")
    assert page.locator(f"input[data-item='{item.id}']").is_checked()
    assert not page.locator(f"input[data-item='{step.items[0].id}']").is_checked()
    keys = page.evaluate("Object.keys(localStorage)")
    assert f"opsbook:/:playbook:{item.id}" in keys
    # the English page of the same step shows the same tick
    page = tab.open("en/" + _url(paths.step(step)))
    page.wait_for_selector("html[data-checklists=ready]")
    assert page.locator(f"input[data-item='{item.id}']").is_checked()
    tab.assert_offline_and_clean()


def test_a_client_plans_ticks_export_to_a_file_opsbook_reads(tab: Tab, client: ClientPlan,
                                                               tmp_path: Path) -> None:
    page = tab.open(_url(paths.plan(client.slug)))
    page.wait_for_selector("html[data-checklists=ready]")
    plan = client.plans["zh"]
    ticked = [plan.items[0].id, plan.items[-1].id]
    page.evaluate("document.querySelectorAll('article details').forEach(d => { d.open = true; })")
    for item_id in ticked:
        page.locator(f"input[data-item='{item_id}']").click(force=True)
    page.reload()
    page.wait_for_selector("html[data-checklists=ready]")
    assert page.locator(".opsbook-progress [role=status]").inner_text() == f"已勾选 2 / {len(plan.items)} 项"
    page.evaluate("scrollTo(0, document.querySelector('.opsbook-progress').getBoundingClientRect().top"
                  " + scrollY - 120)")
    page.wait_for_timeout(300)
    tab.screenshot("plan-progress.png")
    with page.expect_download() as download:
        page.get_by_role("button", name="导出勾选（Markdown）").click()
    assert download.value.suggested_filename == f"{client.slug}-ticks.md"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    progress = read_progress(saved, "md", str(saved))
    assert progress.warnings == ()
    assert set(progress.ids) == {item.id for item in plan.items}
    assert progress.done == frozenset(ticked)
    # ticks are kept per client: another client's page shows none of them
    other = tab.open(_url(paths.plan("dental-clinic")))
    other.wait_for_selector("html[data-checklists=ready]")
    assert other.locator("article input[type=checkbox]:checked").count() == 0
    tab.assert_offline_and_clean()


# (page, query): the page a search must put first (any of them, where several fit)
QUERIES = [
    ("", "客户投诉", {"phases/execution/complaint-handling/"}),
    ("", "供应链经理", {"roles/supply-chain-manager/"}),
    ("", "复盘", {"phases/optimization/", "phases/optimization/retrospective/", "reference/glossary/"}),
    ("", "竞品分析", {"phases/insight/competitor-analysis/"}),
    ("", "投诉率", {"reference/kpis/"}),
    ("", "净推荐值", {"reference/kpis/", "reference/glossary/"}),
    ("", "风险登记册", {"phases/planning/risk-register/"}),
    ("", "库存", {"phases/execution/inventory-management/"}),
    ("", "用户画像", {"reference/glossary/"}),
    ("", "预算", {"phases/execution/budget-control/", "phases/planning/budget/"}),
    ("en/", "retention", {"en/phases/strategy/acquisition-retention/", "en/reference/kpis/"}),
    ("en/", "complaint", {"en/phases/execution/complaint-handling/"}),
    ("en/", "supply chain manager", {"en/roles/supply-chain-manager/"}),
    ("en/", "retrospective", {"en/phases/optimization/retrospective/"}),
    ("en/", "competitor analysis", {"en/phases/insight/competitor-analysis/"}),
    ("en/", "risk register", {"en/phases/planning/risk-register/"}),
    ("en/", "inventory", {"en/phases/execution/inventory-management/"}),
    ("en/", "NPS", {"en/reference/glossary/", "en/reference/kpis/"}),
]


def test_search_puts_the_right_page_first_in_both_languages(tab: Tab) -> None:
    indexes: list[str] = []
    tab.page.on("request", lambda r: "search_index.json" in r.url and indexes.append(urlsplit(r.url).path))
    misses = []
    for prefix, query, want in QUERIES:
        page = tab.open(f"{prefix}?q={quote(query)}")
        page.wait_for_selector(".md-search-result__item")
        top = page.locator(".md-search-result__item > a").first.get_attribute("href") or ""
        found = urlsplit(top).path.lstrip("/")
        if found not in want:
            misses.append((query, found))
        if query == "客户投诉":
            tab.screenshot("search.png")
    assert misses == []
    # each page loads its own language's index, once
    zh = sum(1 for p, *_ in QUERIES if p == "")
    assert sorted(indexes) == sorted(["/search/search_index.json"] * zh
                                     + ["/en/search/search_index.json"] * (len(QUERIES) - zh))
    tab.assert_offline_and_clean()


def _weight(tab: Tab, url: str) -> int:
    page = tab.open(url)
    page.wait_for_load_state("networkidle")
    sizes: list[tuple[str, int]] = page.evaluate("""() => performance.getEntries()
        .filter(e => e.entryType === 'navigation' || e.entryType === 'resource')
        .map(e => [e.name, e.decodedBodySize])""")
    return sum(size for name, size in sizes if "search_index" not in name)


def test_a_page_without_diagrams_stays_light(tab: Tab, site_data: SiteData) -> None:
    step = site_data.kb.steps[0]
    for url in ("", _url(paths.step(step)), _url(paths.RACI), "en/" + _url(paths.GLOSSARY)):
        assert _weight(tab, url) <= 1_000_000, url
        assert not any("mermaid" in r for r in tab.page.evaluate(
            "performance.getEntriesByType('resource').map(e => e.name)"))
    assert _weight(tab, _url(paths.phase("insight"))) > 3_000_000  # Mermaid comes with a diagram


def test_dark_mode_follows_the_system_and_can_be_toggled(dark: Tab) -> None:
    page = dark.open("")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    toggle = page.locator("form[data-md-component=palette] label:not([hidden])")
    assert toggle.get_attribute("title") == "切换到浅色模式"
    toggle.click()
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    dark.assert_offline_and_clean()


def test_the_language_switch_keeps_the_readers_place(tab: Tab, site_data: SiteData) -> None:
    page = tab.open("en/reference/kpis/#kpi-nps")
    page.hover("[data-opsbook=language] button")
    page.click("[data-opsbook=language] a[hreflang=zh]")
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/reference/kpis/" and urlsplit(page.url).fragment == "kpi-nps"
    step = site_data.kb.steps[0]
    page = tab.open(_url(paths.step(step)) + "#" + quote("检查清单"))
    page.hover("[data-opsbook=language] button")
    page.click("[data-opsbook=language] a[hreflang=en]")
    page.wait_for_load_state()
    assert urlsplit(page.url).fragment == "checklist"
    tab.assert_offline_and_clean()


@pytest.mark.parametrize(("name", "path"), [("home", ""), ("raci", paths.RACI), ("glossary", paths.GLOSSARY),
                                            ("kpis", paths.KPIS), ("plan", paths.plan("coffee-chain"))])
def test_screenshots_at_desktop_and_phone_size(tab: Tab, phone: Tab, name: str, path: str) -> None:
    for size, shot in (("desktop", tab), ("phone", phone)):
        page = shot.open(_url(path))
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
        if name == "raci":
            page.evaluate("scrollTo(0, document.querySelector('article h2').getBoundingClientRect().top"
                          " + scrollY - 60)")
            page.wait_for_timeout(300)
        shot.screenshot(f"{name}-{size}.png")
        shot.assert_offline_and_clean()


def test_the_raci_matrix_prints_whole(tab: Tab, site_data: SiteData) -> None:
    page = tab.open(_url(paths.RACI))
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => [...document.querySelectorAll('.opsbook-raci table')].map(t =>
        [t.scrollWidth - t.clientWidth, t.scrollHeight - t.clientHeight, getComputedStyle(t).display])""")
    assert hidden and all(w <= 1 and h <= 1 and d == "table" for w, h, d in hidden)
    rows = page.locator(".opsbook-raci tbody tr").count()
    assert rows == len(site_data.kb.steps)


def test_the_raci_legend_says_each_letter_once(site_data: SiteData) -> None:
    for lang, want in (("zh", ["**R**: 执行", "**A**: 负责", "**C**: 咨询", "**I**: 知会"]),
                       ("en", ["**R**: Responsible", "**A**: Accountable", "**C**: Consulted", "**I**: Informed"])):
        [page] = raci.pages(site_data, lang)
        assert [line.removeprefix("- ") for line in page.content.splitlines() if line.startswith("- **")] == want
