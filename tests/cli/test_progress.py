"""Progress on standard error: a counter on a terminal, nothing when piped, and messages that
arrive meanwhile on lines of their own."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml

import generator.cli.batch
from generator.cli.progress import Counter, counter
from generator.site.build import _Progress

ROOT = Path(__file__).parents[2]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _screen(written: str) -> list[str]:
    """What a terminal shows: each `\\r\\033[K` clears the line it is on."""
    lines = [""]
    for part in written.split("\n"):
        for piece in part.split("\r\033[K"):
            lines[-1] = piece
        lines.append("")
    return [line for line in lines if line]


def test_a_terminal_sees_the_count_and_messages_above_it() -> None:
    stream = Terminal()
    with counter("planning", 3, stream) as shown:
        shown.advance(1)
        shown.write("clients.jsonl:2:1: wrong\n")
        shown.advance(2)
        assert _screen(stream.getvalue()) == ["clients.jsonl:2:1: wrong", "planning 3/3 (100%)"]
    assert _screen(stream.getvalue()) == ["clients.jsonl:2:1: wrong"], "the count goes when the work ends"


def test_nothing_but_the_messages_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with counter("building pages", stream=stream) as shown:
        shown.update(1, 10)
        shown.write("warning: x\n")
        shown.update(10, 10)
    assert stream.getvalue() == "warning: x\n"


def test_redraws_are_few(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = Terminal()
    shown = Counter("planning", stream)
    monkeypatch.setattr("generator.cli.progress.time.monotonic", lambda: 100.0)
    for done in range(1, 1001):
        shown.update(done, 1000)
    assert stream.getvalue().count("planning") == 2, "the first and the last"


def test_batch_counts_its_lines(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = tmp_path / "clients.jsonl"
    facts = json.dumps(yaml.safe_load((ROOT / "examples" / "saas-idea.yaml").read_text(encoding="utf-8")),
                       default=str, ensure_ascii=False)
    lines.write_text(f"{facts}\n{{bad\n{facts}\n", encoding="utf-8")
    seen: list[Terminal] = []

    def on_a_terminal(label: str, total: int = 0, stream: object = None) -> object:
        seen.append(Terminal())
        return counter(label, total, seen[-1])

    monkeypatch.setattr(generator.cli.batch, "counter", on_a_terminal)
    code, out, err = run_cli("batch", str(lines))
    assert code == 1 and len(out.splitlines()) == 3
    assert _screen(seen[0].getvalue()) == [f"{lines}:2:2: JSON syntax error: Expecting property name enclosed in "
                                           "double quotes"]
    assert "planning 3/3 (100%)" in seen[0].getvalue()
    assert "planning" not in err, "run_cli's standard error is no terminal"


def test_the_site_build_reports_each_page() -> None:
    calls: list[tuple[int, int]] = []
    plugin = _Progress(lambda done, total: calls.append((done, total)))

    class Files:
        def documentation_pages(self) -> list[str]:
            return ["index.md", "a.md", "b.md"]

    assert plugin.on_nav("nav", config=None, files=Files()) == "nav"
    for page in ("index", "a", "b"):
        assert plugin.on_post_page(f"<p>{page}</p>", page=page, config=None) == f"<p>{page}</p>"
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
