"""Everything the hook adds to a build, made once from the playbook folder: the generated
pages of both languages, the navigation, the glossary tooltips and the search words."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import OpsbookError, Problem, errors_only
from generator.kb.model import KB
from generator.kb.validate import validate_kb
from generator.rules.layers import load_ruleset
from generator.rules.model import Rule
from generator.site import downloads, nav, reading, tooltips, words
from generator.site.clients import client_plans, facts_files, published_path
from generator.site.page import Page, SiteData
from generator.site.page_labels import LANGS
from generator.site.registry import generate


@dataclass(frozen=True)
class SiteContent:
    pages: dict[str, list[Page]]  # lang -> generated pages
    nav: nav.Nav
    abbreviations: dict[str, dict[str, str]]  # lang -> the glossary tooltips: term -> text
    search_words: list[str]
    reading_path: list[str]  # the start-here path (reading.py), language-neutral page paths
    downloads: dict[str, list[tuple[str, bytes]]]  # lang -> (neutral path, content) of files to download
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Clients:
    """The client plans a build publishes: facts files (paths or globs, relative to the
    playbook) and the overlay folders their plans use."""

    facts: tuple[str, ...] = ()
    overlays: tuple[str, ...] = ()


def _catalogued(rule: Rule, root: Path) -> Rule:
    """The rule with its location relative to the playbook, as the catalogue shows it."""
    if rule.location is None:
        return rule
    file, line, col = rule.location
    return dataclasses.replace(rule, location=(published_path(Path(file), root), line, col))


def _rules_and_plans(kb: KB, root: Path, clients: Clients) -> SiteData:
    rules_dir = root / "rules"
    files = facts_files(root, clients.facts)
    if not rules_dir.is_dir():
        if files:
            raise OpsbookError(Problem(str(rules_dir), 1, 1, "client plans need the playbook's rules/"))
        return SiteData(kb=kb)
    base = load_ruleset(rules_dir, kb)
    rules = tuple(_catalogued(r, root) for r in base.rules if r.layer == "base")
    overlays = [root / o for o in clients.overlays]
    planned = load_ruleset(rules_dir, kb, overlays) if overlays else base
    return SiteData(kb=kb, rules=rules, plans=client_plans(kb, planned, files, root))


def load_data(root: Path, clients: Clients = Clients()) -> tuple[SiteData, tuple[Problem, ...]]:
    """The site's data from the playbook folder `root` (the KB, the base rules, the plans of
    `clients`), and the KB's warnings. Raises OpsbookError with every located problem when
    the KB, the rules or a client's facts have errors."""
    result = validate_kb(root / "kb")
    if result.kb is None:
        raise OpsbookError(errors_only(result.problems) or result.problems)
    return _rules_and_plans(result.kb, root, clients), result.problems


def assemble(data: SiteData, warnings: tuple[Problem, ...] = (), start_here: str = "") -> SiteContent:
    pages = {lang: generate(data, lang) for lang in LANGS}
    abbrs = {lang: tooltips.glossary(tooltips.abbreviations(data.kb, lang)) for lang in LANGS}
    path = reading.reading_path(start_here, [p.id for p in data.kb.phases])
    files = {lang: list(downloads.downloads(data, lang)) for lang in LANGS}
    return SiteContent(pages=pages, nav=nav.site_nav(pages), abbreviations=abbrs,
                       search_words=words.search_words(data.kb), reading_path=path, downloads=files,
                       warnings=warnings)


def site_content(root: Path, clients: Clients = Clients(), docs: Path | None = None) -> SiteContent:
    """The content of the playbook at `root`; `docs` is its docs folder (the start-here page
    there says the reading path)."""
    start = (docs or root / "site") / reading.START
    start_here = start.read_text("utf-8") if start.is_file() else ""
    return assemble(*load_data(root, clients), start_here=start_here)
