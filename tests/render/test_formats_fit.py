"""The formats read back with the tools people open them in: openpyxl (widths, wrapping, print
set-up, text that looks like a formula), icalendar (revision stamps and SEQUENCE across
`--update`), Python-Markdown with GitHub-style bare links (addresses inside text)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import markdown
import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from generator.facts.client import load_facts
from generator.plan.model import Plan, PlanItem
from generator.render import RENDERERS
from generator.render.csvplan import COLUMNS
from generator.render.ics import calendar
from generator.render.plan_labels import LABELS
from generator.render.read_ics import read
from generator.render.text import display_width, md_text
from generator.render.xlsx import CAPS

ROOT = Path(__file__).parents[2]
COFFEE = ROOT / "examples" / "coffee-chain.yaml"


@pytest.fixture(scope="module", params=["zh", "en"])
def plan(playbook, request: pytest.FixtureRequest) -> Plan:
    return playbook.plan(load_facts(COFFEE, playbook.kb), request.param)


def _carrying(plan: Plan, **extra: object) -> Plan:
    """The plan with what `--update` or the planner hand on beside it (kpi_titles, revisions)."""
    copy = dataclasses.replace(plan)
    for name, value in extra.items():
        object.__setattr__(copy, name, value)
    return copy


def _book(plan: Plan) -> dict[str, Worksheet]:
    book = load_workbook(io.BytesIO(RENDERERS["xlsx"].render(plan)))
    return {sheet.title: sheet for sheet in book.worksheets}


def _shown(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


# ---------------------------------------------------------------- xlsx: widths and wrapping
def test_xlsx_columns_fit_their_text_and_longer_text_wraps(plan: Plan) -> None:
    sheet = _book(plan)["plan"]
    for index, name in enumerate(COLUMNS, start=1):
        column = sheet.cell(row=1, column=index).column_letter
        width = sheet.column_dimensions[column].width
        cells = [row[0] for row in sheet.iter_rows(min_row=2, min_col=index, max_col=index)]
        assert width <= CAPS[name] <= 32, name
        assert all(c.alignment.wrap_text for c in cells), f"{name}: text past the column's width wraps"
        if width < CAPS[name]:  # below its cap a column shows every cell on one line
            assert all(display_width(_shown(c.value)) <= width for c in cells), name
    ids = [sheet.cell(row=n, column=1).value for n in range(2, sheet.max_row + 1)]
    assert ids == [i.id for i in plan.items]


def test_xlsx_id_column_no_longer_spills_into_the_next(plan: Plan) -> None:
    """Before: 34 wide, no wrapping; most IDs ran on under the phase column."""
    sheet = _book(plan)["plan"]
    width = sheet.column_dimensions["A"].width
    spilling = [c for (c,) in sheet.iter_rows(min_row=2, max_col=1)
                if display_width(str(c.value)) > width and not c.alignment.wrap_text]
    assert spilling == []


def test_xlsx_prints_landscape_one_page_wide_with_the_header_on_every_page(plan: Plan) -> None:
    for name, titles in (("plan", "$1:$1"), ("load", "$1:$2")):
        sheet = _book(plan)[name]
        setup = sheet.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0), name
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert sheet.print_title_rows == titles, name
        assert int(setup.paperSize) == int(sheet.PAPERSIZE_A4)


def _scale(widths: list[float]) -> float:
    """The print scale that fits columns this wide on landscape A4 between narrow margins (a
    column of width w takes 7w + 5 pixels at 96 to the inch)."""
    return (297 - 2 * 6.35) / (sum(7 * w + 5 for w in widths) / 96 * 25.4)


def test_xlsx_plan_sheet_is_narrow_enough_to_read_on_paper(plan: Plan) -> None:
    sheet = _book(plan)["plan"]
    widths = [sheet.column_dimensions[sheet.cell(row=1, column=n).column_letter].width
              for n in range(1, len(COLUMNS) + 1)]
    assert _scale(widths) >= 0.56
    assert _scale(list(CAPS.values())) >= 0.56, "even with every column at its cap"
    assert sheet.page_margins.left == sheet.page_margins.right == 0.25


# ---------------------------------------------------------------- xlsx: KPI names
def _kpi_titles(playbook, lang: str) -> dict[str, str]:
    return {kpi.id: kpi.name(lang) for kpi in playbook.kb.kpis}


def _kpi_column(plan: Plan) -> list[str]:
    sheet = _book(plan)["plan"]
    column = COLUMNS.index("kpis") + 1
    return [str(c.value or "") for (c,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column)]


def test_xlsx_kpi_column_shows_kpi_names_in_the_plans_language(playbook, plan: Plan) -> None:
    names = _kpi_titles(playbook, plan.lang)
    shown = _kpi_column(_carrying(plan, kpi_titles=names))
    separator = LABELS[plan.lang]["name_sep"]
    assert any(item.kpis for item in plan.items)
    for cell, item in zip(shown, plan.items, strict=True):
        assert cell == separator.join(names[k] for k in item.kpis)
        assert not any(k in cell.split(separator) for k in item.kpis), "no raw KPI IDs"


def test_xlsx_kpi_column_of_a_plan_from_the_planner_shows_names(playbook, plan: Plan) -> None:
    names = _kpi_titles(playbook, plan.lang)
    shown = _kpi_column(plan)
    assert "market_share" not in " ".join(shown) and any(names["market_share"] in c for c in shown)


# ---------------------------------------------------------------- xlsx: text that looks like a formula
def _hostile(plan: Plan) -> Plan:
    first = plan.items[0]
    info = first.info._replace(title="=SUM(A1:A9)", done_when="@cmd", step_title="-2+3")
    return dataclasses.replace(plan, items=(first._replace(owner_title="+1", info=info), *plan.items[1:3]))


def test_xlsx_text_that_looks_like_a_formula_shows_as_written_and_is_never_a_formula(plan: Plan) -> None:
    data = RENDERERS["xlsx"].render(_hostile(plan))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in xml or b"<f " in xml for xml in sheets), "no formula element at all"
    book = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type not in ("f", "e") for cell in cells)
    header = [c.value for c in book["plan"][1]]
    row = dict(zip(header, book["plan"][2], strict=True))
    words = LABELS[plan.lang]
    item, done_when, step = row[words["item"]], row[words["done_when"]], row[words["step"]]
    assert (item.value, done_when.value, step.value) == ("=SUM(A1:A9)", "@cmd", "-2+3"), "no visible quote"
    assert all(c.data_type == "s" and c.quotePrefix for c in (item, done_when, step)), "kept text when edited"
    assert row[words["owner"]].value == "+1"
    assert not row[words["id"]].quotePrefix, "ordinary text is left alone"


def test_xlsx_text_that_reads_as_an_error_value_is_text(plan: Plan) -> None:
    first = plan.items[0]
    one = dataclasses.replace(plan, items=(first._replace(info=first.info._replace(title="#N/A")),))
    sheet = _book(one)["plan"]
    cell = sheet.cell(row=2, column=COLUMNS.index("item") + 1)
    assert (cell.value, cell.data_type) == ("#N/A", "s")


# ---------------------------------------------------------------- xlsx: the load sheet
def test_xlsx_load_sheet_fits_its_columns_and_its_note(plan: Plan) -> None:
    sheet = _book(plan)["load"]
    assert all(c.alignment.wrap_text for c in sheet[1] if c.value), "long headers wrap"
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
    assert widths[0] <= 32 and all(w <= 14 for w in widths[1:])
    owners = [r[0] for r in sheet.iter_rows(min_row=3, max_col=1, values_only=True) if r[0]][:-1]  # not the note
    assert owners and all(display_width(str(o)) <= widths[0] for o in owners), "owner names on one line"
    note = LABELS[plan.lang]["load_note"]
    (merged,) = sheet.merged_cells.ranges
    assert sheet.cell(row=merged.min_row, column=1).value == note
    assert merged.max_col == len(widths), "the note spans the table, no wider"
    lines = -(-display_width(note) // sum(widths))
    assert sheet.row_dimensions[merged.min_row].height >= 15 * lines, "the note's row shows all of it"


# ---------------------------------------------------------------- iCalendar: revisions
def _todos(data: bytes) -> dict[str, Any]:
    return {str(t["UID"]).removesuffix("@opsbook"): t for t in Calendar.from_ical(data).walk("VTODO")}


def _renamed(plan: Plan, item_id: str, title: str) -> Plan:
    def change(item: PlanItem) -> PlanItem:
        return item._replace(info=item.info._replace(title=title)) if item.id == item_id else item

    return dataclasses.replace(plan, items=tuple(change(i) for i in plan.items))


def test_ics_stamps_are_the_same_every_run_and_never_in_the_future(plan: Plan) -> None:
    first, second = RENDERERS["ics"].render(plan), RENDERERS["ics"].render(plan)
    assert first == second
    now = dt.datetime.now(dt.UTC)
    start = dt.datetime.combine(plan.start_date, dt.time(), tzinfo=dt.UTC)
    assert start > now, "the example starts in the future: the old stamp (its start date) was a future time"
    for todo in _todos(first).values():
        stamp = todo.decoded("DTSTAMP")
        assert stamp.tzinfo is not None and stamp <= now
        assert todo.decoded("LAST-MODIFIED") == stamp
        assert todo["SEQUENCE"] == 0


def test_ics_sequence_grows_only_for_the_items_that_changed(plan: Plan) -> None:
    before = RENDERERS["ics"].render(plan)
    changed = plan.items[1].id
    earlier = read(before.decode("utf-8"), "plan.ics")
    after = calendar(_renamed(plan, changed, "A new title"), earlier.revisions)
    old, new = _todos(before), _todos(after)
    for item_id, todo in new.items():
        if item_id == changed:
            assert todo["SEQUENCE"] == 1
            assert todo.decoded("LAST-MODIFIED") > old[item_id].decoded("LAST-MODIFIED")
            assert todo.decoded("DTSTAMP") <= dt.datetime.now(dt.UTC)
        else:
            assert todo["SEQUENCE"] == 0 and todo.to_ical() == old[item_id].to_ical(), item_id
    again = calendar(_renamed(plan, changed, "A new title"), read(after.decode(), "plan.ics").revisions)
    assert again == after, "a second update with nothing new changes nothing"
    third = calendar(_renamed(plan, changed, "Yet another"), read(after.decode(), "plan.ics").revisions)
    assert _todos(third)[changed]["SEQUENCE"] == 2


def test_ics_to_do_a_calendar_app_rewrote_without_the_hash_counts_as_changed(plan: Plan) -> None:
    text = RENDERERS["ics"].render(plan).decode()
    stripped = "\r\n".join(line for line in text.split("\r\n") if not line.startswith("X-OPSBOOK-HASH"))
    stripped = stripped.replace("SEQUENCE:0", "SEQUENCE:4", 1)
    revisions = read(stripped, "plan.ics").revisions
    sequences = [t["SEQUENCE"] for t in _todos(calendar(plan, revisions)).values()]
    assert sequences[0] == 5 and set(sequences[1:]) == {1}


def test_ics_render_counts_on_from_the_revisions_the_plan_carries(plan: Plan) -> None:
    before = RENDERERS["ics"].render(plan)
    revisions = read(before.decode(), "plan.ics").revisions
    changed = plan.items[0].id
    after = RENDERERS["ics"].render(_carrying(_renamed(plan, changed, "Changed"), revisions=revisions))
    assert [t["SEQUENCE"] for t in _todos(after).values()][:2] == [1, 0]


def test_ics_update_through_the_cli_raises_the_sequence_of_changed_items(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.ics"
    assert run_cli("plan", str(COFFEE), "-o", str(target))[0] == 0
    assert run_cli("plan", str(COFFEE), "-o", str(target), "--update", "--start", "2027-02-01")[0] == 0
    moved = _todos(target.read_bytes())
    assert {t["SEQUENCE"] for t in moved.values()} == {1}, "every date moved"
    assert run_cli("plan", str(COFFEE), "-o", str(target), "--update", "--start", "2027-02-01")[0] == 0
    assert {t["SEQUENCE"] for t in _todos(target.read_bytes()).values()} == {1}, "nothing moved this time"


# ---------------------------------------------------------------- Markdown: addresses stay links
URL = "https://example.com/a_b/c_d?x=1&y=2#part"
GFM_LINKS = ["pymdownx.magiclink"]  # links bare addresses as GitHub does


@pytest.mark.parametrize(("text", "written"), [
    (f"see {URL}.", f"see {URL}."),
    (f"见{URL}。", f"见{URL}。"),
    (f"(docs: {URL})", f"(docs: {URL})"),
    ("https://en.wikipedia.org/wiki/Python_(programming_language)",
     "https://en.wikipedia.org/wiki/Python_(programming_language)"),
    ("www.example.org/a_b", "www.example.org/a_b"),
    ("write to a_b@example.com", "write to a_b@example.com"),
    ("http://x.org/_a_/", "http://x.org/\\_a_/"),  # the first could open emphasis where nothing links it
    ("http://x.org/*a*", "http://x.org/\\*a\\*"),
    ("http://x.org/a~b", "http://x.org/a\\~b"),
    ("http://x.org/a__b_", "http://x.org/a__b\\_"),
    ("https://x.org/?q=&lt;b&gt;", "https://x.org/?q=&amp;lt;b&amp;gt;"),
    ("https://x.org/<script>", "https://x.org/\\<script\\>"),
    ("**https://x.org/a_b**", "\\*\\*https://x.org/a_b\\*\\*"),
    ("[a](javascript:alert(1))", "\\[a\\](javascript:alert(1))"),
    ("a_b not_an_address", "a\\_b not\\_an\\_address"),
])
def test_markdown_text_leaves_addresses_as_they_are(text: str, written: str) -> None:
    assert md_text(text) == written


def _with_address(plan: Plan) -> Plan:
    first = plan.items[0]
    info = first.info._replace(title=f"Read {URL}", done_when=f"Notes at {URL}, then www.example.org/a_b")
    return dataclasses.replace(plan, client_note=f"Wiki: {URL}", items=(first._replace(info=info),))


def test_markdown_plan_links_addresses_in_titles_done_when_and_notes(plan: Plan) -> None:
    text = RENDERERS["md"].render(_with_address(plan)).decode()
    assert text.count(URL) == 3, "written as it is, no backslash inside"
    page = markdown.markdown(text, extensions=GFM_LINKS)
    href = URL.replace("&", "&amp;")
    assert page.count(f'href="{href}"') == 3, "title, done-when and note each link the whole address"
    assert 'href="http://www.example.org/a_b"' in page
    assert "%5C" not in page and "\\" not in page
    core = markdown.markdown(text)
    assert "<em>" not in core and URL.replace("&", "&amp;") in core, "without bare links: the address as text"


def test_markdown_hostile_text_around_an_address_stays_text() -> None:
    hostile = "<script>x</script> http://x.org/_a_/*b* **bold** [l](javascript:1) `c`"
    page = markdown.markdown(md_text(hostile), extensions=GFM_LINKS)
    for tag in ("<script", "<em>", "<strong", "<code", 'href="javascript'):
        assert tag not in page, tag
    plain = markdown.markdown(md_text(hostile))
    assert "<a " not in plain and "<em>" not in plain
