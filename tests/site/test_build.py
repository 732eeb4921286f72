"""`opsbook site build`: the shipped site builds strictly with every page in both languages
and nothing fetched from elsewhere; a broken KB or a misplaced page fails the build with
messages that say where, never a traceback."""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sitetools import ROOT, Built

RunCli = Callable[..., tuple[int, str, str]]
MINI_KB = ROOT / "tests" / "validate" / "minikb"
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
        assert "assets/javascripts/mermaid.min.js" in text


@pytest.fixture
def playbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small playbook (the mini KB, the shipped site sources) that the CLI builds."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "site", tmp_path / "site")
    shutil.copytree(MINI_KB, tmp_path / "kb")
    os.symlink(ROOT / "generator", tmp_path / "generator")  # the hook, as mkdocs.yml names it
    monkeypatch.setenv("OPSBOOK_HOME", str(tmp_path))
    return tmp_path


def test_the_hook_reads_the_kb_next_to_mkdocs_yml(playbook: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli("site", "build", "-d", str(playbook / "out"))
    assert (code, err) == (0, "")
    # 2 hand-written pages, the loop, 6 phases, 6 steps, the roles page, 3 roles, 6 references
    assert f"({2 * 25} pages," in out


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
