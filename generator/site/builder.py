"""The plan builder in the site: its page in each language (in the navigation after the
hand-written pages) and the files it loads, for the playbook's rules and the overlays the
build publishes (`opsbook site build --overlay DIR`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.plan.playbook import load_playbook
from generator.site import builder_assets, builder_form, nav
from generator.site.content import SiteContent
from generator.site.page import Page
from generator.site.page_labels import LANGS
from generator.site.paths import in_lang


@dataclass(frozen=True)
class BuilderSite:
    pages: dict[str, Page]  # lang -> the builder page
    files: list[tuple[str, bytes]]  # (site path, content), shared by both languages


def builder_site(root: Path, overlays: Sequence[Path] = (), today: dt.date | None = None) -> BuilderSite:
    """The builder of the playbook at `root` with `overlays` applied."""
    playbook = load_playbook(root / "kb", root / "rules", overlays)
    day = today or dt.date.today()
    pages = {}
    for lang in LANGS:
        depth = in_lang(builder_form.PATH, lang).count("/")
        text = builder_form.page(playbook.kb, lang, day, depth)
        pages[lang] = Page(builder_form.PATH, builder_form.WORDS[lang]["title"], text)
    return BuilderSite(pages, builder_assets.builder_files(root, playbook.kb, playbook.ruleset, day))


def with_builder(content: SiteContent, builder: BuilderSite) -> SiteContent:
    """The site's content with the builder page first among the generated pages."""
    pages = {lang: [builder.pages[lang], *content.pages[lang]] for lang in content.pages}
    return dataclasses.replace(content, pages=pages, nav=nav.site_nav(pages))
