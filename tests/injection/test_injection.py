"""Hostile text in a client's facts or overlay is shown as text in every output format.

A client's name and note (facts), and a client overlay's own checklist items and rule titles,
are text someone else typed. In Markdown it is escaped (it never becomes HTML, a link, bold
text, code, a heading or a table); in JSON it is kept as it is; in CSV and xlsx no cell is a
formula (cells that would start one get a leading `'`); in iCalendar it is escaped as RFC 5545
says and reads back unchanged. File names derived from input are tested in test_filenames.py.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import markdown
import pytest
import yaml

RunCli = Callable[..., tuple[int, str, str]]
TESTS = Path(__file__).parent.parent
ROOT = TESTS.parent
MINI_KB, MINI_RULES = TESTS / "validate" / "minikb", TESTS / "validate" / "minirules"

HOSTILE = {
    "html": "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "markdown": "**x** [a](javascript:alert(1)) ![i](http://x/y.png) <https://evil.example>",
    "backticks": "`rm -rf /` ``code`` ~~gone~~",
    "heading": "# Heading\n## Second",
    "table": "| a | b |\n|---|---|\n| 1 | 2 |",
    "entities": "&lt;script&gt; &amp; &#60;b&#62;",
    "formula": "=cmd|' /C calc'!A0",
    "plus": "+1",
    "minus": "-1",
    "at": "@SUM(1)",
    "tab": "\t=1+1",
    "ics": "a;b,c\\d\r\nEND:VCALENDAR\nBEGIN:VEVENT",
    "backslashes": "C:\\new\\table\\ \\, \\; \\\\",
    "all": "=HYPERLINK(\"http://x\") <b>|</b> # `x` [l](javascript:1) 山隅; a,b\\",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TITLE = {"zh": "运营行动计划", "en": "Operations action plan"}


def commonmark_text(escaped: str) -> str:
    """What a CommonMark reader (GitHub) shows for escaped inline text: backslash escapes of
    ASCII punctuation and HTML entities are resolved, nothing else is markup."""
    return html.unescape(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", escaped))


def one_line(text: str) -> str:
    return re.sub(r"[\r\n]", " ", text)


def neutral(cell: object) -> bool:
    return not (isinstance(cell, str) and cell.startswith(FORMULA_START))


# ------------------------------------------------------------------ client name and note
@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], dict[str, bytes]]:
    """Plans, in every format, for the coffee-chain example renamed to hostile text."""
    from click.testing import CliRunner

    from generator.cli.main import cli

    folder = tmp_path_factory.mktemp("client")
    made: dict[tuple[str, str], dict[str, bytes]] = {}

    def make(key: str, lang: str) -> dict[str, bytes]:
        if (key, lang) not in made:
            facts = yaml.safe_load((ROOT / "examples" / "coffee-chain.yaml").read_text(encoding="utf-8"))
            facts["client"] = {"name": HOSTILE[key], "note": HOSTILE[key]}
            path = folder / f"{key}.yaml"
            path.write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
            out = {}
            for fmt in ("md", "json", "csv", "ics", "xlsx"):
                target = folder / f"{key}-{lang}.{fmt}"
                result = CliRunner().invoke(cli, ["plan", str(path), "--lang", lang, "-o", str(target), "--force"])
                assert result.exit_code == 0, result.output
                out[fmt] = target.read_bytes()
            made[key, lang] = out
        return made[key, lang]

    return make


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("key", sorted(HOSTILE))
def test_markdown_shows_the_client_name_and_note_as_text(plans: Callable[..., dict[str, bytes]],
                                                         key: str, lang: str) -> None:
    text = plans(key, lang)["md"].decode("utf-8")
    lines = text.split("\n")
    head = f"# {TITLE[lang]}: "
    assert lines[0].startswith(head) and lines[1] == ""  # the name did not break the title line
    assert commonmark_text(lines[0][len(head):]) == one_line(HOSTILE[key]).strip()
    note = next(line for line in lines if line.startswith(("备注: ", "Note: ")))
    assert commonmark_text(note.split(": ", 1)[1]) == one_line(HOSTILE[key]).strip()
    assert not re.search(r"(?<!\\)[<>]", lines[0] + note)  # every angle bracket escaped
    page = markdown.markdown(text, extensions=["tables"])
    assert page.count("<h1>") == 1
    assert "<table" not in page.split("<h2")[0]  # neither the name nor the note became a table
    for tag in ("<script", "<img", "<a ", "<strong", "<em>", "<del", "<b>", "<code"):
        assert tag not in page.split("</h1>")[0], tag  # nothing of the name became markup


@pytest.mark.parametrize("key", sorted(HOSTILE))
def test_json_keeps_the_client_name_and_note_as_they_are(plans: Callable[..., dict[str, bytes]], key: str) -> None:
    data = json.loads(plans(key, "en")["json"])
    assert data["client"] == {"name": HOSTILE[key].strip(), "note": HOSTILE[key].strip()}


def _unfolded(ics: bytes) -> list[str]:
    return ics.decode("utf-8").replace("\r\n ", "").split("\r\n")


@pytest.mark.parametrize("key", sorted(HOSTILE))
def test_calendar_escapes_the_client_name_and_reads_it_back(plans: Callable[..., dict[str, bytes]],
                                                            key: str) -> None:
    import icalendar
    from icalendar.parser import unescape_backslash

    data = plans(key, "en")["ics"]
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))  # octets (RFC 5545 3.1)
    names = [line.split(":", 1)[0].split(";")[0] for line in _unfolded(data) if line]
    assert names.count("BEGIN") == names.count("END") and names[-1] == "END"
    assert names.count("END") == 1 + sum(line == "BEGIN:VTODO" for line in _unfolded(data))  # nothing injected
    calendar = icalendar.Calendar.from_ical(data)
    shown = unescape_backslash(calendar.get("X-WR-CALNAME").to_ical().decode("utf-8"))
    expected = HOSTILE[key].strip().replace("\r\n", "\n").replace("\r", "\n")
    assert shown == f"{TITLE['en']}: {expected}"
    assert len(calendar.walk("VTODO")) == len(json.loads(plans(key, "en")["json"])["items"])


# ------------------------------------------------------------------ a client overlay's own texts
@pytest.fixture(scope="module")
def overlay_plans(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], dict[str, bytes]]:
    """Plans of the mini playbook with an overlay whose own item and rule carry hostile text."""
    from click.testing import CliRunner

    from generator.cli.main import cli

    root = tmp_path_factory.mktemp("overlay")
    shutil.copytree(MINI_KB, root / "kb")
    shutil.copytree(MINI_RULES, root / "rules")
    facts = {"client": {"name": HOSTILE["formula"]}, "industry": "retail", "start_date": "2027-01-04"}
    (root / "facts.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True), encoding="utf-8")
    made: dict[str, dict[str, bytes]] = {}

    def make(key: str) -> dict[str, bytes]:
        if key not in made:
            text = {"zh": HOSTILE[key], "en": HOSTILE[key]}
            overlay = root / key
            overlay.mkdir()
            (overlay / "overlay.yaml").write_text("extends: [base]\n", encoding="utf-8")
            own = {"items": [{"id": "execution.complaint-handling.hostile", "step": "execution.complaint-handling",
                              "title": text, "done_when": text, "owner": "cs-lead", "due_days": 7, "effort": 1}],
                   "rules": [{"id": "hostile-rule", "title": text, "when": {"fact": "industry", "eq": "retail"},
                              "then": {"include": ["execution.complaint-handling.hostile"]}}]}
            (overlay / "own.yaml").write_text(yaml.safe_dump(own, allow_unicode=True), encoding="utf-8")
            made[key] = {}
            for fmt in ("md", "json", "csv", "ics", "xlsx"):
                target = root / f"{key}.{fmt}"
                args = ["plan", str(root / "facts.yaml"), "--kb", str(root / "kb"), "--rules", str(root / "rules"),
                        "--overlay", str(overlay), "--lang", "en", "-o", str(target), "--force"]
                result = CliRunner().invoke(cli, args)
                assert result.exit_code == 0, result.output
                made[key][fmt] = target.read_bytes()
        return made[key]

    return make


ITEM = "execution.complaint-handling.hostile"
FORMULAS = ("formula", "plus", "minus", "at", "tab", "all")


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("key", FORMULAS)
def test_csv_cells_never_start_a_formula(overlay_plans: Callable[[str], dict[str, bytes]], key: str) -> None:
    header, *rows = _csv_rows(overlay_plans(key)["csv"])
    assert all(neutral(cell) for row in rows for cell in row)
    row = dict(zip(header, next(r for r in rows if r[0] == ITEM), strict=True))
    text = HOSTILE[key]  # kept as the consultant wrote it
    assert row["Item"] == row["Done when"] == "'" + text  # the client's own texts, neutralised
    assert row["Why"].startswith("'" + text)  # the client's own rule, first in the reason


@pytest.mark.parametrize("key", FORMULAS)
def test_xlsx_cells_are_text_never_formulas(overlay_plans: Callable[[str], dict[str, bytes]], key: str) -> None:
    """In the xlsx a hostile text is a text cell, shown as written (no visible quote) and marked
    "typed with a leading quote", so neither opening nor editing it makes it a formula."""
    from openpyxl import load_workbook

    data = overlay_plans(key)["xlsx"]
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert cells and all(cell.data_type not in ("f", "e") for cell in cells)
    header = [c.value for c in sheet[1]]
    found = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == ITEM)
    row = dict(zip(header, (c.value for c in found), strict=True))
    text = HOSTILE[key]  # kept as the consultant wrote it
    assert row["Item"] == row["Done when"] == text
    assert str(row["Why"]).startswith(text)
    quoted = [c for c in found if isinstance(c.value, str) and c.value.startswith(FORMULA_START)]
    assert quoted and all(c.quotePrefix for c in quoted)


@pytest.mark.parametrize("key", sorted(HOSTILE))
def test_every_format_shows_an_overlays_own_texts_as_text(overlay_plans: Callable[[str], dict[str, bytes]],
                                                          key: str) -> None:
    import icalendar

    text = HOSTILE[key]  # kept as the consultant wrote it
    out = overlay_plans(key)
    item = next(i for i in json.loads(out["json"])["items"] if i["id"] == ITEM)
    assert (item["title"], item["done_when"], item["because"][0]["title"]) == (text, text, text)
    line = next(line for line in out["md"].decode("utf-8").split("\n") if line.endswith(f"`{ITEM}`"))
    assert commonmark_text(line.removeprefix("- [ ] **").removesuffix(f"** `{ITEM}`")) == one_line(text)
    assert not re.search(r"(?<!\\)[<>]", line)
    todo = next(t for t in icalendar.Calendar.from_ical(out["ics"]).walk("VTODO") if str(t.get("UID")).startswith(ITEM))
    assert str(todo.get("SUMMARY")) == text.replace("\r\n", "\n").replace("\r", "\n")
