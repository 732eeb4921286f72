"""The plan builder without a browser: its page asks the interview's questions with the
interview's words; the Python it runs in the browser (builder_runtime.py), run here by
CPython, gives the CLI's plan and files byte for byte, for the playbook and for an overlay;
its assets come from the npm install and nothing else."""

from __future__ import annotations

import datetime as dt
import html
import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sitetools import ROOT, Built

from generator.cli.main import cli
from generator.core.errors import OpsbookError
from generator.facts import client as facts_module
from generator.facts.interview import WORDS as INTERVIEW
from generator.facts.interview import allowed, options, questions, read_answer
from generator.kb.model import KB
from generator.plan import calendar
from generator.plan.playbook import load_playbook
from generator.site import builder_assets, builder_form
from generator.site.builder import builder_site
from generator.site.builder_runtime import Builder, markdown_html

TODAY = dt.date(2026, 12, 1)
OVERLAY = ROOT / "rules" / "clients" / "shanyu-coffee"
FACTS = {"client": {"name": "Acme <b> & Co"}, "industry": "food_service", "business_model": "b2c",
         "stage": "growth", "offering": "both", "channels": ["offline_store", "social_media"],
         "has_supply_chain": True, "has_production": False, "team_size": 14, "goals": ["improve_retention"],
         "risks": ["public_opinion"], "kpis": {"complaint_rate": 0.06, "nps": 12},
         "start_date": "2026-12-01", "lang": "en"}


@pytest.fixture(autouse=True)
def _calendar_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """The builder answers calendar questions from its bundle; outside it, the library's own
    functions come back after each test."""
    monkeypatch.setattr(calendar, "_working_days", calendar._working_days)
    monkeypatch.setattr(facts_module, "_countries", facts_module._countries)


def _builder(overlays: tuple[Path, ...] = ()) -> Builder:
    playbook = load_playbook(ROOT / "kb", ROOT / "rules", overlays)
    return Builder(builder_assets.bundle(playbook.kb, playbook.ruleset, TODAY))


def _cli(tmp_path: Path, facts: dict[str, object], *args: str) -> bytes:
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts), encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", str(path), *args], prog_name="opsbook")
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.fixture(scope="module")
def pages(shipped_kb: KB) -> dict[str, str]:
    return {lang: builder_form.page(shipped_kb, lang, TODAY, 1) for lang in ("zh", "en")}


def test_words_exist_in_both_languages() -> None:
    assert builder_form.WORDS["zh"].keys() == builder_form.WORDS["en"].keys()
    for key, text in builder_form.WORDS["zh"].items():
        assert re.findall(r"\{\w+\}", text) == re.findall(r"\{\w+\}", builder_form.WORDS["en"][key]), key
    latin = {word for text in builder_form.WORDS["zh"].values()
             for word in re.findall(r"[A-Za-z]+", re.sub(r"\{\w+\}", "", text))}
    assert latin <= {"opsbook", "plan", "YAML", "JSON", "Markdown", "CSV", "ICS"}  # a command and formats


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_form_asks_the_interviews_questions(pages: dict[str, str], shipped_kb: KB, lang: str) -> None:
    page = pages[lang]
    for question in questions(shipped_kb, lang, TODAY):
        if not question.asked:
            assert f'data-fact="{question.id}" data-kind="hidden" value="{lang}"' in page
            continue
        start = page.index(f'data-fact="{html.escape(question.id)}"')
        field = page[start:page.index("</fieldset>" if question.fact.type in ("enum", "bool", "list")
                                      else "</div>", start)]
        assert html.escape(question.fact.label(lang), quote=True) in field
        assert html.escape(question.fact.help(lang), quote=True) in field
        if allowed(question, lang):
            assert html.escape(allowed(question, lang), quote=True) in field
        mark = INTERVIEW[lang]["required" if question.fact.required else "optional"]
        assert html.escape(mark) in field
        for value, label in options(question):
            key = "true" if value is True else "false" if value is False else value
            box = re.search(rf'<input[^>]*value="{key}"[^>]*>', field)
            assert box is not None and html.escape(label(lang), quote=True) in field, (question.id, value)
            default = question.default
            assert ("checked" in box.group(0)) == (value == default), (question.id, value)


def test_the_page_names_every_control(pages: dict[str, str]) -> None:
    page = pages["en"]
    for control in re.finditer(r'<input type="text" id="([^"]+)"', page):
        assert f'<label for="{control.group(1)}"' in page
    boxes = re.findall(r'<label class="opsbook-builder-choice"><input [^>]*> ([^<]+)</label>', page)
    assert boxes and all(name.strip() for name in boxes)
    assert '<script type="module" async src="../assets/javascripts/builder.js"></script>' in page


def test_the_plan_is_the_clis_plan_byte_for_byte(tmp_path: Path) -> None:
    builder = _builder()
    text = builder.plan(json.dumps(FACTS))
    assert text.encode("utf-8") == _cli(tmp_path, FACTS, "--format", "json")
    for fmt in ("md", "csv", "ics"):
        assert builder.download(fmt) == _cli(tmp_path, FACTS, "--format", fmt), fmt


def test_an_overlays_builder_plans_with_its_rules_and_items(tmp_path: Path) -> None:
    builder = _builder((OVERLAY,))
    text = builder.plan(json.dumps(FACTS))
    assert "clients/shanyu-coffee" in json.loads(text)["layers"]
    assert text.encode("utf-8") == _cli(tmp_path, FACTS, "--format", "json", "--overlay", str(OVERLAY))
    assert json.loads(_builder().plan(json.dumps(FACTS)))["layers"] == ["base"]


def test_the_facts_file_plans_the_same(tmp_path: Path) -> None:
    builder = _builder()
    plan = builder.plan(json.dumps({**FACTS, "team": {"ops-manager": 2}}))
    yaml_text = builder.download("yaml").decode("utf-8")
    assert yaml_text.startswith(INTERVIEW["en"]["file_header"])
    assert "team:\n  ops-manager: 2\n" in yaml_text
    path = tmp_path / "facts.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["plan", str(path), "--format", "json"], prog_name="opsbook")
    assert result.exit_code == 0, result.output
    assert result.stdout == plan


def test_refused_facts_give_every_problem_located() -> None:
    answer = json.loads(_builder().plan(json.dumps({**FACTS, "industry": "bakery", "team_size": 0})))
    assert set(answer) == {"error"}
    assert "<builder>:1:1:" in answer["error"] and "industry" in answer["error"] and "team_size" in answer["error"]
    assert "error" in json.loads(_builder().plan("[1, 2]"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_answers_are_checked_with_the_interviews_messages(shipped_kb: KB, lang: str) -> None:
    builder = _builder()
    typed = {"client.name": "", "industry": "retail", "business_model": "b2c", "stage": "growth",
             "offering": "product", "team_size": "abc", "kpis.nps": "300", "kpis.retention_7d": "30%",
             "start_date": "2026-12-01", "lang": lang}
    checked = json.loads(builder.check(json.dumps(typed), lang))
    asked = {q.id: q for q in questions(shipped_kb, lang, TODAY)}
    assert checked == {"problems": {
        "client.name": INTERVIEW[lang]["needed"],
        "team_size": read_answer(asked["team_size"], "abc", lang)[1],
        "kpis.nps": read_answer(asked["kpis.nps"], "300", lang)[1]}}
    typed.update({"client.name": "Acme", "team_size": "12人", "kpis.nps": "30", "channels": ["online_store"]})
    facts = json.loads(builder.check(json.dumps(typed), lang))["facts"]
    assert facts["team_size"] == 12 and facts["kpis"] == {"nps": 30, "retention_7d": 0.3}
    assert facts["channels"] == ["online_store"] and facts["lang"] == lang


def test_shown_markdown_keeps_the_clients_text_as_text() -> None:
    shown = markdown_html("# Plan: Acme \\<script\\> &amp; Co\n\n- [ ] **Do** `a.b`\n  - due 2026-12-01\n")
    assert "<h3>Plan: Acme &lt;script&gt; &amp; Co</h3>" in shown
    assert "<ul>\n<li>due 2026-12-01</li>\n</ul>" in shown  # the CLI's two-space nesting


def test_the_bundles_calendar_is_the_libraries(monkeypatch: pytest.MonkeyPatch) -> None:
    playbook = load_playbook(ROOT / "kb", ROOT / "rules")
    computed = calendar._working_days
    _builder()  # installs the bundle's calendar
    assert calendar._working_days is not computed
    for year in (TODAY.year - 5, TODAY.year, TODAY.year + 24, 2090):  # the last from the library
        assert calendar._working_days("CN", year) == computed("CN", year)
    assert calendar._working_days("DE", 2027) == computed("DE", 2027)
    assert "US" in facts_module._countries() and playbook.kb.facts


def test_assets_come_from_the_npm_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert builder_assets.pyodide_folder(tmp_path) == ROOT / "node_modules" / "pyodide"  # beside the package
    monkeypatch.setattr(builder_assets.generator, "__file__", str(tmp_path / "generator" / "__init__.py"))
    with pytest.raises(OpsbookError, match=r"scripts/setup\.sh"):
        list(builder_assets._pyodide(tmp_path))
    code = dict(_zip_names(builder_assets._zip(("generator", *builder_assets.ALWAYS))))
    assert "generator/site/builder_runtime.py" in code and "yaml/__init__.py" in code
    assert not any("__pycache__" in name or name.endswith(".so") for name in code)
    assert builder_assets._zip(("yaml",)) == builder_assets._zip(("yaml",))  # same bytes every build


def _zip_names(data: bytes) -> Iterator[tuple[str, int]]:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            yield info.filename, info.file_size


def test_the_site_gets_a_builder_page_per_language() -> None:
    made = builder_site(ROOT, (), TODAY)
    assert {page.path for page in made.pages.values()} == {"builder/index.md"} and set(made.pages) == {"zh", "en"}
    assert '../../assets/builder/' in made.pages["en"].content and '"../assets/builder/' in made.pages["zh"].content
    names = {path for path, _ in made.files}
    assert {f"assets/builder/pyodide/{n}" for n in builder_assets.PYODIDE_FILES} <= names
    assert {"assets/builder/opsbook.zip", "assets/builder/calendar.zip", "assets/builder/snapshot.bin.gz"} <= names
    assert "assets/builder/playbook.pickle" not in names  # it is in the snapshot's memory


def test_the_site_ships_python_compiled_for_pyodide(built_site: Built) -> None:
    folder = built_site.site_dir / "assets" / "builder"
    code = dict(_zip_names((folder / "opsbook.zip").read_bytes()))
    stdlib = dict(_zip_names((folder / "pyodide" / "python_stdlib.zip").read_bytes()))
    for names, module in ((code, "generator/site/builder_runtime"), (stdlib, "json/__init__")):
        assert f"{module}.pyc" in names and not any(name.endswith(".py") for name in names)
    assert "generator/schemas/plan.schema.json" in code  # data files as they are
    import zipfile

    with zipfile.ZipFile(folder / "opsbook.zip") as archive:
        header = archive.read("generator/site/builder_runtime.pyc")[:16]
    assert header[4:8] == (1).to_bytes(4, "little")  # hash-based, unchecked: no timestamps, same bytes each build
    assert header[:4] != importlib.util.MAGIC_NUMBER  # Pyodide's Python, not this one's


def test_a_build_without_node_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSBOOK_CACHE", str(tmp_path))  # nothing compiled yet
    monkeypatch.setattr(builder_assets.shutil, "which", lambda name: None)
    with pytest.raises(OpsbookError, match=r"Node\.js"):
        builder_assets.compiled(ROOT, {"calendar.zip": builder_assets._zip(("six",))})
