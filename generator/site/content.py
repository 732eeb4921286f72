"""Everything the hook adds to a build, made once from the playbook folder: the generated
pages of both languages, the navigation, the glossary tooltips and the search words."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.errors import OpsbookError, Problem, errors_only
from generator.kb.validate import validate_kb
from generator.site import nav, tooltips
from generator.site.labels import LANGS
from generator.site.page import Page, SiteData
from generator.site.registry import generate


@dataclass(frozen=True)
class SiteContent:
    pages: dict[str, list[Page]]  # lang -> generated pages
    nav: nav.Nav
    abbreviations: dict[str, str]  # lang -> `*[name]: text` lines to append to each page
    search_words: list[str]
    warnings: tuple[Problem, ...] = ()


def load_data(root: Path) -> tuple[SiteData, tuple[Problem, ...]]:
    """The site's data from the playbook folder `root`, and the KB's warnings.
    Raises OpsbookError with every located problem when the KB has errors."""
    result = validate_kb(root / "kb")
    if result.kb is None:
        raise OpsbookError(errors_only(result.problems) or result.problems)
    return SiteData(kb=result.kb), result.problems


def assemble(data: SiteData, warnings: tuple[Problem, ...] = ()) -> SiteContent:
    pages = {lang: generate(data, lang) for lang in LANGS}
    abbrs = {lang: tooltips.definitions(tooltips.abbreviations(data.kb, lang)) for lang in LANGS}
    return SiteContent(pages=pages, nav=nav.site_nav(pages), abbreviations=abbrs,
                       search_words=tooltips.search_words(data.kb), warnings=warnings)


def site_content(root: Path) -> SiteContent:
    return assemble(*load_data(root))
