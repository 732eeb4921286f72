"""What each format promises its reader: parsable, safe, and carrying the plan and its schedule."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from generator.facts.client import facts_from_data, load_facts
from generator.kb.schema import load_schema
from generator.plan.model import Plan
from generator.render import RENDERERS
from generator.render.csvplan import COLUMNS
from generator.render.plan_labels import LABELS

ROOT = Path(__file__).parents[2]
HOSTILE = "=HYPERLINK(\"http://x\")<script>alert(1)</script> **bold** [x](y)"


@pytest.fixture(scope="module")
def plan(playbook) -> Plan:
    return playbook.plan(load_facts(ROOT / "examples" / "coffee-chain.yaml", playbook.kb), "zh")


@pytest.fixture(scope="module")
def small_team(playbook) -> Plan:
    """Four founders: most roles are covered by someone else."""
    return playbook.plan(load_facts(ROOT / "examples" / "education-startup.yaml", playbook.kb), "en")


@pytest.fixture(scope="module")
def hostile(playbook) -> Plan:
    facts = {"client": {"name": HOSTILE, "note": "+cmd|' /C calc'!A0"}, "industry": "retail",
             "business_model": "b2c", "stage": "growth", "offering": "product",
             "start_date": "2027-01-04"}
    return playbook.plan(facts_from_data(facts, playbook.kb), "en")


def _csv_rows(plan: Plan) -> list[dict[str, str]]:
    text = RENDERERS["csv"].render(plan).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


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


def test_csv_carries_start_effort_and_the_role_covered(small_team: Plan) -> None:
    words = LABELS["en"]
    rows = {r[words["id"]]: r for r in _csv_rows(small_team)}
    for item in small_team.items:
        row = rows[item.id]
        assert row[words["starts"]] == item.start.isoformat() and row[words["due"]] == item.due.isoformat()
        assert float(row[words["effort"]]) == item.effort
        covered = item.owner_role_title if item.owner_role != item.owner else ""
        assert row[words["covers"]] == covered
    assert any(r[words["covers"]] for r in rows.values()), "four founders cover for missing roles"


def test_csv_names_the_kpis_an_item_watches_in_the_plans_language(playbook, small_team: Plan) -> None:
    words = LABELS["en"]
    names = {kpi.id: kpi.name("en") for kpi in playbook.kb.kpis}
    rows = {r[words["id"]]: r for r in _csv_rows(small_team)}
    watching = [i for i in small_team.items if i.kpis]
    assert watching
    for item in watching:
        assert rows[item.id][words["kpis"]] == words["name_sep"].join(names[k] for k in item.kpis)


def test_csv_and_xlsx_neutralise_formulas(hostile: Plan) -> None:
    first = hostile.items[0]
    item = first._replace(info=first.info._replace(title="=SUM(A1:A9)", done_when="@cmd", step_title="-2+3"))
    evil = dataclasses.replace(hostile, items=(item,))
    words = LABELS["en"]
    row = _csv_rows(evil)[0]
    assert (row[words["item"]], row[words["done_when"]], row[words["step"]]) == ("'=SUM(A1:A9)", "'@cmd", "'-2+3")
    sheet = load_workbook(io.BytesIO(RENDERERS["xlsx"].render(evil)))["plan"]
    values = [c.value for c in sheet[2]]  # text cells showing the text as written, never formulas
    assert "=SUM(A1:A9)" in values and all(c.data_type not in ("f", "e") for c in sheet[2])


def test_ics_parses_with_icalendar(plan: Plan) -> None:
    calendar = Calendar.from_ical(RENDERERS["ics"].render(plan))
    todos = calendar.walk("VTODO")
    assert len(todos) == len(plan.items)
    first = todos[0]
    assert str(first["UID"]) == f"{plan.items[0].id}@opsbook"
    recurring = [t for t in todos if "RRULE" in t]
    assert len(recurring) == sum(1 for i in plan.items if i.recurrence)
    assert recurring and {t["RRULE"]["FREQ"][0] for t in recurring} <= {"WEEKLY", "MONTHLY"}


def test_ics_todos_run_from_start_to_due_and_end_after_they_begin(plan: Plan) -> None:
    """RFC 5545: DUE later than DTSTART, also for one-day items; apps show the plan's own days."""
    todos = Calendar.from_ical(RENDERERS["ics"].render(plan)).walk("VTODO")
    assert any(i.start == i.due for i in plan.items), "the plan has one-day items to check"
    for todo, item in zip(todos, plan.items, strict=True):
        start, due = todo.decoded("DTSTART"), todo.decoded("DUE")
        assert isinstance(start, dt.datetime) and start.tzinfo is None, "a floating local time"
        assert (start.date(), due.date()) == (item.start, item.due)
        assert due > start, item.id


def test_xlsx_plan_sheet_is_ready_to_work_in(plan: Plan) -> None:
    book = load_workbook(io.BytesIO(RENDERERS["xlsx"].render(plan)))
    sheet = book.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert sheet.max_row == len(plan.items) + 1
    rule = sheet.data_validations.dataValidation[0]
    status_column = chr(ord("A") + COLUMNS.index("status"))
    assert rule.type == "list" and "已完成" in rule.formula1
    assert str(rule.sqref).startswith(f"{status_column}2:")


def test_xlsx_dates_are_date_cells_and_effort_a_number(plan: Plan) -> None:
    sheet = load_workbook(io.BytesIO(RENDERERS["xlsx"].render(plan)))["plan"]
    start, due, effort = (COLUMNS.index(c) for c in ("starts", "due", "effort"))
    for row, item in zip(sheet.iter_rows(min_row=2), plan.items, strict=True):
        assert row[start].is_date and row[start].number_format == "yyyy-mm-dd"
        assert (row[start].value.date(), row[due].value.date()) == (item.start, item.due)
        assert row[effort].data_type == "n" and row[effort].value == item.effort


def _one_item_plan(plan: Plan, start: dt.date, due: dt.date, effort: float) -> Plan:
    first = next(i for i in plan.items if not i.recurrence)
    item = first._replace(start=start, due=due, info=first.info._replace(effort=effort))
    return dataclasses.replace(plan, items=(item,))


def _load_rows(plan: Plan) -> dict[str, list[object]]:
    sheet = load_workbook(io.BytesIO(RENDERERS["xlsx"].render(plan)))["load"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    while any(rows) and all(r[-1] is None for r in rows):  # the merged note row widens the sheet
        rows = [r[:-1] for r in rows]
    return {str(r[0]): r for r in rows if r[0]}


def test_xlsx_load_sheet_spreads_effort_over_the_working_days(small_team: Plan) -> None:
    """Ten person-days from Mon 25 Jan to Fri 5 Feb 2027: five working days in each month."""
    one = _one_item_plan(small_team, dt.date(2027, 1, 25), dt.date(2027, 2, 5), 10.0)
    rows = _load_rows(one)
    header = rows[LABELS["en"]["owner"]]
    owner = rows[one.items[0].owner_title]
    assert header[3:] == ["2027-01", "2027-02"]
    assert owner[3:] == [5.0, 5.0]
    assert rows[LABELS["en"]["working_days"]][3] == 20  # January 2027 from Monday the 4th
    assert LABELS["en"]["load_note"] in rows, "a note says what the figures count"


def test_xlsx_load_sheet_marks_months_over_an_owners_time(small_team: Plan) -> None:
    one = _one_item_plan(small_team, dt.date(2027, 1, 4), dt.date(2027, 1, 8), 30.0)
    sheet = load_workbook(io.BytesIO(RENDERERS["xlsx"].render(one)))["load"]
    owner_row = next(r for r in sheet.iter_rows(min_row=3) if r[0].value == one.items[0].owner_title)
    assert owner_row[3].value == 30.0
    assert owner_row[3].fill.fgColor.rgb.endswith("FFC7CE"), "one person at half time has 10 days in January"


def test_xlsx_load_sheet_counts_recurring_work_after_its_first_due_date(small_team: Plan) -> None:
    weekly = next(i for i in small_team.items if i.recurrence == "FREQ=WEEKLY")
    item = weekly._replace(start=dt.date(2027, 3, 1), due=dt.date(2027, 3, 1), info=weekly.info._replace(effort=1.0))
    rows = _load_rows(dataclasses.replace(small_team, items=(item,)))
    months = rows[LABELS["en"]["owner"]][3:]
    march = rows[item.owner_title][3 + months.index("2027-03")]
    assert months[-1] == "2027-03"
    assert march == pytest.approx(1 + 22 / 5, abs=0.01), "the first occurrence, then a fifth of a day each day"


def test_markdown_shows_hostile_text_as_text(hostile: Plan) -> None:
    text = RENDERERS["md"].render(hostile).decode()
    assert "<script>" not in text
    assert "\\<script\\>" in text and "\\*\\*bold\\*\\*" in text and "\\[x\\]" in text


def test_ics_escapes_hostile_text(hostile: Plan) -> None:
    calendar = Calendar.from_ical(RENDERERS["ics"].render(hostile))
    assert HOSTILE in str(calendar["X-WR-CALNAME"])
