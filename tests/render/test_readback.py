"""`plan --update` reads ticks back from files people edited by hand or in their own programs:
the forms each format allows are read, and a tick that cannot be read is named, by its line,
in a warning rather than dropped."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from generator.facts.client import load_facts
from generator.plan.model import Plan
from generator.plan.progress import Progress
from generator.render import RENDERERS
from generator.render.readback import read_progress

ROOT = Path(__file__).parents[2]
A, B, C = "insight.research-design.decision-questions", "insight.research-design.method-matrix", \
    "insight.research-design.sample-plan"


@pytest.fixture(scope="module")
def plan(playbook) -> Plan:
    return playbook.plan(load_facts(ROOT / "examples" / "coffee-chain.yaml", playbook.kb), "en")


def read(tmp_path: Path, fmt: str, content: str | bytes) -> Progress:
    path = tmp_path / f"plan.{fmt}"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return read_progress(path, fmt, path.name)


def warned(progress: Progress) -> list[str]:
    return [str(w) for w in progress.warnings]


# ---------------------------------------------------------------- Markdown
MD_HEAD = "# Operations action plan: X\n\n"


@pytest.mark.parametrize("line", [
    f"* [x] **Title** `{A}`",
    f"+ [x] **Title** `{A}`",
    f"    - [x] **Title** `{A}`",
    f"- [X] **Title** `{A}`",
    f"1. [x] **Title** `{A}`",
    f"- [x] **Title** `{A}` done on Monday, see `notes`",
    f"- [x] **Title** `{A}`\r",
], ids=["star", "plus", "indented", "capital-x", "numbered", "text-after-id", "crlf"])
def test_markdown_ticks_in_every_task_list_form(tmp_path: Path, line: str) -> None:
    progress = read(tmp_path, "md", MD_HEAD + line + "\n" + f"- [ ] **Other** `{B}`\n")
    assert progress.done == {A} and progress.ids == (A, B) and not progress.warnings


def test_markdown_tick_that_cannot_be_read_is_named_by_line(tmp_path: Path) -> None:
    text = MD_HEAD + f"- [ ] **One** `{A}`\n- [x] **Two, its ID deleted**\n- [v] **Three** `{C}`\n"
    progress = read(tmp_path, "md", text)
    assert progress.done == frozenset()
    notes = warned(progress)
    assert notes[0].startswith("plan.md:4:1: warning: a ticked task without an item ID")
    assert notes[1].startswith(f"plan.md:5:1: warning: cannot tell whether `{C}` is done from `[v]`")


def test_markdown_ignores_escaped_titles_code_blocks_and_links(tmp_path: Path) -> None:
    text = MD_HEAD + (f"- [ ] **a \\`{C}\\` b** `{A}`\n"  # a title's backticks are escaped text
                      f"```\n- [x] **Example** `{B}`\n```\n"
                      f"- [x](https://example.com) `{C}`\n")
    progress = read(tmp_path, "md", text)
    assert progress.ids == (A,) and progress.done == frozenset() and not progress.warnings


def test_markdown_plan_with_no_items_is_read_back(tmp_path: Path, plan: Plan) -> None:
    empty = dataclasses.replace(plan, items=())
    for fmt in ("md", "json", "csv", "ics", "xlsx"):
        progress = read(tmp_path, fmt, RENDERERS[fmt].render(empty))
        assert progress.ids == () and progress.done == frozenset(), fmt


# ---------------------------------------------------------------- JSON
@pytest.mark.parametrize("value", [True, "true", 1, "yes", "done", "已完成"])
def test_json_done_as_people_write_it(tmp_path: Path, value: object) -> None:
    data = {"items": [{"id": A, "done": value}, {"id": B, "done": False}, {"id": C}]}
    progress = read(tmp_path, "json", json.dumps(data))
    assert progress.done == {A} and progress.ids == (A, B, C) and not progress.warnings


def test_json_done_that_cannot_be_read_is_named_by_line(tmp_path: Path) -> None:
    text = json.dumps({"items": [{"id": A, "done": False}, {"id": B, "done": "maybe"}]}, indent=2)
    progress = read(tmp_path, "json", text)
    assert progress.done == frozenset()
    line = text.splitlines().index(f'      "id": "{B}",') + 1
    assert warned(progress) == [f'plan.json:{line}:1: warning: `done` of `{B}` is "maybe", not true or false: '
                                "it is kept as not done"]


# ---------------------------------------------------------------- CSV and xlsx
def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def _ticked_csv(plan: Plan, ids: set[str]) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(RENDERERS["csv"].render(plan).decode("utf-8-sig"))))
    status = rows[0].index("Status")
    for row in rows[1:]:
        row[status] = "done" if row[0] in ids else row[status]
    return rows


def test_csv_notes_column_after_status_keeps_ticks(tmp_path: Path, plan: Plan) -> None:
    rows = _ticked_csv(plan, {A, C})
    rows = [[*row, "Notes" if n == 0 else "call Li first"] for n, row in enumerate(rows)]
    progress = read(tmp_path, "csv", _csv(rows))
    assert progress.done == {A, C} and len(progress.ids) == len(plan.items)


def test_csv_note_to_the_right_of_the_table_and_moved_columns_keep_ticks(tmp_path: Path, plan: Plan) -> None:
    rows = [[row[-1], *row[:-1]] for row in _ticked_csv(plan, {B})]  # Status moved to the front
    rows[2] += ["", "", "remember the budget"]
    rows.insert(0, ["Shanyu plan, printed for the Monday meeting"])
    assert read(tmp_path, "csv", _csv(rows)).done == {B}


def test_csv_status_that_cannot_be_read_is_named_by_row(tmp_path: Path) -> None:
    rows = [["ID", "Status"], [A, "done"], [B, "finished?"], ["Total", "x"], ["", ""]]
    progress = read(tmp_path, "csv", _csv(rows))
    assert progress.done == {A} and progress.ids == (A, B)
    assert warned(progress) == [
        f"plan.csv:3:1: warning: status `finished?` of `{B}` is not one of todo, in progress, done, 未开始, 进行中, "
        "已完成: it is kept as not done",
        "plan.csv:4:1: warning: `Total` is not an item ID: its tick is not kept"]


def test_csv_without_a_status_column_warns(tmp_path: Path) -> None:
    progress = read(tmp_path, "csv", _csv([["编号", "事项"], [A, "x"]]))
    assert progress.ids == (A,) and progress.done == frozenset()
    assert warned(progress) == ["plan.csv:1:1: warning: no `Status` or `状态` column: no ticks are read"]


def test_xlsx_notes_column_and_a_note_beside_the_table_keep_ticks(tmp_path: Path, plan: Plan) -> None:
    book = load_workbook(io.BytesIO(RENDERERS["xlsx"].render(plan)))
    sheet = book["plan"]
    status = [c.value for c in sheet[1]].index("Status") + 1
    sheet.cell(row=1, column=status + 1, value="Notes")
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in (A, C):
            row[status - 1].value = "done"
            sheet.cell(row=row[0].row, column=status + 1, value="signed off")
    sheet.cell(row=3, column=status + 5, value="ask finance")
    book.move_sheet("load", offset=-1)  # someone put the load sheet first
    buffer = io.BytesIO()
    book.save(buffer)
    progress = read(tmp_path, "xlsx", buffer.getvalue())
    assert progress.done == {A, C} and len(progress.ids) == len(plan.items) and not progress.warnings


# ---------------------------------------------------------------- iCalendar
def _calendar(*todos: list[str]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0"]
    for todo in todos:
        lines += ["BEGIN:VTODO", *todo, "END:VTODO"]
    return "\r\n".join([*lines, "END:VCALENDAR"]) + "\r\n"


def test_ics_status_before_uid_and_lowercase_names(tmp_path: Path) -> None:
    text = _calendar(["STATUS:COMPLETED", f"UID:{A}@opsbook"],
                     [f"uid:{B}@opsbook", "status:completed"],
                     [f"UID;X-SOURCE=\"a:b\":{C}@opsbook", "STATUS:NEEDS-ACTION"])
    progress = read(tmp_path, "ics", text)
    assert progress.ids == (A, B, C) and progress.done == {A, B} and not progress.warnings


@pytest.mark.parametrize("separator", ["\u2028", "\x85", "\r", "\n"], ids=["U+2028", "NEL", "CR", "LF"])
def test_ics_line_separators_inside_a_value_neither_fake_nor_drop_a_tick(tmp_path: Path, separator: str) -> None:
    text = _calendar([f"UID:{A}@opsbook", f"SUMMARY:Shanyu{separator}STATUS:COMPLETED", "STATUS:NEEDS-ACTION"],
                     [f"UID:{B}@opsbook", f"SUMMARY:Qinghe{separator}END:VTODO", "STATUS:COMPLETED"])
    progress = read(tmp_path, "ics", text)
    assert progress.ids == (A, B) and progress.done == {B}


def test_ics_folded_lines_and_calendar_apps_completion_marks(tmp_path: Path) -> None:
    text = _calendar([f"UID:{A[:20]}", f" {A[20:]}@opsbook", "COMPLETED:20270110T120000Z"],
                     [f"UID:{B}@opsbook", "PERCENT-COMPLETE:100",
                      "BEGIN:VALARM", "ACTION:DISPLAY", "STATUS:COMPLETED", "END:VALARM"],
                     [f"UID:{C}@opsbook", "BEGIN:VALARM", "STATUS:COMPLETED", "END:VALARM"])
    progress = read(tmp_path, "ics", text)
    assert progress.ids == (A, B, C) and progress.done == {A, B}


def test_ics_with_line_ends_turned_into_lf_is_still_read(tmp_path: Path, plan: Plan) -> None:
    text = RENDERERS["ics"].render(plan).decode().replace("\r\n", "\n")
    text = text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED", 1)
    progress = read(tmp_path, "ics", text)
    assert progress.done == {plan.items[0].id} and len(progress.ids) == len(plan.items)


def test_ics_completion_that_cannot_be_kept_is_named_by_line(tmp_path: Path) -> None:
    text = _calendar(["UID:my-own-task", "STATUS:COMPLETED"], [f"UID:{A}@opsbook", "STATUS:DONE"])
    progress = read(tmp_path, "ics", text)
    assert progress.ids == (A,) and progress.done == frozenset()
    assert warned(progress) == [
        "plan.ics:3:1: warning: a completed to-do without an opsbook UID (`item-id@opsbook`): its tick is not kept",
        f"plan.ics:9:1: warning: STATUS `DONE` of `{A}` is not one of CANCELLED, COMPLETED, IN-PROCESS, "
        "NEEDS-ACTION: it is kept as not done"]
