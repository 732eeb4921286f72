"""The site audit of the built site (scripts/site_audit.py, which runs it over every page):
the Nu HTML Checker over the whole site in one run finds nothing but the two errors MkDocs
Material's own template emits; axe-core, light and dark, finds no serious or critical
violation, and no page scrolls sideways on a 390 px phone, on one page of every kind in both
languages; plan pages and the RACI matrix print at a sensible length."""

from __future__ import annotations

import asyncio
import importlib.util
import re
import shutil
import sys
import threading
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from sitetools import ROOT, Built, Tab

from generator.site import paths, registry
from generator.site.page import SiteData


def _load_audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("site_audit", ROOT / "scripts" / "site_audit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["site_audit"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


audit = _load_audit()


def _url(path: str) -> str:
    return "" if path == "index.md" else path.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/"


# --- Nu ---------------------------------------------------------------------------------------

DRAWER = '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
AUTOCOMPLETE = ("Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, "
                "“email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, "
                "or “week”.")


def _message(text: str, element: str, before: str = "\n    ") -> dict[str, Any]:
    return {"type": "error", "message": text, "extract": before + element + "\n    <",
            "hiliteStart": len(before), "hiliteLength": len(element)}


def test_only_materials_own_toggles_are_allowed_past_nu() -> None:
    assert audit.material_only(_message(AUTOCOMPLETE, DRAWER))
    assert audit.material_only(_message(AUTOCOMPLETE, DRAWER.replace("drawer", "search")))
    # the same error on any other element, or another error on Material's toggle, is ours
    assert not audit.material_only(_message(AUTOCOMPLETE, DRAWER.replace("__drawer", "__mine")))
    assert not audit.material_only(_message(AUTOCOMPLETE, '<input type="checkbox" autocomplete="off">'))
    assert not audit.material_only(_message("Duplicate ID “__drawer”.", DRAWER))
    assert not audit.material_only({**_message(AUTOCOMPLETE, DRAWER), "type": "info"})
    assert not audit.material_only({**_message(AUTOCOMPLETE, DRAWER), "hiliteStart": 0})


@pytest.fixture(scope="module")
def nu_tools() -> None:
    if shutil.which("java") is None or not audit.VNU.exists():
        pytest.skip("the Nu checker needs java and node_modules/vnu-jar (scripts/setup.sh)")


def test_nu_finds_nothing_in_the_whole_site_but_materials_own_errors(built_site: Built, tmp_path: Path,
                                                                      nu_tools: None) -> None:
    # A copy of the home page with two faults of our own checks the checker in the same run: a
    # label for a control that is not there, and Material's autocomplete error on our own box.
    home = (built_site.site_dir / "index.html").read_text(encoding="utf-8")
    canary = tmp_path / "canary.html"
    canary.write_text(home.replace("<article", '<label for="nowhere">x</label>'
                                   '<input type="checkbox" id="mine" autocomplete="off"><article', 1),
                      encoding="utf-8")
    result = audit.nu([built_site.site_dir, canary])
    pages = len(audit.page_urls(built_site.site_dir))
    assert result.pages == pages + 1
    ours = [m for m in result.ours if m["url"] != canary.as_uri().replace("file://", "file:")]
    assert ours == [], "\n".join(audit.describe_nu(m, built_site.site_dir) for m in ours)
    found = sorted(m["message"] for m in result.ours)
    assert found == [AUTOCOMPLETE, "The value of the “for” attribute of the “label” element must be the ID of a "
                                   "non-hidden form control."]
    # Material's two toggles, once each on every page (the canary's included)
    assert result.material == 2 * (pages + 1)
    print(f"Nu: {result.total} errors over {result.pages} pages, {result.material} Material's own, "
          f"{len(result.ours)} in the canary, {result.seconds:.0f} s")


# --- axe and the phone ------------------------------------------------------------------------

def page_kinds(site_data: SiteData) -> list[str]:
    """One page of every kind in both languages: each generator's index and element pages (of
    a kind with many pages, the one of median length: the same template as the others, at a
    typical size), the hand-written pages, the plan builder and the 404 page."""
    kinds: dict[tuple[str, int, bool], list[tuple[int, str]]] = {}
    for name, make in registry.GENERATORS.items():
        for page in make(site_data, "zh"):
            kind = (name, page.path.count("/"), page.path.endswith("index.md"))
            kinds.setdefault(kind, []).append((len(page.content), page.path))
    chosen = [sorted(pages)[len(pages) // 2][1] for pages in kinds.values()]
    neutral = ["index.md", "start-here.md", "builder/index.md", *chosen]
    return [_url(paths.in_lang(p, lang)) for lang in ("zh", "en") for p in neutral] + ["404.html"]


# The colour rules (contrast in light and dark) look at the first 5000 px of each page's
# article, its chrome whole; the other rules at the whole page. scripts/site_audit.py looks at
# all of every page (the rule catalogue alone takes a minute there).
COLOUR_LIMIT = 5000


def _crawl(base_url: str, urls: list[str]) -> tuple[list[Any], list[str]]:
    """scripts/site_audit.py's crawl (asyncio, two tabs) in a thread of its own: the session's
    browser fixture belongs to Playwright's synchronous API in this one."""
    out: list[tuple[list[Any], list[str]]] = []
    failed: list[BaseException] = []

    def run() -> None:
        try:
            out.append(asyncio.run(audit.crawl(base_url, urls, workers=2, colour_limit=COLOUR_LIMIT)))
        except BaseException as error:
            failed.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failed:
        raise failed[0]
    return out[0]


@pytest.fixture(scope="module")
def kinds_audited(browser: Any, base_url: str, site_data: SiteData) -> list[Any]:
    audits, elsewhere = _crawl(base_url, page_kinds(site_data))
    assert elsewhere == [], "requests to other hosts"
    return audits


def test_every_kind_of_page_is_covered(site_data: SiteData, built_site: Built) -> None:
    kinds = page_kinds(site_data)
    assert len(kinds) == len(set(kinds))
    for url in kinds:
        assert (built_site.site_dir / url / "index.html").is_file() or (built_site.site_dir / url).is_file(), url
    for needed in ("index.md", "start-here.md", "builder/index.md", paths.LOOP, paths.ROLES, paths.PLANS,
                   paths.RACI, paths.KPIS, paths.GLOSSARY, paths.TEMPLATES, paths.RULES, paths.FACTS, paths.SOURCES):
        url = _url(needed)
        assert url in kinds and "en/" + url in kinds, needed
    for element in (r"phases/[^/]+/[^/]+/", r"roles/[^/]+/", r"plans/[^/]+/"):  # a step, a role, a plan
        assert any(re.fullmatch(element, k) for k in kinds) and any(re.fullmatch("en/" + element, k) for k in kinds)


def test_axe_finds_no_serious_problem_on_any_kind_of_page_light_or_dark(kinds_audited: list[Any]) -> None:
    found = {(a.url, scheme, v["id"]): v for a in kinds_audited for scheme, v in a.serious()}
    assert found == {}
    assert all(set(a.axe) == {"light", "dark"} for a in kinds_audited)
    impacts = Counter(f"{scheme} {v['impact']}" for a in kinds_audited for scheme, vs in a.axe.items() for v in vs)
    slowest = sorted(kinds_audited, key=lambda a: -a.seconds)[:5]
    print(f"axe over {len(kinds_audited)} pages: {dict(impacts) or 'nothing'}; the slowest: "
          + ", ".join(f"{a.url} {a.seconds:.1f} s" for a in slowest))


def test_no_kind_of_page_scrolls_sideways_on_a_phone(kinds_audited: list[Any]) -> None:
    assert {a.url: a.sideways for a in kinds_audited if a.sideways > 0} == {}


def test_no_kind_of_page_has_console_errors(kinds_audited: list[Any]) -> None:
    assert {a.url: a.errors for a in kinds_audited if a.errors} == {}


def test_the_audit_sees_a_serious_problem_and_a_page_too_wide(browser: Any, base_url: str,
                                                              built_site: Built) -> None:
    # a page of the site with three faults: an image without a text alternative (axe
    # image-alt, critical), light grey text on white (color-contrast, serious, light and dark) and a
    # block wider than a phone
    home = (built_site.site_dir / "index.html").read_text(encoding="utf-8")
    (built_site.site_dir / "audit-canary.html").write_text(
        home.replace("<article", '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="'
                                 ' style="display:block;width:700px;height:10px">'
                                 '<p style="color:#ccc;background:#fff">faint</p><article', 1), encoding="utf-8")
    try:
        [canary], _ = _crawl(base_url, ["audit-canary.html"])
    finally:
        (built_site.site_dir / "audit-canary.html").unlink()
    assert sorted((scheme, v["id"]) for scheme, v in canary.serious()) == [
        ("dark", "color-contrast"), ("light", "color-contrast"), ("light", "image-alt")]
    assert canary.sideways > 0


# --- print ------------------------------------------------------------------------------------

# Measured (A4, Chromium, printed from a 1280 px window): the largest client plans (221 and 213
# items) print on 18 pages, 21 in English, the RACI matrix on 4 landscape pages, 5 in English. A
# plan on more than 25 pages, or the matrix on more than 6, has lost its print styles (before
# them: 33 and 12).
PLAN_PAGES = 25
RACI_PAGES = 6


def _printed(tab: Tab, url: str) -> int:
    page = tab.open(url)
    page.wait_for_function(audit.READY, timeout=60_000)
    pages: int = audit.pdf_pages(page.pdf(format="A4"))  # fires beforeprint, as Print does
    return pages


def test_plans_and_the_raci_matrix_print_at_a_sensible_length(tab: Tab, site_data: SiteData) -> None:
    largest = max(site_data.plans, key=lambda c: len(c.plans["zh"].items))
    printed = {}
    for lang in ("zh", "en"):
        for path in (paths.RACI, paths.plan("coffee-chain"), paths.plan(largest.slug)):
            url = _url(paths.in_lang(path, lang))
            printed[url] = _printed(tab, url)
    print("printed on A4:", printed)
    assert all(n <= RACI_PAGES for u, n in printed.items() if "raci" in u), printed
    assert all(5 <= n <= PLAN_PAGES for u, n in printed.items() if "plans/" in u), printed
    tab.assert_offline_and_clean()
