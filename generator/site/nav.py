"""The site navigation: one top-level section per language, hand-written pages first,
then the generated pages grouped by the sections they name. The theme override shows only
the section of the page's own language."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from generator.site.page import Page
from generator.site.page_labels import LANGS
from generator.site.paths import in_lang
from generator.words import word

# The hand-written pages under site/ (and site/en/), in navigation order, and their titles'
# keys in the catalogues (`nav.*`).
HANDWRITTEN = (
    ("index.md", "home"),
    ("start-here.md", "start_here"),
)

Nav = list[Any]  # MkDocs' nav: a list of {title: path} and {title: [children]}


def nav_title(text: str) -> str:
    """A title as the theme needs it: it prints nav titles as they are, so they are HTML-
    escaped; and it un-escapes them inside <title>, where `</` would end the element, so a
    word joiner keeps `</` from forming."""
    return html.escape(text).replace("&lt;/", "&lt;\u2060/")


def language_nav(pages: Iterable[Page], lang: str) -> Nav:
    """The navigation of one language."""
    root: Nav = [{nav_title(word(lang, f"nav.{key}")): in_lang(path, lang)} for path, key in HANDWRITTEN]
    sections: dict[tuple[str, ...], Nav] = {(): root}
    for page in pages:
        for depth in range(1, len(page.nav) + 1):
            key = page.nav[:depth]
            if key not in sections:
                sections[key] = []
                sections[key[:-1]].append({nav_title(key[-1]): sections[key]})
        sections[page.nav].append({nav_title(page.title): in_lang(page.path, lang)})
    return root


def site_nav(pages: Mapping[str, Iterable[Page]]) -> Nav:
    return [{word(lang, "language.name"): language_nav(pages[lang], lang)} for lang in LANGS]
