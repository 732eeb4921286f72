"""The bad-input corpus: every kind of file the CLI reads, broken in every way we could think
of, each refused with a located message (`path:line:col: ...`), exit code 1 or 2, no
traceback, and in bounded time and memory.

`cases.yaml` lists the cases. A case's files live in `cases/<name>/` and are laid over a
fresh workspace: the mini playbook (`kb/`, `rules/`) plus the valid inputs of `base/`
(facts, a rule test file, an overlay, a plan, a batch file). Inputs too big or too odd to
commit (50 MiB files, 100,000 nested brackets, damaged workbooks, a zip bomb, FIFOs and
symbolic links) are written by `generate`. Cases marked `isolate` run in a subprocess under
RLIMIT_AS and a timeout, so a regression fails the test instead of hanging or swapping CI.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

RunCli = Callable[..., tuple[int, str, str]]
HERE = Path(__file__).parent
TESTS = HERE.parent
MINI_KB, MINI_RULES = TESTS / "validate" / "minikb", TESTS / "validate" / "minirules"
MANIFEST: list[dict[str, Any]] = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))["cases"]
LOCATED = re.compile(r"^\S+:\d+:\d+: \S")
KINDS = ("kb", "rules", "overlay", "facts-yaml", "facts-json", "ruletests", "plan-update", "diff", "batch")

MEMORY_LIMIT = 1536 * 1024 * 1024  # RLIMIT_AS of an isolated run: 1.5 GiB
TIME_LIMIT = 30.0  # seconds
MiB = 1024 * 1024
BIG = 50 * MiB
DEEP = 100_000


# ------------------------------------------------------------------ generated inputs
def _repeat(path: Path, head: bytes, unit: bytes, tail: bytes, size: int = BIG) -> None:
    """`head`, then `unit` over and over, then `tail`: about `size` bytes, written in chunks."""
    count = max(1, (size - len(head) - len(tail)) // len(unit))
    chunk = unit * max(1, MiB // len(unit))
    per_chunk = MiB // len(unit) or 1
    with path.open("wb") as handle:
        handle.write(head)
        while count > 0:
            n = min(count, per_chunk)
            handle.write(chunk if n == per_chunk else unit * n)
            count -= n
        handle.write(tail)


def _workbook(header: list[str], rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for n in range(rows):
        sheet.append([f"insight.market-scan.item-{n}", "insight", "done"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _replace_sheet(data: bytes, sheet: Callable[[bytes], bytes | None], bomb: bool = False) -> bytes:
    """The workbook with its first sheet's XML rewritten (None: a zip bomb in its place)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, content)
            elif bomb:
                with dst.open(info.filename, "w", force_zip64=True) as handle:
                    head = content.split(b"<sheetData>")[0] + b"<sheetData>"
                    handle.write(head)
                    row = b'<row><c t="inlineStr"><is><t>insight.market-scan.size</t></is></c></row>' * 1000
                    for _ in range(64 * MiB // len(row)):
                        handle.write(row)
                    handle.write(b"</sheetData></worksheet>")
            else:
                dst.writestr(info.filename, sheet(content) or b"")
    return out.getvalue()


def _plan_book() -> bytes:
    return _workbook(["ID", "phase", "status"], 40)


def _fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def _link(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.unlink(missing_ok=True)
        path.symlink_to(target)

    return make


def _loop(path: Path) -> None:
    _link(path.name + ".loop")(path)
    _link(path.name)(path.with_name(path.name + ".loop"))


GENERATORS: dict[str, Callable[[Path], None]] = {
    "big-yaml": lambda p: _repeat(p, b"# padding\n", b"# " + b"x" * 1021 + b"\n", b"industry: retail\n"),
    "big-json": lambda p: _repeat(p, b'{"client": {"name": "', b"x" * 1024, b'"}, "industry": "retail"}\n'),
    "big-json-array": lambda p: _repeat(p, b'{"format": "opsbook-plan/1", "items": [', b"{},", b"{}]}\n"),
    "big-jsonl": lambda p: _repeat(p, b'{"client": {"name": "', b"x" * 1024, b'"}, "industry": "retail"}\n'),
    "big-markdown": lambda p: _repeat(p, b"# plan\n", b"- [x] **a** `insight.market-scan.size`\n", b""),
    "big-csv": lambda p: _repeat(p, b"ID,phase,status\r\n", b"insight.market-scan.size,insight,done\r\n", b""),
    "deep-brackets": lambda p: p.write_text("[" * DEEP + "]" * DEEP + "\n"),
    "deep-mappings": lambda p: p.write_text("rules: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n"),
    "deep-json": lambda p: p.write_text('{"items": ' + "[" * DEEP + "]" * DEEP + "}\n"),
    "xlsx-truncated": lambda p: p.write_bytes(_plan_book()[:2000]),
    "xlsx-bad-sheet": lambda p: p.write_bytes(_replace_sheet(_plan_book(), lambda xml: xml[: len(xml) // 2])),
    "xlsx-foreign": lambda p: p.write_bytes(_workbook(["Name", "Amount", "Paid"], 3)),
    "xlsx-zip-bomb": lambda p: p.write_bytes(_replace_sheet(_plan_book(), lambda xml: None, bomb=True)),
    "fifo": _fifo,
    "link-dev-zero": _link("/dev/zero"),
    "link-dangling": _link("nowhere.yaml"),
    "link-loop": _loop,
}


# ------------------------------------------------------------------ the workspace and the runs
def workspace(root: Path, case: dict[str, Any]) -> Path:
    """A fresh mini playbook with the valid base inputs, then the case's own files over them."""
    shutil.copytree(MINI_KB, root / "kb")
    shutil.copytree(MINI_RULES, root / "rules")
    shutil.copytree(HERE / "base", root, dirs_exist_ok=True)
    folder = HERE / "cases" / case["name"]
    if folder.is_dir():  # generate-only cases have no folder (git keeps no empty ones)
        shutil.copytree(folder, root, dirs_exist_ok=True)
    if "generate" in case:
        GENERATORS[case["generate"]["content"]](root / case["generate"]["path"])
    return root


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_isolated(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """`python -m generator.cli.main ARGS` in `cwd`, under RLIMIT_AS and a timeout."""
    env = {k: v for k, v in os.environ.items() if k != "OPSBOOK_DEBUG"}
    start = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-m", "generator.cli.main", *args], cwd=cwd, env=env,
                              capture_output=True, timeout=TIME_LIMIT, preexec_fn=_limits, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"opsbook {' '.join(args)} ran longer than {TIME_LIMIT:.0f} s")
    assert time.monotonic() - start < TIME_LIMIT
    return (proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _output_file(args: list[str]) -> str | None:
    return args[args.index("-o") + 1] if "-o" in args else None


def run_case(
    case: dict[str, Any], root: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    """Run the case's command in a workspace made by `workspace(root, case)`."""
    if case.get("isolate"):
        return run_isolated(case["args"], root)
    monkeypatch.chdir(root)
    return run_cli(*case["args"])


# ------------------------------------------------------------------ the tests
def _ids() -> Iterator[Any]:
    for case in MANIFEST:
        yield pytest.param(case, id=case["name"])


@pytest.mark.parametrize("case", list(_ids()))
def test_bad_input_is_refused_with_a_located_message(
    case: dict[str, Any], tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = _output_file(case["args"])
    try:
        workspace(tmp_path, case)
        before = _digest(tmp_path / output) if output else None
        code, out, err = run_case(case, tmp_path, run_cli, monkeypatch)
        if output:  # a refused --update leaves the earlier file as it was
            assert _digest(tmp_path / output) == before
    finally:
        if "generate" in case:
            (tmp_path / case["generate"]["path"]).unlink(missing_ok=True)  # 50 MiB is not kept around

    assert "Traceback" not in out + err
    assert "internal error" not in out + err
    assert code == case["exit"], err
    located = [line for line in err.splitlines() if LOCATED.match(line)]
    assert any(line.startswith(case["expect"]) for line in located), err
    assert not (tmp_path / "pwned.txt").exists()


def test_manifest_is_well_formed() -> None:
    names = [c["name"] for c in MANIFEST]
    assert len(names) == len(set(names))
    for case in MANIFEST:
        assert case["kind"] in KINDS, case["name"]
        assert case["exit"] in (1, 2), case["name"]
        assert LOCATED.match(case["expect"]), case["name"]
        assert (HERE / "cases" / case["name"]).is_dir() or "generate" in case, case["name"]
        assert "generate" not in case or case["generate"]["content"] in GENERATORS, case["name"]
        if re.search(r"50mib|deep|bomb", case["name"]):  # big, deep and bombs run under limits
            assert case.get("isolate") is True, case["name"]
    folders = {p.name for p in (HERE / "cases").iterdir()}
    assert folders <= set(names), f"case folders missing from cases.yaml: {sorted(folders - set(names))}"


def test_corpus_covers_every_file_kind() -> None:
    counts = {kind: sum(c["kind"] == kind for c in MANIFEST) for kind in KINDS}
    assert len(MANIFEST) >= 65
    assert all(n >= 5 for n in counts.values()), counts
    for needle in ("50mib", "deep-nesting", "alias-bomb", "python-tag", "binary", "non-utf8", "empty"):
        assert any(needle in c["name"] for c in MANIFEST), needle


BASE_RUNS = {
    "kb": ["validate", "--kb", "kb", "--rules", "rules"],
    "facts-yaml": ["plan", "facts.yaml", "--kb", "kb", "--rules", "rules", "--format", "json"],
    "facts-json": ["plan", "facts.json", "--kb", "kb", "--rules", "rules", "--format", "json"],
    "overlay": ["plan", "facts.yaml", "--kb", "kb", "--rules", "rules", "--overlay", "ov", "--format", "json"],
    "ruletests": ["rules", "test", "rt.yaml", "--kb", "kb", "--rules", "rules"],
    "diff": ["diff", "good.json", "good.json"],
    "batch": ["plan", "--batch", "clients.jsonl", "--kb", "kb", "--rules", "rules"],
}


@pytest.mark.parametrize("kind", sorted(BASE_RUNS))
def test_the_base_workspace_is_valid(kind: str, tmp_path: Path, run_cli: RunCli,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Each case breaks one thing: without it, every command succeeds on the workspace."""
    workspace(tmp_path, {"name": "-"})
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(*BASE_RUNS[kind])
    assert (code, "Traceback" in err) == (0, False), err


def test_update_reads_back_every_format_it_writes(tmp_path: Path, run_cli: RunCli,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusals above are not over-eager: a plan opsbook wrote is read back in every format."""
    workspace(tmp_path, {"name": "-"})
    monkeypatch.chdir(tmp_path)
    for ext in ("md", "json", "csv", "ics", "xlsx"):
        args = ["plan", "facts.yaml", "--kb", "kb", "--rules", "rules", "-o", f"plan.{ext}"]
        assert run_cli(*args)[0] == 0
        code, _, err = run_cli(*args, "--update")
        assert code == 0 and "kept 0 ticked items" in err, (ext, err)


def test_update_keeps_ticks_of_a_calendar_whose_long_uids_are_folded(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RFC 5545 folds lines over 75 octets: a long item ID puts its UID on two lines."""
    workspace(tmp_path, {"name": "-"})
    long_id = "execution.complaint-handling.corpus-" + "very-long-" * 5 + "hotline"
    items = (tmp_path / "ov" / "items.yaml").read_text(encoding="utf-8")
    (tmp_path / "ov" / "items.yaml").write_text(
        items.replace("execution.complaint-handling.corpus-hotline", long_id), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["plan", "facts.yaml", "--kb", "kb", "--rules", "rules", "--overlay", "ov", "-o", "plan.ics"]
    assert run_cli(*args)[0] == 0
    text = (tmp_path / "plan.ics").read_text(encoding="utf-8")
    assert f"UID:{long_id}@opsbook" not in text  # folded
    start = text.index(f"UID:{long_id[:40]}")
    ticked = text[:start] + text[start:].replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED", 1)
    (tmp_path / "plan.ics").write_text(ticked, encoding="utf-8")
    code, _, err = run_cli(*args, "--update")
    assert code == 0 and "kept 1 ticked item from" in err, err
