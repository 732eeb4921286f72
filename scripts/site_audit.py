"""Audit of the whole built site: the Nu HTML Checker over every page in one run, and every page
opened in Chromium for axe-core (light and dark), sideways scrolling on a 390 x 844 phone and
the number of pages it prints on (A4).

    .venv/bin/python scripts/site_audit.py                 # builds the site first (about a minute)
    .venv/bin/python scripts/site_audit.py --site DIR      # a site built by `opsbook site build -d DIR`
    .venv/bin/python scripts/site_audit.py --no-print      # skip the print page counts

It prints the figures and exits 1 when something is found: a Nu error that MkDocs Material's
own template does not emit, an axe violation of serious or critical impact, or a page that
scrolls sideways on a phone. tests/site/test_audit.py runs the same checks over one page of
every kind; this script runs them over all pages.

Nothing is fetched from another host: the site is served from this machine, requests
elsewhere are aborted and counted, the Nu checker is the npm-installed jar
(node_modules/vnu-jar, from scripts/setup.sh) and axe-core is the copy in tests/site/vendor/.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.site.local_server import served

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "tests" / "site" / "vendor" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

DESKTOP: Any = {"width": 1280, "height": 900}
PHONE: Any = {"width": 390, "height": 844}

# The Nu errors MkDocs Material's own base.html emits on every page, and nothing else: its two
# hidden toggles (the navigation drawer and the search) are checkboxes with autocomplete="off",
# an attribute HTML allows only on text-like inputs. Each is matched by its message and the
# exact element the checker points at; any other error is ours.
MATERIAL_ONLY = (
    ("Attribute “autocomplete” is only allowed when the input type is ",
     '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'),
    ("Attribute “autocomplete” is only allowed when the input type is ",
     '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">'),
)

# axe-core: the WCAG 2.1 A and AA rules and the best practices, violations only (no passes,
# incomplete or inapplicable results to collect, which is most of axe's time on a long page).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
               "resultTypes": ["violations"]}
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# The rules that look at colours; in dark mode only the colours change (Material swaps its CSS
# variables; diagrams take theirs from them), so the dark pass runs only these.
AXE_COLOURS = {"runOnly": {"type": "rule", "values": COLOUR_RULES}, "resultTypes": ["violations"]}
# AXE_OPTIONS without the colour rules, for a light pass whose colour rules run apart.
AXE_STRUCTURE = {**AXE_OPTIONS, "rules": {rule: {"enabled": False} for rule in COLOUR_RULES}}
# axe over the page, or with `limit` (pixels), the page without the article's blocks that start
# below that line (a table's rows, a list's items): colour contrast, which is most of axe's
# time, looks at every text, and a long page repeats the same few templates.
AXE_RUN = """async ([options, limit]) => {
  const exclude = [];
  const walk = (element) => {
    for (const child of element.children) {
      const box = child.getBoundingClientRect();
      if (box.top + scrollY > limit) exclude.push(child);
      else if (box.bottom + scrollY > limit) walk(child);
    }
  };
  const article = document.querySelector('article');
  if (limit !== null && article) walk(article);
  const context = exclude.length ? {include: [document], exclude: exclude} : document;
  return (await axe.run(context, options)).violations;
}"""
SERIOUS = ("serious", "critical")

# Ready to check: loaded, checklists set up and (where there are any) the diagrams drawn.
READY = """() => document.readyState === 'complete'
  && (!document.querySelector('article input[type=checkbox]')
      || document.documentElement.dataset.checklists === 'ready')
  && (!document.querySelector('pre.opsbook-diagram') || document.documentElement.dataset.diagrams === 'drawn')"""
SCHEME = "document.body.dataset.mdColorScheme"


def page_urls(site_dir: Path) -> list[str]:
    """Every HTML page of the site, as a URL path relative to the site's root ('' is the home page)."""
    urls = []
    for html in sorted(site_dir.rglob("*.html")):
        relative = html.relative_to(site_dir).as_posix()
        urls.append(relative.removesuffix("index.html") if relative.endswith("index.html") else relative)
    return urls


# --- Nu ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NuResult:
    total: int
    material: int
    ours: tuple[dict[str, Any], ...]
    pages: int
    seconds: float


def material_only(message: dict[str, Any]) -> bool:
    """Whether a Nu message is one of the errors Material's own template emits (MATERIAL_ONLY)."""
    start, length = message.get("hiliteStart"), message.get("hiliteLength")
    if message.get("type") != "error" or start is None or length is None:
        return False
    marked = message.get("extract", "")[start:start + length]
    return any(message.get("message", "").startswith(text) and marked == element for text, element in MATERIAL_ONLY)


def nu(files: Sequence[Path]) -> NuResult:
    """The Nu HTML Checker over `files` (pages or folders of pages) in one run of the jar."""
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("java is not installed (apt-get install default-jre-headless)")
    if not VNU.exists():
        raise RuntimeError(f"{VNU} is missing: run scripts/setup.sh (npm ci)")
    started = time.monotonic()
    done = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html",
                           *map(str, files)], capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    try:
        messages = json.loads(done.stderr)["messages"]
    except (ValueError, KeyError) as error:
        raise RuntimeError(f"the Nu checker gave no report (exit {done.returncode}): {done.stderr[:500]}") from error
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    ours = tuple(m for m in errors if not material_only(m))
    pages = sum(len(list(f.rglob("*.html"))) if f.is_dir() else 1 for f in files)
    return NuResult(len(errors), len(errors) - len(ours), ours, pages, seconds)


def describe_nu(message: dict[str, Any], site_dir: Path) -> str:
    url = message.get("url", "").removeprefix("file:")
    with contextlib.suppress(ValueError):
        url = Path(url).relative_to(site_dir).as_posix()
    return f"{url}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}: {message.get('message')}"


# --- the browser ------------------------------------------------------------------------------

@dataclass
class PageAudit:
    url: str
    axe: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # scheme -> violations
    sideways: int = 0  # pixels the page is wider than a 390 px phone
    printed: int | None = None  # A4 pages
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)  # console errors, uncaught exceptions

    def serious(self) -> list[tuple[str, dict[str, Any]]]:
        return [(scheme, v) for scheme, found in self.axe.items() for v in found if v["impact"] in SERIOUS]


def _violations(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]),
             "targets": [n["target"] for n in v["nodes"]][:3]} for v in found]


def pdf_pages(pdf: bytes) -> int:
    """The number of pages of a PDF Chromium printed (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


async def _axe(page: Any, options: dict[str, Any], limit: int | None = None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = await page.evaluate(AXE_RUN, [options, limit])
    return found


async def _audit(page: Any, base: str, url: str, printed: bool, colour_limit: int | None) -> PageAudit:
    started = time.monotonic()
    audit = PageAudit(url)
    await page.set_viewport_size(DESKTOP)
    await page.emulate_media(color_scheme="light")
    await page.goto(base + url, wait_until="load")
    await page.wait_for_function(READY, timeout=60_000)
    await page.wait_for_function(f"{SCHEME} === 'default'")
    if colour_limit is None:
        audit.axe["light"] = _violations(await _axe(page, AXE_OPTIONS))
    else:
        audit.axe["light"] = _violations(await _axe(page, AXE_STRUCTURE) + await _axe(page, AXE_COLOURS, colour_limit))
    await page.emulate_media(color_scheme="dark")
    await page.wait_for_function(f"{SCHEME} === 'slate'")
    audit.axe["dark"] = _violations(await _axe(page, AXE_COLOURS, colour_limit))
    await page.emulate_media(color_scheme="light")
    await page.wait_for_function(f"{SCHEME} === 'default'")
    if printed:  # printing to PDF fires beforeprint, as the browser's Print does (checklists.js opens blocks)
        audit.printed = pdf_pages(await page.pdf(format="A4"))
    await page.set_viewport_size(PHONE)
    await page.wait_for_function("document.documentElement.clientWidth === 390")
    await page.wait_for_timeout(50)  # resize observers (diagrams) run in the next frame
    audit.sideways = await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    audit.seconds = time.monotonic() - started
    return audit


async def crawl(base: str, urls: Sequence[str], *, workers: int = 2, printed: bool = False,
                colour_limit: int | None = None, progress: bool = False) -> tuple[list[PageAudit], list[str]]:
    """Every page of `urls` (relative to `base`) audited in one Chromium, `workers` pages at a time,
    each worker one tab reused from page to page with axe-core injected at each navigation.
    Returns the audits in the order of `urls` and the requests made to other hosts."""
    from playwright.async_api import async_playwright

    axe_source = AXE.read_text(encoding="utf-8")
    elsewhere: list[str] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(len(urls)):
        queue.put_nowait(n)
    audits: list[PageAudit | None] = [None] * len(urls)

    async def local_only(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            await route.continue_()
        else:
            elsewhere.append(route.request.url)
            await route.abort()

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)

        async def worker() -> None:
            context = await browser.new_context(viewport=DESKTOP, locale="zh-CN", color_scheme="light")
            await context.route("**/*", local_only)
            await context.add_init_script(axe_source)
            page = await context.new_page()
            errors: list[str] = []

            def console(message: Any) -> None:
                if message.type == "error":
                    errors.append(message.text)

            page.on("console", console)
            page.on("pageerror", lambda error: errors.append(str(error)))
            while not queue.empty():
                n = queue.get_nowait()
                errors.clear()
                audit = await _audit(page, base, urls[n], printed, colour_limit)
                audit.errors = list(errors)
                audits[n] = audit
                if progress:
                    print(f"  {audit.seconds:5.1f} s  {urls[n] or '/'}", file=sys.stderr)
            await context.close()

        await asyncio.gather(*(worker() for _ in range(workers)))
        await browser.close()
    return [a for a in audits if a is not None], elsewhere


# --- the report -------------------------------------------------------------------------------

def build_site(target: Path) -> Path:
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "opsbook"), "site", "build", "-d", str(target)],
                          cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(done.returncode)
    return target


def report(site_dir: Path, *, workers: int, printed: bool, progress: bool) -> int:
    problems = 0
    result = nu([site_dir])
    print(f"Nu: {result.pages} pages in {result.seconds:.0f} s: {result.total} errors, {result.material} from "
          f"Material's own template, {len(result.ours)} ours")
    for message in result.ours:
        print("  " + describe_nu(message, site_dir))
    problems += len(result.ours)

    urls = page_urls(site_dir)
    started = time.monotonic()
    with served(site_dir) as base:
        audits, elsewhere = asyncio.run(crawl(base, urls, workers=workers, printed=printed, progress=progress))
    seconds = time.monotonic() - started
    print(f"Chromium: {len(audits)} pages in {seconds:.0f} s ({workers} tabs)")
    for scheme in ("light", "dark"):
        impacts: Counter[str] = Counter()
        for audit in audits:
            for v in audit.axe[scheme]:
                impacts[v["impact"]] += v["nodes"]
        counts = ", ".join(f"{impacts[i]} {i}" for i in ("critical", "serious", "moderate", "minor"))
        rules = Counter(f"{v['id']} ({v['impact']})" for audit in audits for v in audit.axe[scheme])
        print(f"axe, {scheme}: {counts} (elements); by rule, pages: " + (", ".join(
            f"{rule} {n}" for rule, n in rules.most_common()) or "none"))
    for audit in audits:
        for scheme, v in audit.serious():
            print(f"  {audit.url or '/'} ({scheme}): {v['id']} ({v['impact']}, {v['nodes']} elements) {v['targets']}")
            problems += 1
    wide = [a for a in audits if a.sideways > 0]
    print(f"sideways scrolling at 390 px: {len(wide)} pages")
    for audit in wide:
        print(f"  {audit.url or '/'}: {audit.sideways} px too wide")
    problems += len(wide)
    failing = [a for a in audits if a.errors]
    for audit in failing:
        print(f"  {audit.url or '/'}: console errors {audit.errors[:3]}")
    problems += len(failing) + len(elsewhere)
    if elsewhere:
        print(f"requests to other hosts: {sorted(set(elsewhere))[:10]}")
    if printed:
        longest = sorted(((a.printed or 0, a.url) for a in audits), reverse=True)
        print("printed on A4: " + ", ".join(f"{u or '/'} {n}" for n, u in longest[:12]) + " (the longest)")
        plans = [(n, u) for n, u in longest if u.removeprefix("en/").startswith(("plans/", "reference/raci/"))]
        print("plans and RACI: " + ", ".join(f"{u} {n}" for n, u in sorted(plans, key=lambda p: p[1])))
    slow = sorted(audits, key=lambda a: -a.seconds)[:5]
    print("slowest pages: " + ", ".join(f"{a.url or '/'} {a.seconds:.1f} s" for a in slow))
    return 1 if problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a site built by `opsbook site build -d DIR` (default: build one)")
    parser.add_argument("--tabs", type=int, default=2, help="pages audited at the same time (default 2)")
    parser.add_argument("--no-print", action="store_true", help="skip counting printed pages")
    parser.add_argument("--progress", action="store_true", help="name each page as it is audited")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is not installed (apt-get install chromium fonts-noto-cjk)", file=sys.stderr)
        return 2
    if args.site is not None:
        if not (args.site / "index.html").is_file():
            print(f"{args.site}: no built site here (no index.html); build one with `opsbook site build -d "
                  f"{args.site}`", file=sys.stderr)
            return 2
        return report(args.site.resolve(), workers=args.tabs, printed=not args.no_print, progress=args.progress)
    with tempfile.TemporaryDirectory() as folder:
        site_dir = build_site(Path(folder) / "site")
        return report(site_dir, workers=args.tabs, printed=not args.no_print, progress=args.progress)


if __name__ == "__main__":
    sys.exit(main())
