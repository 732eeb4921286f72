"""Fixtures of the site tests: the shipped KB, base rules and example client plans; the shipped
site built once per session with `opsbook site build`; and for the browser tests, that build
served on 127.0.0.1 and a headless chromium whose tabs abort (and record) every request to
another host."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from sitetools import ROOT, Built, Tab

from generator.cli.main import cli
from generator.kb.model import KB
from generator.kb.validate import validate_kb
from generator.site.content import Clients, load_data
from generator.site.local_server import served
from generator.site.page import SiteData


@pytest.fixture(scope="session")
def shipped_kb() -> KB:
    result = validate_kb(ROOT / "kb")
    assert result.kb is not None, "\n".join(str(p) for p in result.problems)
    return result.kb


@pytest.fixture(scope="session")
def site_data() -> SiteData:
    """What the default build publishes: the shipped KB, the base rules and the example clients."""
    data, _ = load_data(ROOT, Clients(("examples/*.yaml",)))
    return data


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The shipped playbook's site, built by the CLI into a temporary folder."""
    site_dir = tmp_path_factory.mktemp("site") / "out"
    result = CliRunner().invoke(cli, ["site", "build", "-d", str(site_dir)], prog_name="opsbook")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Built(site_dir, result.exit_code, result.stdout, result.stderr)


CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _unavailable(why: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{why} (CI is set, so the browser tests must run)")
    pytest.skip(why)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def base_url(built_site: Built) -> Iterator[str]:
    assert built_site.exit_code == 0, built_site.stderr
    with served(built_site.site_dir) as url:
        yield url


def _open_tab(browser: Any, base_url: str, width: int, height: int, scheme: str = "light",
              downloads: bool = False) -> tuple[Any, Tab]:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  color_scheme=scheme, accept_downloads=downloads)
    tab = Tab(context.new_page(), base_url)

    def local_only(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    context.route("**/*", local_only)
    context.on("request", lambda r: urlsplit(r.url).hostname != "127.0.0.1" and tab.elsewhere.append(r.url))
    tab.page.on("console", lambda m: m.type == "error" and tab.errors.append(m.text))
    tab.page.on("pageerror", lambda e: tab.errors.append(str(e)))
    return context, tab


@pytest.fixture
def tab(browser: Any, base_url: str) -> Iterator[Tab]:
    """A desktop tab, 1280 x 900."""
    context, tab = _open_tab(browser, base_url, 1280, 900, downloads=True)
    yield tab
    context.close()


@pytest.fixture
def phone(browser: Any, base_url: str) -> Iterator[Tab]:
    """A phone-sized tab, 390 x 844."""
    context, tab = _open_tab(browser, base_url, 390, 844)
    yield tab
    context.close()


@pytest.fixture
def dark(browser: Any, base_url: str) -> Iterator[Tab]:
    """A desktop tab of a system set to dark mode."""
    context, tab = _open_tab(browser, base_url, 1280, 900, scheme="dark")
    yield tab
    context.close()


@pytest.fixture(scope="module")
def builder_tab(browser: Any, base_url: str) -> Iterator[Tab]:
    """A desktop tab on the plan builder page, kept open for a whole test module: Pyodide loads
    once, and each case changes the page's #facts= fragment."""
    context, tab = _open_tab(browser, base_url, 1280, 900, downloads=True)
    tab.open("en/builder/")
    tab.page.wait_for_function("window.opsbookBuilderReady === true", timeout=120_000)
    yield tab
    context.close()
