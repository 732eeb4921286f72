"""Where each element's page lives, and links between pages.

Paths are language-neutral (`phases/insight/index.md`): the Chinese page is at that path,
the English one under `en/`. Links are relative between neutral paths, so the same link
works in both languages."""

from __future__ import annotations

import posixpath

from generator.kb.model import Step

LOOP = "phases/index.md"
ROLES = "roles/index.md"
RACI = "reference/raci.md"
KPIS = "reference/kpis.md"
GLOSSARY = "reference/glossary.md"
TEMPLATES = "reference/templates.md"
FACTS = "reference/facts.md"
SOURCES = "reference/sources.md"
RULES = "reference/rules.md"
PLANS = "plans/index.md"


def in_lang(path: str, lang: str) -> str:
    """The file path of the page `path` in `lang` (Chinese is the site root)."""
    return path if lang == "zh" else f"en/{path}"


def phase(phase_id: str) -> str:
    return f"phases/{phase_id}/index.md"


def step(step: Step) -> str:
    # Step IDs start with their phase (`insight.research-design`): drop it in the path.
    name = step.id.removeprefix(f"{step.phase}.")
    return f"phases/{step.phase}/{name}.md"


def role(role_id: str) -> str:
    return f"roles/{role_id}.md"


def plan(slug: str) -> str:
    """A client's plan page; `slug` is already a safe file name (see clients.py)."""
    return f"plans/{slug}.md"


def anchor(kind: str, element_id: str) -> str:
    """The HTML id of an element's entry on a reference page (`kpi-retention_7d`)."""
    return f"{kind}-" + element_id.lower().replace(".", "-")


def link(from_path: str, to_path: str, fragment: str = "") -> str:
    """The relative Markdown link target from page `from_path` to `to_path#fragment`."""
    here = posixpath.dirname(from_path) or "."
    target = "" if to_path == from_path else posixpath.relpath(to_path, here)
    return target + (f"#{fragment}" if fragment else "")

