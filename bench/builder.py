"""The plan builder in Chromium: how soon the first plan appears, how fast later plans are,
and what the page downloads.

    .venv/bin/python bench/builder.py                 # builds the site once (about a minute)
    .venv/bin/python bench/builder.py --site DIR      # reuses a site built by `opsbook site build -d DIR`
    .venv/bin/python bench/run.py --only builder

The built site is served from this machine and opened in Chromium (Playwright,
/usr/bin/chromium), each visit in a new browser context, so with an empty cache unless said
otherwise. Figures, medians of `--runs` visits:

- the first plan through the `#facts=` hook: from navigation to `window.opsbookPlan` set and
  the plan shown, with where the time went (the page marks each stage with
  `performance.mark("opsbook-builder:...")`: the page's script started, then in the engine's
  worker the memory snapshot fetched and unzipped, Pyodide restored from it (opsbook imported
  and the playbook unpickled at build time), the package's files unpacked, the engine ready,
  first plan and its view made; then the plan shown by the page);
- the first plan through the form: the page opened, the client's name typed and the form
  submitted as soon as it can be, to the plan shown;
- the same again on a second visit (the browser's cache holds the files);
- later plans on an open page (a changed fact each time);
- the builder's files, in bytes.

Baselines from the same run: a plain page of the same site (navigation to its load event) and
Pyodide's bare load (`loadPyodide()` on that page, nothing else), both with an empty cache.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.site.local_server import served

Row = tuple[str, str, str, str, str]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGE = "en/builder/"
PLAIN = "en/"
FACTS: dict[str, Any] = {
    "client": {"name": "Acme"}, "industry": "food_service", "business_model": "b2c", "stage": "growth",
    "offering": "both", "channels": ["offline_store", "social_media"], "has_supply_chain": True, "team_size": 9,
    "goals": ["improve_retention", "build_brand"], "kpis": {"complaint_rate": 0.06}, "start_date": "2027-01-18",
    "lang": "en"}
STAGES = ("start", "fetched", "pyodide", "unpacked", "ready", "planned", "shown")
TIMEOUT = 180_000


def encode(facts: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(facts, ensure_ascii=False).encode("utf-8")).decode().rstrip("=")


@contextlib.contextmanager
def built(root: Path, site: Path | None) -> Iterator[Path]:
    if site is not None:
        if not (site / PAGE / "index.html").is_file():
            raise SystemExit(f"{site}: no {PAGE}index.html there; build it with `opsbook site build -d {site}`")
        yield site
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        subprocess.run([sys.executable, "-m", "generator.cli.main", "site", "build", "-d", str(out)],
                       check=True, capture_output=True, cwd=root)
        yield out


class Browser:
    """Chromium with a fresh context per visit; requests to other hosts are refused and counted."""

    def __init__(self, playwright: Any, base: str) -> None:
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        self.base = base
        self.elsewhere: list[str] = []

    def context(self) -> Any:
        context = self.browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")

        def local_only(route: Any) -> None:
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                self.elsewhere.append(route.request.url)
                route.abort()

        context.route("**/*", local_only)
        return context


def marks(page: Any) -> dict[str, float]:
    """The builder's stage marks, in seconds since navigation."""
    found = page.evaluate("performance.getEntriesByType('mark').map(m => [m.name, m.startTime])")
    return {name.split(":", 1)[1]: ms / 1000 for name, ms in found if name.startswith("opsbook-builder:")}


def _planned(page: Any, condition: str) -> dict[str, float]:
    """Wait for `condition`, then the stage marks; a page without them (an older builder) gets
    'shown' from the moment the plan was seen, polled at each frame."""
    seen = page.wait_for_function(f"({condition}) && performance.now()", timeout=TIMEOUT).json_value() / 1000
    assert "error" not in page.evaluate("window.opsbookPlan"), page.evaluate("window.opsbookPlan")
    return {"shown": seen, **marks(page)}


def first_by_hook(page: Any, base: str) -> dict[str, float]:
    page.goto(f"{base}{PAGE}#facts={encode(FACTS)}")
    return _planned(page, "window.opsbookPlan !== null")


def first_by_form(page: Any, base: str) -> float:
    page.goto(f"{base}{PAGE}", wait_until="domcontentloaded")
    page.fill("#f-client-name-input", "Acme")
    for fact in ("industry", "business_model", "stage", "offering"):  # the first choice where none is
        if page.locator(f'[data-fact="{fact}"] input:checked').count() == 0:
            page.locator(f'[data-fact="{fact}"] input').first.check()
    page.click(".opsbook-builder-form button[type=submit]")
    return _planned(page, "window.opsbookPlan !== null && location.hash.startsWith('#facts=')")["shown"]


def later_plans(page: Any, count: int) -> list[float]:
    """Seconds from a new #facts= to its plan shown, for `count` different team sizes."""
    seconds = []
    for n in range(count):
        fragment = encode({**FACTS, "team_size": 10 + n})
        seconds.append(page.evaluate("""async fragment => {
            window.opsbookPlan = null;
            const start = performance.now();
            location.hash = 'facts=' + fragment;
            while (window.opsbookPlan === null) await new Promise(r => setTimeout(r, 2));
            if (window.opsbookPlan.error) throw new Error(window.opsbookPlan.error);
            return (performance.now() - start) / 1000;
        }""", fragment))
    return seconds


def plain_page(page: Any, base: str) -> float:
    page.goto(f"{base}{PLAIN}", wait_until="load")
    return float(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")) / 1000


def bare_pyodide(page: Any, base: str) -> float:
    page.goto(f"{base}{PLAIN}", wait_until="load")
    return float(page.evaluate("""async url => {
        const start = performance.now();
        const { loadPyodide } = await import(url + 'pyodide.mjs');
        await loadPyodide({ indexURL: url });
        return (performance.now() - start) / 1000;
    }""", f"{base}assets/builder/pyodide/"))


def sizes(site: Path) -> dict[str, int]:
    folder = site / "assets" / "builder"
    return {path.relative_to(folder).as_posix(): path.stat().st_size
            for path in sorted(folder.rglob("*")) if path.is_file()}


def measure(site: Path, runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    hook: list[dict[str, float]] = []
    form, warm, plain, bare, later = [], [], [], [], []
    with served(site) as base, sync_playwright() as playwright:
        chromium = Browser(playwright, base)
        for _ in range(runs):  # interleaved, so every figure sees the same machine
            context = chromium.context()
            plain.append(plain_page(context.new_page(), base))
            context.close()
            context = chromium.context()
            bare.append(bare_pyodide(context.new_page(), base))
            context.close()
            context = chromium.context()
            page = context.new_page()
            hook.append(first_by_hook(page, base))
            later += later_plans(page, 5)
            second = context.new_page()  # a second visit: the browser's cache holds the files
            warm.append(first_by_hook(second, base)["shown"])
            context.close()
            context = chromium.context()
            form.append(first_by_form(context.new_page(), base))
            context.close()
        chromium.browser.close()
    assert chromium.elsewhere == [], chromium.elsewhere
    stages = {key: statistics.median(run[key] for run in hook) for key in STAGES if all(key in r for r in hook)}
    return {"stages": stages, "form": statistics.median(form), "warm": statistics.median(warm),
            "plain": statistics.median(plain), "bare": statistics.median(bare),
            "later": statistics.median(later), "later_max": max(later), "sizes": sizes(site)}


def rows(figures: dict[str, Any]) -> list[Row]:
    stages, plain, bare = figures["stages"], figures["plain"], figures["bare"]
    first = stages["shown"]
    base_plain = f"plain page of the site {plain:.2f} s"
    base_bare = f"bare Pyodide load {bare:.2f} s"
    out: list[Row] = [
        ("builder: first plan, #facts= (empty cache)", f"{first:.2f} s", base_bare, f"{first / bare:.2f}x",
         "<= 3 s"),
        ("builder: first plan, form submitted (empty cache)", f"{figures['form']:.2f} s", base_bare,
         f"{figures['form'] / bare:.2f}x", "<= 3 s"),
        ("builder: first plan, second visit (cached)", f"{figures['warm']:.2f} s", base_plain,
         f"{figures['warm'] / plain:.1f}x", "<= 3 s"),
        ("builder: later plan", f"{figures['later']:.3f} s (max {figures['later_max']:.3f})", base_plain,
         f"{figures['later'] / plain:.2f}x", "<= 0.5 s"),
    ]
    previous = 0.0
    for key in STAGES:
        if key in stages:
            out.append((f"  builder stage to '{key}'", f"{stages[key] - previous:.2f} s", f"first plan {first:.2f} s",
                        f"{(stages[key] - previous) / first:.0%}", "—"))
            previous = stages[key]
    total = sum(figures["sizes"].values())
    for name, size in figures["sizes"].items():
        out.append((f"  builder file {name}", f"{size / 1e6:.2f} MB", f"all builder files {total / 1e6:.2f} MB",
                    f"{size / total:.0%}", "—"))
    return out


def builder_rows(root: Path, site: Path | None = None, runs: int = 3) -> list[Row]:
    with built(root, site) as folder:
        return rows(measure(folder, runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a site built by `opsbook site build -d DIR` (else built now)")
    parser.add_argument("--runs", type=int, default=3, help="visits per figure (median)")
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    for row in builder_rows(root, args.site, args.runs):
        print(" | ".join(row))


if __name__ == "__main__":
    main()
