"""The client plan pages and the rule catalogue, as generated Markdown: a hostile client name
shows as text; the checklist has one unchecked task per plan item under its phase and step,
with owner, due date, priority and the rules that put it there; the timeline has one bar per
step; the catalogue has every base rule with its condition in words and its effects; client
page names are safe and unique."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import markdown
import pytest
from sitetools import ROOT

from generator.core.errors import OpsbookError
from generator.kb.model import KB
from generator.rules.layers import load_ruleset
from generator.site import catalogue, paths, plans, timeline
from generator.site.clients import client_plans, facts_files
from generator.site.page import ClientPlan, SiteData
from generator.words import word

EXTENSIONS = ["admonition", "attr_list", "tables", "toc", "meta", "pymdownx.superfences",
              "pymdownx.tasklist", "generator.site.abbr"]
HOSTILE = "<script>alert(1)</script> **x**"


@pytest.fixture(scope="module")
def client(site_data: SiteData) -> ClientPlan:
    return next(c for c in site_data.plans if c.slug == "coffee-chain")


def _render(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_hostile_client_name_shows_as_text(site_data: SiteData, client: ClientPlan, lang: str) -> None:
    evil = {k: dataclasses.replace(p, client_name=HOSTILE, client_note=HOSTILE) for k, p in client.plans.items()}
    data = dataclasses.replace(site_data, plans=(dataclasses.replace(client, plans=evil),))
    page = plans.plan_page(data, data.plans[0], lang)
    assert page.title == HOSTILE  # the navigation escapes titles itself (nav.nav_title)
    out = _render(page.content)
    assert "<script>" not in out and "<strong>x" not in out
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", out)
    assert h1 and html.unescape(h1[1]) == HOSTILE
    assert out.count(html.escape(HOSTILE, quote=False)) == 2  # the heading and the note
    overview = _render(plans.index_page(data, lang).content)
    assert "<script>" not in overview and html.escape(HOSTILE, quote=False) in overview


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_checklist_has_a_task_per_item_by_the_window_it_starts_in(client: ClientPlan, site_data: SiteData,
                                                                      lang: str) -> None:
    plan = client.plans[lang]
    text = plans.plan_page(site_data, client, lang).content
    checklist = text.split(f"\n## {'检查清单' if lang == 'zh' else 'Checklist'}\n")[1].split("\n## ")[0]
    tasks = re.findall(r'^    - \[ \] \*\*.+?\*\*\{ data-item="([a-z0-9.-]+)" \} *$', checklist, re.MULTILINE)
    assert sorted(tasks) == sorted(item.id for item in plan.items)
    windows = re.findall(r'^\?\?\?(\+?) note opsbook-window "(.+) · (\d+) (?:项|items)"$', checklist, re.MULTILINE)
    assert [w[0] for w in windows] == ["+"] + [""] * (len(windows) - 1)  # the first window open
    assert sum(int(w[2]) for w in windows) == len(plan.items) and len(windows) > 1
    starts = [plan.items[[i.id for i in plan.items].index(t)].start for t in tasks]
    assert starts == sorted(starts)  # soonest first
    for item in plan.items:
        assert f"{item.start.isoformat()}" in checklist and item.due.isoformat() in checklist
    assert f'data-client="{client.slug}"' in text and f"`opsbook plan {client.source} -o " in text


def test_each_task_says_why_with_the_rules_and_the_matched_facts(client: ClientPlan, site_data: SiteData) -> None:
    plan = client.plans["en"]
    text = plans.plan_page(site_data, client, "en").content
    item = next(i for i in plan.items if i.because[0].matched)
    task = text.split(f'{{ data-item="{item.id}" }}')[1]
    why = task.split("Why: ", 1)[1].split("\n")[0]
    first = item.because[0]
    assert f"(../reference/rules.md#{paths.anchor('rule', first.rule)})" in why
    assert f"`{first.matched[0].fact} " in why
    assert '<span class="opsbook-why">' in task.split("\n\n")[0]  # left out when printed
    assert "(always applies)" in text  # the baseline rules match nothing


def test_the_fired_rules_add_up_to_the_reasons(client: ClientPlan, site_data: SiteData) -> None:
    plan = client.plans["zh"]
    text = plans.plan_page(site_data, client, "zh").content
    fired = text.split("\n## 触发的规则\n")[1].split("\n## ")[0]
    counts = [int(n) for n in re.findall(r" → (\d+) 项$", fired, re.MULTILINE)]
    assert sum(counts) == sum(len(item.because) for item in plan.items)


def test_plan_pages_are_kept_out_of_the_search_index(client: ClientPlan, site_data: SiteData) -> None:
    text = plans.plan_page(site_data, client, "zh").content
    assert text.startswith("---\nsearch:\n  exclude: true\n---\n")
    assert not plans.index_page(site_data, "zh").content.startswith("---")


def test_the_facts_table_shows_given_and_derived_facts_in_words(client: ClientPlan, site_data: SiteData) -> None:
    plan = client.plans["zh"]
    table = plans.plan_page(site_data, client, "zh").content.split("\n## 业务事实\n")[1].split("\n## ")[0]
    assert "| [所属行业](../reference/facts.md#fact-industry) | 餐饮服务 |" in table
    assert "| [投诉率](../reference/kpis.md#kpi-complaint_rate) | 0\\.035 |" in table
    assert f"| [计划开始日期](../reference/facts.md#fact-start_date) | {plan.start_date} |" in table
    assert plan.derived and all(f"#fact-{fact})" in table for fact in plan.derived)
    assert "*由规则推导*" in table and "client.name" not in table


def test_the_timeline_has_one_bar_per_step_spanning_its_items(client: ClientPlan) -> None:
    plan = client.plans["zh"]
    bars = timeline.step_bars(plan)
    assert [b[1] for b in bars] == list(dict.fromkeys(item.step_title for item in plan.items))
    for phase, title, start, end in bars:
        items = [i for i in plan.items if i.step_title == title]
        assert start == min(i.start for i in items) and end == max(i.due for i in items)
        assert phase == word("zh", f"phase.{items[0].phase}")
    charts = timeline.charts(plan)
    assert [c.phase for c in charts] == list(dict.fromkeys(item.phase for item in plan.items))
    assert sum(c.body.count(" :20") for c in charts) == len(bars)
    for chart in charts:
        assert chart.body.startswith("```mermaid\ngantt\n") and "    todayMarker off\n" in chart.body
        assert "section" not in chart.body  # one chart per phase
    # each bar's label says its dates
    _, title, start, end = bars[0]
    assert f"    {timeline.dated(title, start, end, plan.start_date.year)} :{start}, {end}" in charts[0].body
    assert timeline.dated("x", start, end, start.year) == f"x {start:%m-%d}–{end:%m-%d}"


def test_the_timeline_follows_the_schedule_not_the_plan_start(client: ClientPlan) -> None:
    """Steps that wait for others start later: the chart is not every step from day one."""
    plan = client.plans["en"]
    starts = {start for _, _, start, _ in timeline.step_bars(plan)}
    assert len(starts) > len(timeline.step_bars(plan)) // 2
    assert min(starts) == min(i.start for i in plan.items)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_catalogue_lists_every_base_rule_grouped_by_file(site_data: SiteData, lang: str) -> None:
    (page,) = catalogue.pages(site_data, lang)
    assert page.path == paths.RULES
    anchors = re.findall(r"^### .+ \{ #(rule-[a-z0-9-]+) \}$", page.content, re.MULTILINE)
    assert anchors == [paths.anchor("rule", r.id) for r in site_data.rules]
    files = re.findall(r"^## .+ `([a-z-]+\.yaml)`$", page.content, re.MULTILINE)
    assert files == list(dict.fromkeys(r.location[0].rsplit("/", 1)[1] for r in site_data.rules if r.location))
    assert all(f"`{r.location[0]}:{r.location[1]}`" for r in site_data.rules if r.location)


def test_a_catalogue_entry_has_its_description_condition_and_effects(site_data: SiteData) -> None:
    (page,) = catalogue.pages(site_data, "en")
    rule = next(r for r in site_data.rules if r.id == "cs-high-complaints")
    entry = page.content.split(f"{{ #{paths.anchor('rule', rule.id)} }}")[1].split("\n### ")[0]
    assert rule.description_en and " ".join(rule.description_en.split()) in entry.replace("\\", "")
    assert "- **When it applies**: complaint rate (kpis.complaint\\_rate) is above 0.03" in entry
    assert "- **Adds**: [Complaint handling](../phases/execution/complaint-handling.md) (the whole step)" in entry
    assert "- **Priority**: high" in entry
    assert "- **Sets**: [Service experience at risk](facts.md#fact-service_risk) = yes" in entry
    assert f"`{rule.id}` · Defined in: `rules/base/customer-service.yaml:" in entry


def test_no_rules_no_catalogue_and_no_plans_no_plan_pages(site_data: SiteData) -> None:
    bare = SiteData(kb=site_data.kb)
    assert list(catalogue.pages(bare, "zh")) == [] and list(plans.pages(bare, "zh")) == []


def test_client_page_names_are_safe_and_unique(tmp_path: Path, shipped_kb: KB) -> None:
    facts = (ROOT / "examples" / "saas-startup.yaml").read_text("utf-8")
    names = ["index.yaml", "a/x.yaml", "b/x.yaml", ".hidden.yaml", "<b>&amp;.yaml", "客户 甲.yaml"]
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(facts, "utf-8")
    files = facts_files(tmp_path, names)
    ruleset = load_ruleset(ROOT / "rules", shipped_kb)
    published = client_plans(shipped_kb, ruleset, files, tmp_path)
    assert [c.slug for c in published] == ["index-2", "x", "x-2", "hidden", "b-amp", "客户-甲"]
    assert [c.source for c in published] == names
    assert all(c.plans["zh"].items and c.plans["en"].lang == "en" for c in published)


def test_globs_may_match_nothing_but_a_named_file_must_exist(tmp_path: Path) -> None:
    assert facts_files(tmp_path, ["examples/*.yaml"]) == []
    with pytest.raises(OpsbookError, match="client facts file not found"):
        facts_files(tmp_path, ["missing.yaml"])
