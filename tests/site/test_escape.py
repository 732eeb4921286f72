"""Data shows as text: whatever Markdown or HTML a KB string holds, the page shows the
string itself, in paragraphs, headings, table cells and link texts, and Mermaid labels
cannot be broken out of."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.site.escape import md, mermaid_label

EXTENSIONS = ["admonition", "attr_list", "tables", "toc", "pymdownx.superfences",
              "pymdownx.tasklist"]
NASTY = [
    "<script>alert(1)</script>", "**bold** and _em_", "[link](http://x.example)", "`code`",
    "# not a heading", "- not a list", "1. not a list", "+ plus", "= not setext", "a | b | c",
    "{: .class #id }", "&amp; &copy; &#60;", "back\\slash\\*", "*[HTML]: abbreviation",
    "![img](x.png)", "<http://auto.link>", "trailing hashes ##", "中文：**粗体**与<b>标签</b>",
    "```\nfence\n```", "    indented code", "> quote", "---", "a  \nb",
]
TEXT = st.text(alphabet=st.sampled_from(list("ab1 .-+=*_`[](){}<>&#|\\!:~^中文\n")), max_size=40)


def _render(source: str) -> str:
    return markdown.markdown(source, extensions=EXTENSIONS)


def _shown(fragment: str) -> str:
    """The text a reader sees in a rendered fragment."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _expected(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("text", NASTY)
def test_a_paragraph_shows_the_text(text: str) -> None:
    out = _render(md(text))
    assert out.startswith("<p>") and out.count("<p>") == 1
    assert _shown(out) == _expected(text)


@given(TEXT)
def test_any_text_survives_a_paragraph_a_heading_and_a_table_cell(text: str) -> None:
    want = _expected(text)
    assert _shown(_render(md(text))) == want
    heading = _render("## " + md(text))
    assert _shown(heading) == want
    cells = re.findall(r"<td>(.*?)</td>", _render(f"| a | b |\n|---|---|\n| {md(text)} | z |"))
    assert [_shown(c) for c in cells] == [want, "z"]


def test_link_text_is_escaped_but_still_a_link() -> None:
    out = _render(f"[{md('[x](evil) <i>')}](target.md)")
    assert out.count("<a ") == 1 and 'href="target.md"' in out
    assert _shown(out) == "[x](evil) <i>"


@pytest.mark.parametrize("text", ['say "hi"', "a#b", "<b>x</b>", "`md`", "a\nb", "x & y"])
def test_mermaid_labels_are_one_quoted_string_of_entity_codes(text: str) -> None:
    label = mermaid_label(text)
    assert label.startswith('"') and label.endswith('"')
    inner = label[1:-1]
    assert not re.search(r'["<>`\n]', inner)
    decoded = re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), inner)
    assert decoded == " ".join(text.split())
