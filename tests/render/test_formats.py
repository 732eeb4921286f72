"""What each format promises its reader: parsable, safe, and carrying the plan."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from generator.facts import facts_from_data, load_facts
from generator.kb.schema import load_schema
from generator.plan.model import Plan
from generator.render import RENDERERS

ROOT = Path(__file__).parents[2]
HOSTILE = "=HYPERLINK(\"http://x\")<script>alert(1)</script> **bold** [x](y)"


@pytest.fixture(scope="module")
def plan(playbook) -> Plan:
    return playbook.plan(load_facts(ROOT / "examples" / "coffee-chain.yaml", playbook.kb), "zh")


@pytest.fixture(scope="module")
def hostile(playbook) -> Plan:
    facts = {"client": {"name": HOSTILE, "note": "+cmd|' /C calc'!A0"}, "industry": "retail",
             "business_model": "b2c", "stage": "growth", "offering": "product",
             "start_date": "2027-01-04"}
    return playbook.plan(facts_from_data(facts, playbook.kb), "en")


def test_json_follows_the_shipped_schema(plan: Plan) -> None:
    from jsonschema import Draft202012Validator

    data = json.loads(RENDERERS["json"].render(plan))
    Draft202012Validator(load_schema("plan")).validate(data)
    assert data["format"] == "opsbook-plan/1"
    assert data["items"][0]["because"][0]["rule"]


def test_csv_has_bom_and_one_row_per_item(plan: Plan) -> None:
    data = RENDERERS["csv"].render(plan)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == len(plan.items) + 1
    assert [r[0] for r in rows[1:]] == [i.id for i in plan.items]


def test_csv_and_xlsx_neutralise_formulas(hostile: Plan, tmp_path: Path) -> None:
    import dataclasses

    first = hostile.items[0]
    item = first._replace(info=first.info._replace(title="=SUM(A1:A9)", done_when="@cmd", step_title="-2+3"))
    evil = dataclasses.replace(hostile, items=(item,))
    rows = list(csv.reader(io.StringIO(RENDERERS["csv"].render(evil).decode("utf-8-sig"))))
    assert rows[1][3] == "'=SUM(A1:A9)" and rows[1][10] == "'@cmd" and rows[1][2] == "'-2+3"
    sheet = load_workbook(io.BytesIO(RENDERERS["xlsx"].render(evil))).active
    values = [c.value for c in sheet[2]]
    assert "'=SUM(A1:A9)" in values and all(not str(v).startswith("=") for v in values if v)


def test_ics_parses_with_icalendar(plan: Plan) -> None:
    calendar = Calendar.from_ical(RENDERERS["ics"].render(plan))
    todos = calendar.walk("VTODO")
    assert len(todos) == len(plan.items)
    first = todos[0]
    assert str(first["UID"]) == f"{plan.items[0].id}@opsbook"
    assert first.decoded("DUE") == plan.items[0].due
    recurring = [t for t in todos if "RRULE" in t]
    assert len(recurring) == sum(1 for i in plan.items if i.recurrence)
    assert recurring and {t["RRULE"]["FREQ"][0] for t in recurring} <= {"WEEKLY", "MONTHLY"}


def test_xlsx_sheet_is_ready_to_work_in(plan: Plan) -> None:
    book = load_workbook(io.BytesIO(RENDERERS["xlsx"].render(plan)))
    assert len(book.worksheets) == 1
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.max_row == len(plan.items) + 1
    rule = sheet.data_validations.dataValidation[0]
    assert rule.type == "list" and "已完成" in rule.formula1


def test_markdown_shows_hostile_text_as_text(hostile: Plan) -> None:
    text = RENDERERS["md"].render(hostile).decode()
    assert "<script>" not in text
    assert "\\<script\\>" in text and "\\*\\*bold\\*\\*" in text and "\\[x\\]" in text


def test_ics_escapes_hostile_text(hostile: Plan) -> None:
    calendar = Calendar.from_ical(RENDERERS["ics"].render(hostile))
    assert HOSTILE in str(calendar["X-WR-CALNAME"])


def test_markdown_groups_by_phase_and_step(plan: Plan) -> None:
    text = RENDERERS["md"].render(plan).decode()
    assert text.count("\n## ") >= 5
    assert text.count("- [ ] ") == len(plan.items)
    assert "负责人" in text and "截止" in text and "优先级" in text and "原因" in text
