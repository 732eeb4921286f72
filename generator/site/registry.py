"""The page generators: a small protocol (`page.PageGenerator`) and an explicit registry.

A generator is a pure function `(SiteData, lang) -> pages`. Adding a kind of page (the
rule catalogue once rules exist, client plans once the planner does) means writing one
module and adding one line to `GENERATORS`; the hook and the navigation follow."""

from __future__ import annotations

from generator.site import glossary, kpis, loop, raci, roles, sources, steps, templates, vocabulary
from generator.site.page import Page, PageGenerator, SiteData

# In navigation order. Next: "rules" (the rule catalogue), "plans" (client plans).
GENERATORS: dict[str, PageGenerator] = {
    "loop": loop.pages,
    "steps": steps.pages,
    "roles": roles.pages,
    "raci": raci.pages,
    "kpis": kpis.pages,
    "glossary": glossary.pages,
    "templates": templates.pages,
    "facts": vocabulary.pages,
    "sources": sources.pages,
}


def generate(data: SiteData, lang: str) -> list[Page]:
    """Every generated page in `lang`, in navigation order."""
    return [page for make in GENERATORS.values() for page in make(data, lang)]
