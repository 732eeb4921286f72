"""`opsbook site build`: the shipped site builds strictly with every page in both languages
and nothing fetched from elsewhere; a broken KB or a misplaced page fails the build with
messages that say where, never a traceback."""

from __future__ import annotations

import html
import os
import posixpath
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sitetools import ROOT, Built

from generator.kb.model import KB

RunCli = Callable[..., tuple[int, str, str]]
MINI_KB = ROOT / "tests" / "validate" / "minikb"
MINI_RULES = ROOT / "tests" / "validate" / "minirules"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
HOSTILE = "<script>alert(1)</script> **x**"
EXTERNAL = re.compile(r"(?:src|href)=\"(?:https?:)?//", re.IGNORECASE)
SWITCH = re.compile(r'<a href="([^"]*)" hreflang="(zh|en)"')


def test_the_shipped_site_builds_strictly(built_site: Built) -> None:
    assert (built_site.exit_code, built_site.stderr) == (0, "")
    match = re.fullmatch(r"site built: (.+) \((\d+) pages, [\d.]+ s\)\n", built_site.stdout)
    assert match and Path(match[1]) == built_site.site_dir
    assert int(match[2]) == sum(1 for _ in built_site.site_dir.rglob("index.html")) > 150


def test_nothing_generated_is_written_into_the_sources() -> None:
    assert not (ROOT / "site" / "phases").exists() and not (ROOT / "site" / "reference").exists()


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("index.html"))


def test_every_page_switches_language_to_its_own_counterpart(built_site: Built) -> None:
    site = built_site.site_dir
    for page in _pages(site):
        url = page.relative_to(site).parent.as_posix()  # "." for the home page
        links = {lang: href for href, lang in SWITCH.findall(page.read_text("utf-8"))}
        zh = url.removeprefix("en").lstrip("/") or "."
        want = {"zh": zh, "en": posixpath.normpath(f"en/{zh}")}
        got = {lang: posixpath.normpath(posixpath.join(url, href)) for lang, href in links.items()}
        assert got == want, url
        assert all((site / target / "index.html").is_file() for target in got.values())


def test_no_page_loads_anything_from_another_host(built_site: Built) -> None:
    for page in [*_pages(built_site.site_dir), built_site.site_dir / "404.html"]:
        text = page.read_text("utf-8")
        assert not EXTERNAL.search(text.replace('href="https://squidfunk', "")), page


def test_mermaid_is_loaded_only_by_pages_with_a_diagram(built_site: Built) -> None:
    with_diagrams = 0
    for page in _pages(built_site.site_dir):
        text = page.read_text("utf-8")
        diagram = 'class="opsbook-diagram"' in text
        assert ("assets/javascripts/mermaid.min.js" in text) == diagram, page
        assert 'class="mermaid"' not in text, page  # Material would draw it (too small, from a CDN)
        with_diagrams += diagram
    # the loop, the phases and the client plans, in both languages
    assert with_diagrams == 2 * (1 + 6 + len(EXAMPLES))


def test_each_language_has_its_own_search_index(built_site: Built) -> None:
    import json

    site = built_site.site_dir
    zh = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    en = json.loads((site / "en" / "search" / "search_index.json").read_text("utf-8"))
    assert zh["docs"] and en["docs"]
    assert not any(d["location"].startswith("en/") for d in zh["docs"])
    assert {d["location"].split("#")[0] for d in en["docs"]} >= {"", "phases/", "reference/kpis/"}
    assert en["config"]["lang"] == ["en"] and "stemmer" not in en["config"]["pipeline"]
    # the English pages tell the search worker that en/ is their base (overrides/main.html)
    assert 'config.base.replace(/\\/?$/, "/en/")' in (site / "en" / "index.html").read_text("utf-8")
    assert "config.base.replace" not in (site / "index.html").read_text("utf-8")


def test_the_search_worker_finds_words_that_end_a_chinese_query(built_site: Built) -> None:
    workers = list((built_site.site_dir / "assets/javascripts/workers").glob("search.*.min.js"))
    assert len(workers) == 1
    assert "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e" in workers[0].read_text("utf-8")


def test_templates_download_as_files_to_fill_in(built_site: Built, shipped_kb: KB) -> None:
    from openpyxl import load_workbook

    for lang in ("", "en/"):
        page = (built_site.site_dir / lang / "reference" / "templates" / "index.html").read_text("utf-8")
        for template in shipped_kb.templates:
            for suffix in ("xlsx", "md"):
                assert f'href="../downloads/{template.id}.{suffix}"' in page
            form = (built_site.site_dir / lang / f"reference/downloads/{template.id}.md").read_text("utf-8")
            assert form.startswith(f"# {template.title(lang.rstrip('/') or 'zh')}\n")
            assert form.count("\n## ") == len(template.fields)
            book = load_workbook(built_site.site_dir / lang / f"reference/downloads/{template.id}.xlsx")
            rows = list(book.active.iter_rows(min_row=5, values_only=True))
            assert [r[0] for r in rows] == [f.label(lang.rstrip("/") or "zh") for f in template.fields]


def test_english_pages_have_an_english_site_name(built_site: Built) -> None:
    en = (built_site.site_dir / "en" / "reference" / "kpis" / "index.html").read_text("utf-8")
    zh = (built_site.site_dir / "reference" / "kpis" / "index.html").read_text("utf-8")
    assert "<title>KPI dictionary - Operations playbook · opsbook</title>" in en
    assert 'aria-label="Operations playbook · opsbook"' in en and 'aria-label="运营手册' not in en
    assert "<title>KPI 指标词典 - 运营手册 · opsbook</title>" in zh
    assert 'hreflang="en" lang="en" class="md-select__link" aria-current="true"' in en
    assert 'hreflang="zh" lang="zh" class="md-select__link" aria-current="true"' in zh


def test_pages_of_the_start_here_path_lead_to_the_next(built_site: Built) -> None:
    start = (built_site.site_dir / "en" / "start-here" / "index.html").read_text("utf-8")
    assert re.search(r'href="\.\./"[^>]*md-footer__link--prev', start)
    assert re.search(r'href="\.\./phases/"[^>]*md-footer__link--next', start)
    loop = (built_site.site_dir / "phases" / "index.html").read_text("utf-8")
    assert re.search(r'href="insight/"[^>]*md-footer__link--next', loop)


@pytest.fixture
def playbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small playbook (the mini KB and rules, the shipped site sources; no examples/) that
    the CLI builds."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "site", tmp_path / "site")
    shutil.copytree(MINI_KB, tmp_path / "kb")
    shutil.copytree(MINI_RULES, tmp_path / "rules")
    os.symlink(ROOT / "generator", tmp_path / "generator")  # the hook, as mkdocs.yml names it
    monkeypatch.setenv("OPSBOOK_HOME", str(tmp_path))
    return tmp_path


def test_the_hook_reads_the_kb_next_to_mkdocs_yml(playbook: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli("site", "build", "-d", str(playbook / "out"))
    assert (code, err) == (0, "")
    # 2 hand-written pages, the plan builder, the loop, 6 phases, 6 steps, the roles page, 3 roles, 6 references,
    # the rule catalogue; no client plans (examples/*.yaml finds none)
    assert f"({2 * 27} pages," in out
    assert not (playbook / "out" / "plans").exists()


def test_the_default_build_publishes_every_example_clients_plan(built_site: Built) -> None:
    assert EXAMPLES
    for lang in ("", "en/"):
        overview = (built_site.site_dir / lang / "plans" / "index.html").read_text("utf-8")
        for example in EXAMPLES:
            assert (built_site.site_dir / lang / "plans" / example.stem / "index.html").is_file()
            assert f'href="{example.stem}/"' in overview
    assert (built_site.site_dir / "reference" / "rules" / "index.html").is_file()


@pytest.mark.parametrize("overlay", [False, True])
def test_site_build_client_publishes_that_clients_plan_as_text(
        playbook: Path, run_cli: RunCli, overlay: bool) -> None:
    facts = playbook / "facts" / "我的 客户.v2.yaml"
    facts.parent.mkdir()
    facts.write_text(f"client: {{name: '{HOSTILE}'}}\nindustry: retail\noffering: service\n"
                     "kpis: {complaint_rate: 0.05}\nstart_date: 2027-01-04\n", "utf-8")
    extra = []
    if overlay:  # the overlay turns the complaint rule off: its items leave the plan
        (playbook / "acme").mkdir()
        (playbook / "acme" / "overlay.yaml").write_text("disable: [cs-high-complaints]\n", "utf-8")
        extra = ["--overlay", str(playbook / "acme")]
    code, out, err = run_cli("site", "build", "--client", str(facts), *extra, "-d", str(playbook / "out"))
    assert (code, err) == (0, "")
    assert f"({2 * 29} pages," in out  # the mini site, the plans overview and one plan
    for lang in ("", "en/"):
        page = (playbook / "out" / lang / "plans" / "我的-客户-v2" / "index.html").read_text("utf-8")
        article = page.split("<article", 1)[1].split("</article>", 1)[0]
        assert "<script>alert" not in article and "<strong>x" not in article
        assert html.escape(HOSTILE, quote=False) in article
        assert ("complaint-handling" in article) != overlay
    assert "<script>alert" not in (playbook / "out" / "plans" / "index.html").read_text("utf-8")


def test_a_missing_client_facts_file_fails_the_build(playbook: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli("site", "build", "--client", str(playbook / "nope.yaml"),
                             "-d", str(playbook / "out"))
    assert code == 1 and out == "" and "Traceback" not in err
    assert "nope.yaml:1:1: client facts file not found" in err


def test_an_invalid_kb_fails_the_build_with_located_problems(playbook: Path, run_cli: RunCli) -> None:
    phase = playbook / "kb" / "phases" / "execution.yaml"
    phase.write_text(phase.read_text("utf-8").replace("owner: cs-lead", "owner: cs-leed"), "utf-8")
    code, out, err = run_cli("site", "build", "-d", str(playbook / "out"))
    assert code == 1 and out == "" and "Traceback" not in err
    assert re.search(r"kb/phases/execution\.yaml:25:\d+: unknown role `cs-leed`", err), err
    assert err.rstrip().endswith("site build failed (Aborted with a BuildError!)")


def test_a_page_in_the_place_of_a_generated_one_is_refused(playbook: Path, run_cli: RunCli) -> None:
    (playbook / "site" / "reference").mkdir()
    (playbook / "site" / "reference" / "kpis.md").write_text("# mine\n", "utf-8")
    code, _, err = run_cli("site", "build", "-d", str(playbook / "out"))
    assert code == 1 and "Traceback" not in err
    assert "site/reference/kpis.md: this page is generated from kb/" in err


def test_a_page_without_its_other_language_fails_the_strict_build(
        playbook: Path, run_cli: RunCli) -> None:
    (playbook / "site" / "faq.md").write_text("# 常见问题\n", "utf-8")
    code, _, err = run_cli("site", "build", "-d", str(playbook / "out"))
    assert code == 1 and "Traceback" not in err
    assert re.search(r"warning: .*site/faq\.md has no counterpart .*site/en/faq\.md", err), err


def test_english_pages_are_marked_english(built_site: Built) -> None:
    for page in _pages(built_site.site_dir):
        english = page.relative_to(built_site.site_dir).parts[0] == "en"
        assert f'<html lang="{"en" if english else "zh"}"' in page.read_text("utf-8"), page
