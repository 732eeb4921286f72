"""Fuzzing the CLI with damaged copies of valid inputs.

Each test takes a valid file (a mini-KB file, a rule file, a facts file, a rule test file, an
overlay, a batch file, an earlier plan), damages it with one to four random mutations (byte
flips, deleted or repeated lines, renamed keys, values of another type, truncation, YAML
special characters), runs the command that reads it in-process, and asserts what a user must
always get: exit code 0, 1 or 2, and never a traceback or an "internal error".

About 2,700 examples in all, in about 90 seconds. A crash found here is a bug: fix it in
generator/ and add its input to tests/corpus/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

RunCli = Callable[..., tuple[int, str, str]]
TESTS = Path(__file__).parent.parent
ROOT = TESTS.parent
MINI_KB, MINI_RULES = TESTS / "validate" / "minikb", TESTS / "validate" / "minirules"
BASE = TESTS / "corpus" / "base"
KB_FILES = ("roles.yaml", "kpis.yaml", "glossary.yaml", "templates.yaml", "choices.yaml", "facts.yaml",
            "sections.yaml", "phases/execution.yaml", "phases/insight.yaml")
EXAMPLES = ("coffee-chain.yaml", "saas-startup.yaml", "furniture-maker.yaml", "consulting-firm.yaml")


def fuzz_settings(examples: int) -> settings:
    """`OPSBOOK_FUZZ_SCALE=10` runs ten times the examples (a longer hunt than CI's)."""
    scale = float(os.environ.get("OPSBOOK_FUZZ_SCALE", "1"))
    return settings(max_examples=max(1, int(examples * scale)), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# ------------------------------------------------------------------ mutations
# Text that means something to YAML, JSON, Markdown, CSV or the terminal.
SPECIALS = (":", ": ", "- ", "[", "]", "{", "}", ",", "#", "&a ", "*a", "*nope", "!", "!!str ", "!!binary ",
            "!!python/object/apply:os.system [ls] ", "|", ">", "%YAML 1.1\n", "@", "`", "'", '"', "\t", "\n",
            "\r", "---\n", "...\n", "? ", "<<: *a\n", "\\", "\\u0000", "\x00", "\ufeff", "\u2028", "\x85", "\x1b",
            "\ud83d\ude00", "山", "0x", "1e309", ".nan", "~", "null", "=cmd|' /C calc'!A0", "- [x] ", "`a.b`",
            "BEGIN:VCALENDAR\r\n", "\u202e")
# Values of other types, for `key: value` swaps.
VALUES = ("[]", "{}", "null", "~", "true", "false", "0", "-1", "1.5", "1e309", "-.inf", ".nan", '""', "''",
          '"x"', "[1, [2, [3]]]", "{a: {b: c}}", "2027-13-45", "0x1F", "0o17", "!!float 1", "!!int x",
          "*nope", "&a [*a]", "|\n  text", "[a, b", "{a: 1", "yes", "No", "山隅", "=1+1", "12:30:00",
          '"\\u0000"', '"\\x85"', "!!binary aGVsbG8=", "!!timestamp 2027-01-01", "!!set {a, b}", "!!omap [a: 1]")
NAMES = ("id", "title", "zh", "en", "when", "then", "fact", "all", "any", "not", "eq", "gt", "in", "include",
         "exclude", "priority", "set", "items", "steps", "rules", "cases", "expect", "facts", "kpis", "owner",
         "depends_on", "range", "min", "max", "industry", "client", "name", "<<", "", "x" * 300, "Industry")
_KEY = re.compile(rb'(?m)^(\s*-?\s*)"?([A-Za-z_][\w.]*)"?(\s*:)')
_VALUE = re.compile(rb"(?m)(:\s+)([^\s#{}\[\],][^\n#]*)$")

OPS = ("flip", "delete-line", "duplicate-line", "rename-key", "swap-value", "truncate", "insert")
Mutation = tuple[str, int, int, int]


def _line_span(data: bytes, at: int) -> tuple[int, int]:
    start = data.rfind(b"\n", 0, at) + 1
    end = data.find(b"\n", at)
    return start, (len(data) if end < 0 else end + 1)


def _nth(matches: list[re.Match[bytes]], n: int) -> re.Match[bytes] | None:
    return matches[n % len(matches)] if matches else None


def mutate(data: bytes, mutation: Mutation) -> bytes:
    """One deterministic mutation, its place and content picked by the numbers."""
    op, where, what, choice = mutation
    if not data:
        return SPECIALS[choice % len(SPECIALS)].encode("utf-8", "surrogatepass")
    at = where % len(data)
    if op == "flip":
        return data[:at] + bytes([data[at] ^ (what or 1)]) + data[at + 1:]
    if op in ("delete-line", "duplicate-line"):
        start, end = _line_span(data, at)
        return data[:start] + data[end:] if op == "delete-line" else data[:end] + data[start:end] + data[end:]
    if op == "rename-key":
        found = _nth(list(_KEY.finditer(data)), where)
        if found is None:
            return data
        name = NAMES[choice % len(NAMES)].encode() if what % 2 else found.group(2)[:-1] or b"k"  # another, or a typo
        return data[:found.start(2)] + name + data[found.end(2):]
    if op == "swap-value":
        found = _nth(list(_VALUE.finditer(data)), where)
        if found is None:
            return data
        return data[:found.start(2)] + VALUES[choice % len(VALUES)].encode() + data[found.end(2):]
    if op == "truncate":
        return data[:at]
    text = SPECIALS[choice % len(SPECIALS)].encode("utf-8", "surrogatepass")
    return data[:at] + text + data[at:]


mutations = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 1 << 20), st.integers(0, 255), st.integers(0, 1 << 10)),
    min_size=1, max_size=4,
)


def damaged(original: bytes, steps: list[Mutation]) -> bytes:
    for step in steps:
        original = mutate(original, step)
    return original


# ------------------------------------------------------------------ the workspace
@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini playbook and the valid base inputs of the corpus, shared by the examples:
    each example damages one file and puts it back."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(MINI_KB, root / "kb")
    shutil.copytree(MINI_RULES, root / "rules")
    shutil.copytree(BASE, root, dirs_exist_ok=True)
    return root


class Damaged:
    """`with Damaged(path, data):` the file holds `data`; afterwards, what it held before."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path, self.data = path, data
        self.before = path.read_bytes() if path.exists() else None

    def __enter__(self) -> Path:
        self.path.write_bytes(self.data)
        return self.path

    def __exit__(self, *exc: object) -> None:
        if self.before is None:
            self.path.unlink(missing_ok=True)
        else:
            self.path.write_bytes(self.before)


def check(run_cli: RunCli, *args: str) -> int:
    code, out, err = run_cli(*args)
    assert code in (0, 1, 2), (code, args, err)
    assert "Traceback" not in out + err, err
    assert "internal error" not in out + err, err
    event(f"{args[0]}: exit {code}")  # --hypothesis-show-statistics: how often the damage got past the reader
    return code


def _mini(ws: Path) -> list[str]:
    return ["--kb", str(ws / "kb"), "--rules", str(ws / "rules")]


# ------------------------------------------------------------------ the tests
@fuzz_settings(700)
@given(name=st.sampled_from(KB_FILES), steps=mutations)
def test_damaged_kb_file(ws: Path, run_cli: RunCli, name: str, steps: list[Mutation]) -> None:
    path = ws / "kb" / name
    with Damaged(path, damaged((MINI_KB / name).read_bytes(), steps)):
        check(run_cli, "validate", *_mini(ws))


@fuzz_settings(400)
@given(steps=mutations)
def test_damaged_rule_file(ws: Path, run_cli: RunCli, steps: list[Mutation]) -> None:
    path = ws / "rules" / "base" / "base.yaml"
    with Damaged(path, damaged((MINI_RULES / "base" / "base.yaml").read_bytes(), steps)):
        check(run_cli, "validate", *_mini(ws))
        check(run_cli, "rules", "test", str(ws / "rt.yaml"), *_mini(ws))


@fuzz_settings(500)
@given(name=st.sampled_from(EXAMPLES), steps=mutations, fmt=st.sampled_from(["json", "md"]))
def test_damaged_facts_file(ws: Path, run_cli: RunCli, name: str, steps: list[Mutation], fmt: str) -> None:
    """The shipped examples against the shipped playbook (validated once, then cached)."""
    with Damaged(ws / "example.yaml", damaged((ROOT / "examples" / name).read_bytes(), steps)) as path:
        check(run_cli, "plan", str(path), "--format", fmt)


def _as_json(name: str) -> bytes:
    import yaml

    data = yaml.safe_load((ROOT / "examples" / name).read_text(encoding="utf-8"))
    return json.dumps(data, ensure_ascii=False, indent=1, default=str).encode("utf-8")


@fuzz_settings(250)
@given(name=st.sampled_from(EXAMPLES), steps=mutations)
def test_damaged_json_facts_file(ws: Path, run_cli: RunCli, name: str, steps: list[Mutation]) -> None:
    with Damaged(ws / "example.json", damaged(_as_json(name), steps)) as path:
        check(run_cli, "plan", str(path), "--format", "json")


@fuzz_settings(250)
@given(steps=mutations)
def test_damaged_rule_test_file(ws: Path, run_cli: RunCli, steps: list[Mutation]) -> None:
    with Damaged(ws / "rt.yaml", damaged((BASE / "rt.yaml").read_bytes(), steps)) as path:
        check(run_cli, "rules", "test", str(path), *_mini(ws))


@fuzz_settings(200)
@given(name=st.sampled_from(["overlay.yaml", "items.yaml"]), steps=mutations)
def test_damaged_overlay(ws: Path, run_cli: RunCli, name: str, steps: list[Mutation]) -> None:
    with Damaged(ws / "ov" / name, damaged((BASE / "ov" / name).read_bytes(), steps)):
        check(run_cli, "plan", str(ws / "facts.yaml"), *_mini(ws), "--overlay", str(ws / "ov"), "--format", "json")


@fuzz_settings(150)
@given(steps=mutations)
def test_damaged_batch_file(ws: Path, run_cli: RunCli, steps: list[Mutation]) -> None:
    with Damaged(ws / "clients.jsonl", damaged((BASE / "clients.jsonl").read_bytes(), steps)) as path:
        check(run_cli, "plan", "--batch", str(path), *_mini(ws))


def _plans(ws: Path, run_cli: RunCli) -> Iterator[tuple[str, bytes]]:
    for ext in ("md", "json", "csv", "ics", "xlsx"):
        out = ws / f"valid.{ext}"
        if not out.exists():
            assert run_cli("plan", str(ws / "facts.yaml"), *_mini(ws), "-o", str(out))[0] == 0
        yield ext, out.read_bytes()


@fuzz_settings(250)
@given(pick=st.integers(0, 4), steps=mutations)
def test_damaged_earlier_plan(ws: Path, run_cli: RunCli, pick: int, steps: list[Mutation]) -> None:
    """`plan -o FILE --update` reads the earlier FILE back; `diff` reads two JSON plans."""
    ext, original = list(_plans(ws, run_cli))[pick]
    with Damaged(ws / f"earlier.{ext}", damaged(original, steps)) as path:
        check(run_cli, "plan", str(ws / "facts.yaml"), *_mini(ws), "-o", str(path), "--update")
    if ext == "json":
        with Damaged(ws / "old.json", damaged(original, steps)) as path:
            check(run_cli, "diff", str(path), str(ws / "good.json"))


def test_mutations_damage_the_input() -> None:
    """Each kind of mutation changes the file (a fuzzer that changes nothing tests nothing)."""
    data = (MINI_RULES / "base" / "base.yaml").read_bytes()
    for op in OPS:
        assert mutate(data, (op, 97, 1, 3)) != data, op
