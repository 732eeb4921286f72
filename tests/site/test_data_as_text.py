"""Markdown and HTML inside KB data show as text on the rendered pages, in the navigation
and in the tooltips; nothing from the data becomes markup."""

from __future__ import annotations

import dataclasses
import html

import markdown
import pytest
from markupsafe import Markup

from generator.kb.model import KB, Step, Text
from generator.site import paths, tooltips
from generator.site.nav import nav_title, site_nav
from generator.site.page import SiteData
from generator.site.registry import generate

EXTENSIONS = ["admonition", "attr_list", "tables", "toc", "pymdownx.superfences",
              "pymdownx.tasklist", "generator.site.abbr"]
EVIL = "<img src=x onerror=alert(1)> **loud** [link](http://evil.example) | # {: #id }"


def _with_step(kb: KB, step_id: str, **changes: object) -> KB:
    def fix(steps: tuple[Step, ...]) -> tuple[Step, ...]:
        return tuple(dataclasses.replace(s, **changes) if s.id == step_id else s for s in steps)

    return dataclasses.replace(kb, phases=tuple(dataclasses.replace(p, steps=fix(p.steps))
                                                for p in kb.phases))


@pytest.fixture(scope="module")
def evil_kb(shipped_kb: KB) -> KB:
    step = shipped_kb.steps[0]
    item = dataclasses.replace(step.items[0], title=Text(EVIL, EVIL), done_when=Text(EVIL, EVIL))
    kb = _with_step(shipped_kb, step.id, title=Text(EVIL, EVIL), purpose=Text(EVIL, EVIL),
                    items=(item, *step.items[1:]))
    term = dataclasses.replace(kb.glossary[0], definition=Text(EVIL, '"><script>x</script>'))
    return dataclasses.replace(kb, glossary=(term, *kb.glossary[1:]))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_step_page_shows_the_markup_as_text(evil_kb: KB, lang: str) -> None:
    pages = {p.path: p for p in generate(SiteData(evil_kb), lang)}
    source = pages[paths.step(evil_kb.steps[0])].content
    out = markdown.markdown(source, extensions=EXTENSIONS)
    assert "<img" not in out and "<strong>loud" not in out and "evil.example\"" not in out
    assert out.count(html.escape(EVIL, quote=False)) >= 4  # title, purpose, item, done when
    assert out.count('type="checkbox"') == len(evil_kb.steps[0].items)


def test_pages_linking_to_the_step_show_its_title_as_link_text(evil_kb: KB) -> None:
    pages = {p.path: p for p in generate(SiteData(evil_kb), "en")}
    phase_page = pages[paths.phase(evil_kb.steps[0].phase)]
    out = markdown.markdown(phase_page.content, extensions=EXTENSIONS)
    assert f">{html.escape(EVIL, quote=False)}</a>" in out


def test_navigation_titles_are_html_escaped(evil_kb: KB) -> None:
    pages = {lang: generate(SiteData(evil_kb), lang) for lang in ("zh", "en")}
    nav = repr(site_nav(pages))
    assert "<img" not in nav and html.escape(EVIL) in nav


def test_a_title_cannot_close_the_title_element() -> None:
    # the theme writes `page.title | striptags` (which un-escapes) into <title>
    title = Markup(nav_title("</title><script>x</script>")).striptags()
    assert "</title" not in title and "</script" not in title and "script>x" in title


def test_a_tooltip_cannot_leave_its_attribute(evil_kb: KB) -> None:
    term = evil_kb.glossary[0]
    abbrs = tooltips.abbreviations(evil_kb, "en")
    source = f"{term.term.en} here\n\n{tooltips.definitions(abbrs)}"
    out = markdown.markdown(source, extensions=EXTENSIONS)
    assert "<script>" not in out and "&lt;script&gt;" in out and "<abbr title=" in out
