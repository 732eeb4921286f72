"""The page generators: a small protocol (`page.PageGenerator`) and an explicit registry.

A generator is a pure function `(SiteData, lang) -> pages`. Adding a kind of page means
writing one module and adding one line to `GENERATORS`; the hook and the navigation follow."""

from __future__ import annotations

from generator.site import (
    catalogue,
    glossary,
    kpis,
    loop,
    plans,
    raci,
    roles,
    sources,
    steps,
    templates,
    vocabulary,
)
from generator.site.page import Page, PageGenerator, SiteData

# In navigation order (a section sits where its first page comes).
GENERATORS: dict[str, PageGenerator] = {
    "loop": loop.pages,
    "steps": steps.pages,
    "roles": roles.pages,
    "plans": plans.pages,
    "raci": raci.pages,
    "kpis": kpis.pages,
    "glossary": glossary.pages,
    "templates": templates.pages,
    "facts": vocabulary.pages,
    "rules": catalogue.pages,
    "sources": sources.pages,
}


def generate(data: SiteData, lang: str) -> list[Page]:
    """Every generated page in `lang`, in navigation order."""
    return [page for make in GENERATORS.values() for page in make(data, lang)]
