"""What page generators take and give: the site's data and generated pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from generator.kb.model import KB


@dataclass(frozen=True)
class SiteData:
    """Everything the generated pages are made from. `rules` and `plans` stay empty until
    their models exist; their generators will read them from here."""

    kb: KB
    rules: tuple[object, ...] = ()
    plans: tuple[object, ...] = ()


@dataclass(frozen=True)
class Page:
    """One generated page: a language-neutral path, its title, its Markdown, and where it
    sits in the navigation (the titles of the sections above it)."""

    path: str
    title: str
    content: str
    nav: tuple[str, ...] = ()


class PageGenerator(Protocol):
    def __call__(self, data: SiteData, lang: str) -> Iterable[Page]: ...
