"""The site build: how long `opsbook site build` takes and where the time goes.

    .venv/bin/python -c "import sys; sys.path.insert(0, 'bench'); from site_build import site_rows; \\
        from pathlib import Path; print(site_rows(Path('.')))"

Every build runs in this process, warm (MkDocs, Material and jieba's dictionary already
loaded by a first build), strict like the CLI's, into a temporary folder. One default build
(every example client's plan) is split by timing wrapped functions:

- the hook loading the KB and rules and planning the clients (`content.load_data`),
- the hook's page generators (`registry.generate`, both languages),
- Markdown rendering (MkDocs' `Page.render`, with our glossary tooltips extension),
- search indexing (Material's `SearchIndex`), and the jieba segmentation inside it,
- theme templating and writing (MkDocs' `_build_page`, less the search indexing in it),
- the rest (config, files, navigation, copying the theme's assets, writing the index).

Two baselines come from the same run: the same site without client plans (what the plans
cost), and the four hand-written pages alone, built with the same theme, plugins and
extensions but without our hook (MkDocs and Material's fixed cost).

The build's CPU time (this process's) is reported beside its wall time: on a machine other
work shares, it moves much less than the wall time does.
"""

from __future__ import annotations

import contextlib
import logging
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

Row = tuple[str, str, str, str, str]
Totals = dict[str, float]


def _timer(totals: Totals, key: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[key] = totals.get(key, 0.0) + time.perf_counter() - start

    return timed


@contextlib.contextmanager
def _split(totals: Totals) -> Iterator[None]:
    """Time the stages of a build into `totals` while inside."""
    import mkdocs.commands.build as mkbuild
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.structure.pages import Page

    from generator.site import content

    stages: list[tuple[Any, str, str]] = [
        (content, "load_data", "load"), (content, "generate", "generate"), (Page, "render", "markdown"),
        (SearchIndex, "add_entry_from_context", "search"), (SearchIndex, "generate_search_index", "index"),
        (SearchIndex, "_segment_chinese", "jieba"), (mkbuild, "_build_page", "template"),
    ]
    with contextlib.ExitStack() as stack:
        for owner, name, key in stages:
            stack.enter_context(mock.patch.object(owner, name, _timer(totals, key, getattr(owner, name))))
        yield


_CPU: list[float] = []  # the CPU seconds of each build, in order


def _build(root: Path, clients: list[str] | None, hook: bool = True) -> float:
    """Seconds to load the config and build the site into a temporary folder (its CPU
    seconds go to _CPU). `clients` replaces the published clients; without the hook, only
    the hand-written pages."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logger = logging.getLogger("mkdocs")
    level = logger.level
    with tempfile.TemporaryDirectory() as out:
        start, cpu = time.perf_counter(), time.process_time()
        if hook:
            config = load_config(str(root / "mkdocs.yml"), strict=True, site_dir=out)
        else:  # their links to the generated pages are broken then: not strict, and quiet
            from generator.site.nav import site_nav

            logger.setLevel(logging.ERROR)
            config = load_config(str(root / "mkdocs.yml"), strict=False, site_dir=out, hooks=[],
                                 nav=site_nav({"zh": [], "en": []}))
        if clients is not None:
            config.extra["opsbook"] = {"clients": clients, "overlays": []}
        try:
            build(config)
        finally:
            logger.setLevel(level)
        _CPU.append(time.process_time() - cpu)
        return time.perf_counter() - start


def _pages(root: Path) -> tuple[int, int]:
    """(generated pages, client plans) of the default build."""
    from generator.site.content import Clients, load_data
    from generator.site.registry import generate

    data, _ = load_data(root, Clients(("examples/*.yaml",)))
    return 2 * len(generate(data, "zh")), len(data.plans)


def _share(part: float, whole: float) -> str:
    return f"{part / whole:.0%}"


def site_rows(root: Path, runs: int = 2) -> list[Row]:
    """The build's figures; each build kind is run `runs` times, interleaved, median taken."""
    import jieba

    root = root.resolve()
    jieba.setLogLevel(logging.WARNING)  # as the hook does: "Building prefix dict" is not a figure
    _build(root, None, hook=False)  # warm: imports, the theme, jieba's dictionary
    full, bare, hand = [], [], []
    cpu_full, cpu_hand = [], []
    splits: list[Totals] = []
    for _ in range(runs):
        hand.append(_build(root, None, hook=False))
        cpu_hand.append(_CPU[-1])
        bare.append(_build(root, []))
        totals: Totals = {}
        with _split(totals):
            full.append(_build(root, None))
        cpu_full.append(_CPU[-1])
        splits.append(totals)
    t_full, t_bare, t_hand = (statistics.median(x) for x in (full, bare, hand))
    c_full, c_hand = statistics.median(cpu_full), statistics.median(cpu_hand)
    split = {key: statistics.median(s.get(key, 0.0) for s in splits) for key in splits[0]}
    split["search"] += split.get("index", 0.0)  # pages indexed while written, then the index file
    split["template"] -= split["search"] - split.get("index", 0.0)  # indexing runs inside writing
    split["rest"] = t_full - sum(split[k] for k in ("load", "generate", "markdown", "template", "search"))
    generated, clients = _pages(root)
    stages = [("load", "hook: load KB and rules, plan the clients", "<= 10%"),
              ("generate", "hook: page generators (both languages)", "<= 15%"),
              ("markdown", "Markdown rendering (with glossary tooltips)", "—"),
              ("search", "search indexing", "<= 35%"),
              ("jieba", "  of which jieba segmentation", "—"),
              ("template", "theme templating and writing the pages", "—"),
              ("rest", "the rest (config, files, nav, theme assets)", "—")]
    rows: list[Row] = [
        (f"site build, default ({generated} generated pages, {clients} client plans)", f"{t_full:.2f} s",
         f"hand-written pages only, no hook {t_hand:.2f} s", f"{t_full / t_hand:.1f}x", "<= 12 s"),
        ("  its CPU time (this process)", f"{c_full:.2f} s", f"hand-written pages only, no hook {c_hand:.2f} s",
         f"{c_full / c_hand:.1f}x", "—"),
        (f"the {clients} client plans ({2 * clients} pages) add", f"{t_full - t_bare:.2f} s",
         f"build without client plans {t_bare:.2f} s", f"{t_full / t_bare:.2f}x", "<= 1.5x"),
    ]
    rows += [(name, f"{split[key]:.2f} s", f"full build {t_full:.2f} s", _share(split[key], t_full), target)
             for key, name, target in stages]
    return rows


if __name__ == "__main__":
    for row in site_rows(Path(__file__).resolve().parents[1]):
        print(" | ".join(row))
