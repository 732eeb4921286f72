"""The safe YAML loader: what it refuses (and where it says the problem is), what it keeps."""

from __future__ import annotations

import itertools
import textwrap
from pathlib import Path

import pytest

from generator.core.errors import OpsbookError
from generator.kb import loader
from generator.kb.loader import MAX_BYTES, MAX_DEPTH, MAX_NODES, load_yaml, parse_yaml


def refusal(text: str) -> str:
    """The one located problem parse_yaml reports for `text`, as printed."""
    with pytest.raises(OpsbookError) as info:
        parse_yaml(textwrap.dedent(text), "f.yaml")
    (problem,) = info.value.problems
    return str(problem)


def lol(levels: int) -> str:
    """A "billion laughs" document: each level lists the previous one ten times."""
    names = "abcdefghijklmnopqrstuvwxyz"[:levels]
    lines = [f"{names[0]}: &{names[0]} [" + ", ".join(["lol"] * 10) + "]"]
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\n"


PLAIN = "only plain YAML values (text, numbers, true/false, lists, mappings)"
DUPLICATE = "duplicate key `{}` (first defined at line {}): remove one of them"


@pytest.mark.parametrize(("text", "expected"), [
    ("a: 1\nb: 2\na: 3\n", "f.yaml:3:1: " + DUPLICATE.format("a", 1)),
    ("x:\n  y: {k: 1, k: 2}\n", "f.yaml:2:13: " + DUPLICATE.format("k", 2)),
    ("a: !!python/object:os.system {}\n",
     f"f.yaml:1:4: tag `!!python/object:os.system` is not allowed: {PLAIN}"),
    ("- !!python/name:os.system x\n",
     f"f.yaml:1:3: tag `!!python/name:os.system` is not allowed: {PLAIN}"),
    ("!!set {a, b}\n", f"f.yaml:1:1: tag `!!set` is not allowed: {PLAIN}"),
    ("a: !custom x\n", f"f.yaml:1:4: tag `!custom` is not allowed: {PLAIN}"),
    ("!!python/name:os.system k: 1\n",
     "f.yaml:1:1: mapping keys must be plain text: remove the tag `!!python/name:os.system`"),
    ("? [a, b]\n: 1\n", "f.yaml:1:3: mapping keys must be plain text, not a list or mapping"),
    ("base: &b {x: 1}\nother:\n  <<: *b\n",
     "f.yaml:3:3: merge keys (<<) are not supported: write the keys out"),
    ("a: &a [x, *a]\n", "f.yaml:1:11: alias `*a` refers to no finished anchor"),
    ("---\na: 1\n---\nb: 2\n",
     "f.yaml:3:1: more than one YAML document in the file: keep one per file"),
    ("a:\n  b: 1\n\tc: 2\n",
     "f.yaml:3:1: YAML syntax error: found a tab character that violates indentation: "
     "indent with spaces, not tabs"),
    ("en: Rate: the share\n",
     "f.yaml:1:9: YAML syntax error: mapping values are not allowed in this context: "
     "a `: ` inside unquoted text reads as a new key: put the text in quotes"),
    ("a: 1\nb: [1, 2\n",
     "f.yaml:3:1: YAML syntax error: did not find expected ',' or ']' "
     "(while parsing a flow sequence that starts at line 2, column 4)"),
    # Columns count characters, not UTF-8 bytes.
    ("a: 中文\x07\n",
     "f.yaml:1:6: control character U+0007 is not allowed in YAML text: remove it"),
    ("a: 中文\nb: 中文中文\x1b\n",
     "f.yaml:2:8: control character U+001B is not allowed in YAML text: remove it"),
])
def test_refusals_are_located(text: str, expected: str) -> None:
    assert refusal(text) == expected


def test_aliases_within_the_budget_load_as_independent_copies() -> None:
    doc = parse_yaml("base: &b {owner: ops, tags: [a]}\none: *b\ntwo: *b\n", "f.yaml")
    assert doc.data["one"] == doc.data["two"] == {"owner": "ops", "tags": ["a"]}
    doc.data["one"]["tags"].append("b")
    assert doc.data["two"]["tags"] == ["a"]
    assert doc.at(("two",)) == (3, 6)


def test_billion_laughs_is_stopped_by_the_node_budget() -> None:
    assert refusal(lol(9)) == (
        f"f.yaml:6:8: the file expands to more than {MAX_NODES:,} values (alias expansion?): "
        "write it out plainly")


def test_the_node_budget_is_what_refuses_alias_expansion(monkeypatch: pytest.MonkeyPatch) -> None:
    small = lol(4)  # about 11,000 values: well within the default budget
    assert len(parse_yaml(small, "f.yaml").data["d"]) == 10
    monkeypatch.setattr(loader, "MAX_NODES", 5_000)
    assert "more than 5,000 values (alias expansion?)" in refusal(small)


@pytest.mark.parametrize(("depth", "refused"), [
    (MAX_DEPTH, False), (MAX_DEPTH + 1, True), (100_000, True)])
def test_nesting_depth_is_bounded(depth: int, refused: bool) -> None:
    text = "[" * depth + "]" * depth
    if refused:
        assert refusal(text) == (
            f"f.yaml:1:{MAX_DEPTH + 1}: nesting deeper than {MAX_DEPTH} levels: "
            "flatten the structure")
    else:
        assert parse_yaml(text, "f.yaml").data is not None


class _NoParser:
    def __init__(self, text: str) -> None:
        raise AssertionError("the parser saw text that our own nesting limit refuses")


@pytest.mark.parametrize(("text", "where"), [
    ("[" * 100_000 + "]" * 100_000, "1:65"),
    ("a: " + "{b: " * 2000 + "1" + "}" * 2000, "1:256"),
    ("- " + "[" * 70 + "]" * 70, "1:66"),
    ('{"items": ' + "[" * 5000 + "]" * 5000 + "}", "1:74"),
])
def test_deep_flow_nesting_is_refused_before_any_parser_sees_it(
        text: str, where: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Our limit decides, whatever the YAML library's own limit or wording (libyaml stops at 1,000)."""
    monkeypatch.setattr(loader, "_Loader", _NoParser)
    assert refusal(text) == f"f.yaml:{where}: nesting deeper than {MAX_DEPTH} levels: flatten the structure"


@pytest.mark.parametrize("text", [
    'a: "' + "[" * 100 + '"\n',            # inside double quotes
    "a: '" + "{" * 100 + "'\n",            # inside single quotes
    "# " + "[" * 100 + "\na: 1\n",        # in a comment
    "a: item [" + "[" * 100 + "\n",         # in block plain text
    "a: ['" + "[" * 100 + "', b]\n",       # quoted inside a flow list
])
def test_brackets_that_nest_nothing_do_not_count(text: str) -> None:
    assert loader.too_deep_flow(text) is None
    assert parse_yaml(text, "f.yaml").data is not None


BINARY = "binary content (NUL byte): expected a UTF-8 YAML text file"
NOT_UTF8 = "not valid UTF-8 text: save the file as UTF-8"


@pytest.mark.parametrize(("content", "expected"), [
    (b"a: 1\nb: x\x00y\n", f"f.yaml:2:5: {BINARY}"),
    ("a: 1\nb: 中文".encode() + b"\x00", f"f.yaml:2:6: {BINARY}"),
    ("a: 1\nb: 中".encode() + "文".encode("gbk") + b"\n", f"f.yaml:2:5: {NOT_UTF8}"),
    (b"a: caf\xe9\n", f"f.yaml:1:7: {NOT_UTF8}"),
])
def test_binary_and_mis_encoded_files_are_refused(
    content: bytes, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(content)
    with pytest.raises(OpsbookError) as info:
        load_yaml(path, "f.yaml")
    assert [str(p) for p in info.value.problems] == [expected]


def test_files_over_one_mib_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("#" * (MAX_BYTES - 1) + "\n")
    assert load_yaml(path, "f.yaml").data is None
    path.write_text("#" * MAX_BYTES + "\n")
    with pytest.raises(OpsbookError) as info:
        load_yaml(path, "f.yaml")
    assert [str(p) for p in info.value.problems] == [
        f"f.yaml:1:1: file is {MAX_BYTES + 1:,} bytes; the limit is {MAX_BYTES:,} (1 MiB): "
        "split it into smaller files"]


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes("\ufeffid: 客户\n".encode())
    doc = load_yaml(path, "f.yaml")
    assert doc.data == {"id": "客户"}
    assert doc.at(("id",), key=True) == (1, 1)


@pytest.mark.parametrize(("text", "value"), [
    ("v: 2026-12-01", "2026-12-01"),
    ("v: 2026-12-01T09:30:00Z", "2026-12-01T09:30:00Z"),
    ("v: !!timestamp 2026-12-01", "2026-12-01"),
    ("v: No", "No"),
    ("v: yes", "yes"),
    ("v: on", "on"),
    ("v: true", True),
    ("v: False", False),
    ("v: '5'", "5"),
    ("v: !!str 5", "5"),
    ("v: 5", 5),
    ("v: 0.05", 0.05),
    ("v: ~", None),
])
def test_plain_values(text: str, value: object) -> None:
    assert parse_yaml(text, "f.yaml").data == {"v": value}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_empty_documents_have_no_data(text: str) -> None:
    assert parse_yaml(text, "f.yaml").data is None


NESTED = """\
steps:
  - id: insight.scan
    raci: {ops-manager: A, cs-lead: R}
    items:
      - id: insight.scan.size
        owner:   cs-lead
"""


@pytest.mark.parametrize(("path", "key", "position"), [
    (("steps",), False, (2, 3)),
    (("steps",), True, (1, 1)),
    (("steps", 0), False, (2, 5)),
    (("steps", 0, "raci", "cs-lead"), False, (3, 37)),
    (("steps", 0, "raci", "cs-lead"), True, (3, 28)),
    (("steps", 0, "items", 0, "owner"), False, (6, 18)),
    (("steps", 0, "items", 0, "owner"), True, (6, 9)),
    (("steps", 0, "items", 0, "no-such-key"), False, (5, 9)),  # nearest parent
    (("steps", 0, "items", 0, "no-such-key"), True, (5, 9)),
])
def test_marks_of_nested_values_and_keys(
    path: tuple[str | int, ...], key: bool, position: tuple[int, int]
) -> None:
    doc = parse_yaml(NESTED, "kb/phases/insight.yaml")
    assert doc.at(path, key=key) == position


def test_problems_carry_the_shown_path_and_severity() -> None:
    doc = parse_yaml(NESTED, "kb/phases/insight.yaml")
    problem = doc.problem(("steps", 0, "items", 0, "owner"), "unknown role", severity="warning")
    assert str(problem) == "kb/phases/insight.yaml:6:18: warning: unknown role"
