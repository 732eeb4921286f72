"""`opsbook plan` on a terminal: a view fitted to the screen's width, with priorities and owners
easy to spot; piped, the same command still writes the Markdown plan, byte for byte."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console

import generator.cli.plan
import generator.render.terminal
from generator.plan.playbook import load_playbook
from generator.render.plan_labels import LABELS, PRIORITY_NAMES
from generator.render.terminal import WORDS

ROOT = Path(__file__).parents[2]
COFFEE = ROOT / "examples" / "coffee-chain.yaml"
SAAS = ROOT / "examples" / "saas-idea.yaml"
OPSBOOK = Path(sys.executable).parent / "opsbook"
_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _on_a_terminal(args: list[str], columns: int = 80) -> str:
    """Run `opsbook ARGS` with its standard output on a pseudo-terminal `columns` wide."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: its output is the terminal
        os.chdir(ROOT)
        os.execv(str(OPSBOOK), [str(OPSBOOK), *args])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 1 << 16)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def _plain(text: str) -> list[str]:
    return _ESCAPE.sub("", text).splitlines()


def _plan(lang: str = "zh", path: Path = COFFEE) -> dict:
    result = subprocess.run([str(OPSBOOK), "plan", str(path), "--format", "json", "--lang", lang],
                            capture_output=True, check=True, cwd=ROOT)
    plan: dict = json.loads(result.stdout)
    return plan


def test_an_80_column_terminal_shows_a_view_that_fits() -> None:
    shown = _on_a_terminal(["plan", "examples/coffee-chain.yaml"])
    assert "\x1b[" in shown, "colours and bold on a terminal"
    lines = _plain(shown)
    assert max(cell_len(line) for line in lines) <= 80
    assert not any(line.startswith(("#", "- [ ]")) for line in lines), "not Markdown"
    plan = _plan()
    assert lines[0] == f"{LABELS['zh']['title']}: {plan['client']['name']}"
    text = "\n".join(lines)
    for item in plan["items"]:
        assert item["id"] in text, "every ID whole, on a line of its own, to copy into `opsbook explain`"
    critical = next(i for i in plan["items"] if i["priority"] == "critical")
    line = next(line for line in lines if critical["title"] in line)
    assert line.lstrip().startswith(PRIORITY_NAMES["zh"]["critical"]), "the priority leads the item"
    owner = load_playbook(ROOT / "kb", ROOT / "rules").kb.role_by_id[critical["owner"]].title("zh")
    assert line.rstrip().endswith(owner), "the owner beside the title"


def test_the_terminal_view_marks_priorities_and_owners_in_colour() -> None:
    shown = _on_a_terminal(["plan", "examples/coffee-chain.yaml", "--lang", "en"])
    critical = PRIORITY_NAMES["en"]["critical"]
    assert re.search(r"\x1b\[[0-9;]*41m " + critical + " ", shown), "critical: a red badge"
    assert re.search(r"\x1b\[[0-9;]*36mMarketing lead", shown), "owners in their own colour"


def test_piped_output_is_the_markdown_plan_byte_for_byte(run_cli) -> None:
    piped = subprocess.run([str(OPSBOOK), "plan", str(COFFEE)], capture_output=True, check=True, cwd=ROOT).stdout
    code, out, _ = run_cli("plan", str(COFFEE), "--format", "md")
    assert code == 0
    assert piped == out.encode("utf-8")
    assert piped.startswith(b"# ") and b"\x1b[" not in piped


def test_markdown_on_a_terminal_when_asked_for() -> None:
    shown = _on_a_terminal(["plan", "examples/saas-idea.yaml", "--format", "md"])
    assert shown.startswith("# ") and "\x1b[" not in shown


@pytest.fixture
def terminal_of(monkeypatch: pytest.MonkeyPatch):
    """Make `opsbook plan` in-process believe it writes to a terminal `width` columns wide."""

    def make(width: int) -> None:
        monkeypatch.setattr(generator.cli.plan, "on_terminal", lambda: True)
        monkeypatch.setattr(generator.render.terminal, "console",
                            lambda: Console(width=width, force_terminal=True, color_system="standard"))

    return make


@pytest.mark.parametrize("width", [50, 64, 80, 132])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_view_fits_every_width(run_cli, terminal_of, width: int, lang: str) -> None:
    terminal_of(width)
    code, out, err = run_cli("plan", str(COFFEE), "--lang", lang)
    assert code == 0, err
    lines = _plain(out)
    assert max(cell_len(line) for line in lines) <= min(width, generator.render.terminal.MAX_WIDTH)
    assert WORDS[lang]["hint"].split("：")[0].split(":")[0] in out


def test_layouts_and_windows_apply_to_the_view(run_cli, terminal_of) -> None:
    terminal_of(80)
    code, out, _ = run_cli("plan", str(SAAS), "--lang", "en", "--group-by", "owner", "--window", "30")
    assert code == 0
    text = "\n".join(_plain(out))
    plan = _plan("en", SAAS)
    soon = [i for i in plan["items"] if i["start"] < "2027-02-03"]
    later = [i for i in plan["items"] if i["start"] >= "2027-02-03"]
    assert soon and later
    assert all(i["id"] in text for i in soon)
    assert not any(i["id"] in text for i in later)
    flowing = " ".join(text.split())  # as read, whatever the wrapping
    assert LABELS["en"]["window_more"].format(n=len(later), date="2027-02-03") in flowing
    assert "person-days of plan work per working day" in flowing, "one heading per owner"


def test_other_formats_and_files_are_untouched_by_the_terminal(run_cli, terminal_of, tmp_path: Path) -> None:
    terminal_of(80)
    code, out, _ = run_cli("plan", str(SAAS), "--format", "json")
    assert code == 0 and json.loads(out)["format"] == "opsbook-plan/1"
    assert run_cli("plan", str(SAAS), "-o", str(tmp_path / "plan.md"))[0] == 0
    assert (tmp_path / "plan.md").read_text(encoding="utf-8").startswith("# ")


def test_the_view_shows_data_as_text_never_as_markup(run_cli, terminal_of, tmp_path: Path) -> None:
    facts = tmp_path / "facts.yaml"
    text = SAAS.read_text(encoding="utf-8").replace("name: 账小二 Zhangxiaoer", "name: '[bold red]x[/] **y**'")
    facts.write_text(text, encoding="utf-8")
    terminal_of(80)
    code, out, err = run_cli("plan", str(facts))
    assert code == 0, err
    assert "[bold red]x[/] **y**" in _plain(out)[0]


def test_a_piped_plan_does_not_load_rich(tmp_path: Path) -> None:
    probe = ("import contextlib, io, sys\nfrom generator.cli.main import main\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n    main(['plan', 'examples/saas-idea.yaml'])\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip().splitlines()[-1] == "[]"
