"""Exit codes as DESIGN.md fixes them: 0 success, 1 bad input, 2 usage, 3 a bug, which writes a
crash report (traceback, versions, argv) to a file whose path is printed."""

from __future__ import annotations

import platform
import re
from pathlib import Path

import pytest

import generator.kb.schema
from generator import __version__
from generator.cli.main import main
from generator.rules.meaning.results import RuleError


@pytest.fixture
def crash_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OPSBOOK_CACHE", str(tmp_path))
    monkeypatch.delenv("OPSBOOK_DEBUG", raising=False)
    return tmp_path / "crash"


def _failing(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def load_schema(kind: str) -> dict[str, object]:
        raise error

    monkeypatch.setattr(generator.kb.schema, "load_schema", load_schema)


def _bug() -> Exception:
    try:
        {}["missing"]  # a genuine bug, with its traceback
    except KeyError as exc:
        return exc
    raise AssertionError


def test_a_bug_exits_3_with_a_crash_report(crash_folder: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _failing(monkeypatch, _bug())
    assert main(["schema", "plan"]) == 3
    err = capsys.readouterr().err
    match = re.fullmatch(r"opsbook: internal error \(KeyError: 'missing'\); a report was written to (\S+); "
                         r"please send it to the opsbook maintainers\n", err)
    assert match, err
    report = Path(match[1]).read_text()
    assert Path(match[1]).parent == crash_folder
    assert f"opsbook: {__version__}" in report and f"python: {platform.python_version()}" in report
    assert "'schema', 'plan'" in report and "Traceback (most recent call last)" in report
    assert "KeyError: 'missing'" in report


def test_a_rule_error_that_wraps_a_bug_is_a_bug(crash_folder: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    wrapped = RuleError("durable_rules failed on rules cs-high-complaints: boom")
    wrapped.__cause__ = _bug()
    _failing(monkeypatch, wrapped)
    assert main(["schema", "plan"]) == 3
    assert "a report was written to" in capsys.readouterr().err


def test_a_rule_error_about_the_input_stays_a_user_error(crash_folder: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    _failing(monkeypatch, RuleError("fact team_size: integer 1152921504606846976 is beyond ±2**53"))
    assert main(["schema", "plan"]) == 1
    assert capsys.readouterr().err == "opsbook: fact team_size: integer 1152921504606846976 is beyond ±2**53\n"
    assert not crash_folder.exists()


@pytest.mark.parametrize(("args", "code"), [(["schema", "plan"], 0), (["schema", "nope"], 2), (["nope"], 2),
                                            (["plan", "missing.yaml"], 1)])
def test_exit_codes(crash_folder: Path, args: list[str], code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == code
    assert "internal error" not in capsys.readouterr().err


@pytest.mark.parametrize("value", ["foo", "Durable "])
def test_an_unknown_engine_in_the_environment_is_a_usage_error(value: str, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OPSBOOK_ENGINE", value)
    example = str(Path(__file__).parents[2] / "examples" / "coffee-chain.yaml")
    assert main(["plan", example, "--format", "json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (f"opsbook: OPSBOOK_ENGINE={value.strip()}: unknown rules engine; use durable or python\n")
