"""The templates as fill-in files to download, in each language: a spreadsheet (one row per
field: what to write, an example, and an empty cell to fill in) and a Markdown form (one
section per field). Made at build time; the templates page links to them."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from generator.kb.model import Template
from generator.site import paths
from generator.site.escape import cjk_text
from generator.site.page import SiteData
from generator.site.page_labels import label

FOLDER = "reference/downloads"
WIDTHS = (24, 48, 40, 48)  # field, what to write, example, your entry (in widths of `0`)
WRAP = Alignment(wrap_text=True, vertical="top")
FILL_IN = PatternFill("solid", fgColor="FFF8E1")  # the cells to fill in, light amber
STAMP = "2026-01-01T00:00:00Z"  # fixed, so a build gives the same bytes every time
_MODIFIED = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def _fixed(data: bytes) -> bytes:
    """The workbook with fixed times (openpyxl stamps it with the clock on save)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + STAMP.encode() + rb"\g<2>", content)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), content,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def file_path(template_id: str, suffix: str) -> str:
    """The language-neutral path of a template's download (`reference/downloads/goal-card.xlsx`)."""
    return f"{FOLDER}/{template_id}.{suffix}"


def _text(text: str) -> str:
    return " ".join(cjk_text(text).split())


def xlsx(template: Template, lang: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "template"
    sheet.append([_text(template.title(lang))])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_text(template.purpose(lang))])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=4)
    sheet["A2"].alignment = WRAP
    sheet.row_dimensions[2].height = 45
    sheet.append([])
    sheet.append([label(k, lang) for k in ("field", "help", "example", "your_entry")])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for field in template.fields:
        example = _text(field.example(lang)) if field.example else ""
        sheet.append([_text(field.label(lang)), _text(field.help(lang)), example, ""])
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = WRAP
        row[3].fill = FILL_IN
    for n, width in enumerate(WIDTHS):
        sheet.column_dimensions["ABCD"[n]].width = width
    sheet.freeze_panes = "A5"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.properties.creator = "opsbook"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed(buffer.getvalue())


def markdown(template: Template, lang: str) -> bytes:
    """A Markdown form: the purpose, then per field what to write, an example, and a place for
    the answer."""
    lines = [f"# {_text(template.title(lang))}", "", _text(template.purpose(lang)), ""]
    for field in template.fields:
        lines += [f"## {_text(field.label(lang))}", "", f"> {_text(field.help(lang))}"]
        if field.example:
            lines.append(f"> {label('example', lang)}{'：' if lang == 'zh' else ': '}{_text(field.example(lang))}")
        lines += ["", label("write_here", lang), ""]
    return "\n".join(lines).encode("utf-8")


def downloads(data: SiteData, lang: str) -> Iterator[tuple[str, bytes]]:
    """(language-neutral path, content) of every template's downloads."""
    for template in data.kb.templates:
        yield file_path(template.id, "xlsx"), xlsx(template, lang)
        yield file_path(template.id, "md"), markdown(template, lang)


def links(from_path: str, template_id: str, lang: str) -> str:
    """The Markdown links to a template's downloads from the page at `from_path`."""
    return label("download", lang).format(
        xlsx=paths.link(from_path, file_path(template_id, "xlsx")),
        md=paths.link(from_path, file_path(template_id, "md")))
