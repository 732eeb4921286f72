"""What page generators take and give: the site's data and generated pages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from generator.kb.model import KB
from generator.plan.model import Plan
from generator.rules.model import Rule


@dataclass(frozen=True)
class ClientPlan:
    """One client's published plan: its page name (made safe from the facts file's name), the
    facts file as shown to people, and the plan in each language."""

    slug: str
    source: str
    plans: Mapping[str, Plan]  # lang -> plan


@dataclass(frozen=True)
class SiteData:
    """Everything the generated pages are made from: the KB, the rules of the base layer (for
    the rule catalogue; their locations relative to the playbook), and the client plans."""

    kb: KB
    rules: tuple[Rule, ...] = ()
    plans: tuple[ClientPlan, ...] = ()


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
