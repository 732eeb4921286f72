"""File names made from input (`generator.core.files.safe_filename`) never leave their folder.

No CLI command names an output file after its input yet: `plan -o`, `interview -o` and
`plan --batch -o` write where the user says. The site's client pages will (`site build
--client`, named after the facts file); `safe_filename` is the one function for that.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.files import MAX_NAME, safe_filename

SAFE = re.compile(r"^[\w-]+$")
RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}


def assert_safe(name: str) -> None:
    assert SAFE.match(name), name
    assert name and not name.startswith((".", "-", "_")), name
    assert not set(name) & {"/", "\\", "\0", ":", "."}, name
    assert len(name) <= MAX_NAME and len(name.encode("utf-8")) <= 200, name
    assert name.lower() not in RESERVED, name


@pytest.mark.parametrize(("text", "expected"), [
    ("../../etc/passwd", "etc-passwd"),
    ("/etc/passwd", "etc-passwd"),
    ("..\\..\\Windows\\System32\\cmd.exe", "Windows-System32-cmd-exe"),
    ("C:\\Users\\x", "C-Users-x"),
    ("a\0b", "a-b"),
    ("..", "untitled"),
    (".", "untitled"),
    (".bashrc", "bashrc"),
    ("", "untitled"),
    ("   ", "untitled"),
    ("CON", "CON_"),
    ("nul", "nul_"),
    ("Lpt9", "Lpt9_"),
    ("com¹", "com1_"),
    ("aux.txt", "aux-txt"),
    ("山隅咖啡 Shanyu Coffee", "山隅咖啡-Shanyu-Coffee"),
    ("ＡＢＣ／ｘ", "ABC-x"),  # full-width letters and slash
    ("<script>alert(1)</script>", "script-alert-1-script"),
    ("=cmd|' /C calc'!A0", "cmd-C-calc-A0"),
    ("\u202egnp.exe", "gnp-exe"),  # a right-to-left override cannot disguise the suffix
    ("a" * 300, "a" * MAX_NAME),
])
def test_names_from_hostile_text(text: str, expected: str) -> None:
    assert safe_filename(text) == expected
    assert_safe(safe_filename(text))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_safe_name_that_stays_in_its_folder(text: str) -> None:
    name = safe_filename(text)
    assert_safe(name)
    assert safe_filename(name) == name  # stable: naming a named thing changes nothing
    folder = Path("/srv/site/plans")
    assert (folder / f"{name}.md").resolve().parent == folder


def test_a_name_can_be_written_and_read_on_this_file_system(tmp_path: Path) -> None:
    for text in ("../../x", "𠀀" * 100, "山" * 100, "CON", "a/b\\c:d*e?f\"g<h>i|j"):
        path = tmp_path / f"{safe_filename(text)}.md"
        path.write_text("ok", encoding="utf-8")
        assert path.parent == tmp_path and path.read_text(encoding="utf-8") == "ok"
