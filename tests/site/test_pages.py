"""The generated pages of the shipped KB, rules and example clients: one per element, in both
languages, with the contents each kind of page promises, and every link landing on a page and
an anchor."""

from __future__ import annotations

import posixpath
import re

import pytest
from sitetools import ROOT

from generator.kb.model import KB
from generator.site import downloads, paths
from generator.site.nav import HANDWRITTEN, site_nav
from generator.site.page import Page, SiteData
from generator.site.page_labels import vocab
from generator.site.registry import generate

LINK = re.compile(r"\]\(([^)\s]+)\)")
ANCHOR = re.compile(r"\{ #([^ }]+) \}")
Pages = dict[str, dict[str, Page]]  # lang -> path -> page


@pytest.fixture(scope="module")
def pages(site_data: SiteData) -> Pages:
    return {lang: {p.path: p for p in generate(site_data, lang)} for lang in ("zh", "en")}


def test_both_languages_have_the_same_pages(pages: Pages, site_data: SiteData) -> None:
    assert pages["zh"].keys() == pages["en"].keys()
    kb = site_data.kb
    # the loop, phases, steps, roles, the plans overview and plans, 7 references (with the rules)
    assert len(pages["zh"]) == (1 + len(kb.phases) + len(kb.steps) + 1 + len(kb.roles)
                                + 1 + len(site_data.plans) + 7)
    assert {paths.plan(c.slug) for c in site_data.plans} < pages["zh"].keys()
    assert paths.RULES in pages["zh"] and paths.PLANS in pages["zh"]


def test_generation_is_deterministic(site_data: SiteData, pages: Pages) -> None:
    assert {p.path: p for p in generate(site_data, "zh")} == pages["zh"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_step_page_has_its_checklist_as_unchecked_tasks(
        pages: Pages, shipped_kb: KB, lang: str) -> None:
    for step in shipped_kb.steps:
        text = pages[lang][paths.step(step)].content
        tasks = re.findall(r'^- \[ \] \*\*(.+?)\*\*\{ data-item="([a-z0-9.-]+)" \} *$', text, re.MULTILINE)
        assert [item_id for _, item_id in tasks] == [item.id for item in step.items], step.id
        due = "第 {n} 天（从计划开始日起）" if lang == "zh" else "day {n} (from the plan start)"
        assert all(due.format(n=item.due_days) in text for item in step.items)
        owners = re.findall(r"\]\(\.\./\.\./roles/([a-z0-9-]+)\.md\) · ", text)
        assert owners == [item.owner for item in step.items], step.id


def test_a_step_page_links_its_kpis_sources_and_roles(
        pages: Pages, shipped_kb: KB) -> None:
    step = next(s for s in shipped_kb.steps if s.kpis)
    text = pages["en"][paths.step(step)].content
    for kpi in step.kpis:
        assert f"(../../reference/kpis.md#{paths.anchor('kpi', kpi)})" in text
    for section in step.sources:
        assert f"(../../reference/sources.md#{paths.anchor('src', section)})" in text
    raci_rows = re.findall(r"^\| \[.+\]\(\.\./\.\./roles/([a-z0-9-]+)\.md\) \| \w+ \((\w)\) \|$",
                           text, re.MULTILINE)
    assert sorted(raci_rows) == sorted(step.raci)
    for heading in ("## Purpose", "## Inputs", "## Outputs", "## KPIs", "## Checklist"):
        assert f"\n{heading}\n" in text


def test_a_phase_page_draws_one_edge_per_dependency(
        pages: Pages, shipped_kb: KB) -> None:
    for phase in shipped_kb.phases:
        text = pages["zh"][paths.phase(phase.id)].content
        diagrams = [d.split("```")[0] for d in text.split("```mermaid\n")[1:]]
        assert sum(d.count(" --> ") for d in diagrams) == sum(len(s.depends_on) for s in phase.steps)
        labels = "".join(diagrams).replace("<br>", "")
        assert all(f'["{s.title.zh}"]' in labels for s in phase.steps)
        # a phase of many steps is drawn as sub-flows, each under its own heading
        assert len(diagrams) == (1 if len(phase.steps) <= 8 else text.count("\n### ")), phase.id


def test_the_loop_page_draws_the_phases_in_a_cycle(pages: Pages) -> None:
    diagram = pages["en"][paths.LOOP].content.split("```mermaid\n")[1]
    assert "p1 --> p2" in diagram and "p6 -.-> p1" in diagram


def test_a_role_page_lists_its_steps_and_the_items_it_owns(
        pages: Pages, shipped_kb: KB) -> None:
    for role in shipped_kb.roles:
        text = pages["en"][paths.role(role.id)].content
        mine = [s for s in shipped_kb.steps if role.id in dict(s.raci)]
        rows = re.findall(r"^\| \[.+?\]\(\.\./phases/[a-z-]+/([a-z0-9-]+)\.md\) \|", text,
                          re.MULTILINE)
        assert len(rows) == len(mine), role.id
        owned = [i for i in shipped_kb.items if i.owner == role.id]
        assert text.count("\n- [ ] ") == len(owned), role.id


def test_the_raci_matrix_has_a_row_per_step(pages: Pages, shipped_kb: KB) -> None:
    text = pages["zh"][paths.RACI].content
    rows = [line for line in text.splitlines() if line.startswith("| [")]
    assert len(rows) == len(shipped_kb.steps)
    first = shipped_kb.steps[0]
    letters = [c.strip() for c in rows[0].strip("|").split("|")[1:]]
    assert letters == [dict(first.raci).get(r.id, "") for r in shipped_kb.roles]


@pytest.mark.parametrize(("page", "kind", "elements"), [
    (paths.KPIS, "kpi", "kpis"), (paths.GLOSSARY, "term", "glossary"),
    (paths.TEMPLATES, "template", "templates"), (paths.FACTS, "fact", "facts")])
def test_reference_pages_have_an_entry_per_element(
        pages: Pages, shipped_kb: KB, page: str, kind: str, elements: str) -> None:
    anchors = [a for a in ANCHOR.findall(pages["en"][page].content) if a.startswith(f"{kind}-")]
    want = [paths.anchor(kind, e.id) for e in getattr(shipped_kb, elements)]
    assert sorted(anchors) == sorted(want)


def test_the_fact_vocabulary_lists_allowed_values_with_labels(pages: Pages,
                                                               shipped_kb: KB) -> None:
    text = pages["zh"][paths.FACTS].content
    industry = shipped_kb.fact_by_id["industry"]
    for value in industry.values:
        assert f"| `{value.id}` | {value.label.zh} |" in text
    assert "| `kpis.complaint_rate` |" in text


def test_source_coverage_marks_implied_sections_and_completions(
        pages: Pages, shipped_kb: KB) -> None:
    text = pages["en"][paths.SOURCES].content
    for section in shipped_kb.sections:
        entry = text.split(f"{{ #{paths.anchor('src', section.id)} }}")[1].split("\n### ")[0]
        assert ("Implied section" in entry) == section.implied, section.id
    kinds = ("phases", "steps", "items", "roles", "kpis", "glossary", "templates", "facts")
    citations = [e for kind in kinds for e in getattr(shipped_kb, kind) for _ in e.sources]
    detail = text.split("\n## ", 1)[1]  # below the summary table
    assert detail.count("*(completion)*") == sum(e.completion for e in citations) > 0


def test_every_link_lands_on_a_page_and_an_anchor(pages: Pages, site_data: SiteData) -> None:
    anchors = {path: set(ANCHOR.findall(p.content)) for path, p in pages["en"].items()}
    known = set(pages["en"]) | {path for path, _ in HANDWRITTEN}
    known |= {downloads.file_path(t.id, suffix) for t in site_data.kb.templates for suffix in ("xlsx", "md")}
    for path, page in pages["en"].items():
        for target in LINK.findall(page.content):
            file, _, fragment = target.partition("#")
            here = posixpath.dirname(path)
            resolved = posixpath.normpath(posixpath.join(here, file)) if file else path
            assert resolved in known, f"{path}: {target}"
            if fragment:
                assert fragment in anchors[resolved], f"{path}: {target}"


def test_the_navigation_holds_every_page_once_per_language(pages: Pages) -> None:
    nav = site_nav({lang: list(p.values()) for lang, p in pages.items()})
    assert [next(iter(section)) for section in nav] == ["中文", "English"]

    def leaves(tree: object) -> list[str]:
        if isinstance(tree, str):
            return [tree]
        items = tree.values() if isinstance(tree, dict) else tree
        return [leaf for item in items for leaf in leaves(item)]  # type: ignore[attr-defined]

    zh, en = leaves(nav[0]), leaves(nav[1])
    assert sorted(zh) == sorted([*pages["zh"], *(p for p, _ in HANDWRITTEN)])
    assert sorted(en) == sorted(f"en/{p}" for p in zh)
    for path, _ in HANDWRITTEN:
        assert (ROOT / "site" / path).is_file() and (ROOT / "site/en" / path).is_file()


def test_every_vocabulary_value_the_kb_uses_is_translated(shipped_kb: KB) -> None:
    used = {*(s.domain for s in shipped_kb.steps), *(s.horizon for s in shipped_kb.steps),
            *(i.cadence for i in shipped_kb.items), *(k.direction for k in shipped_kb.kpis),
            *(k.domain for k in shipped_kb.kpis), *(f.type for f in shipped_kb.facts), *"RACI"}
    for value in used:
        assert vocab(value, "zh") != value and vocab(value, "en"), value
