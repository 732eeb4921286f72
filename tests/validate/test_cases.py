"""`opsbook validate` on the mini playbook, and on every negative case in cases/.

A case folder holds only the files it adds to or replaces in the mini playbook
(`kb/...`, `rules/...`), the problem lines it expects (`expected.txt`, paths as seen from
the playbook folder), and optionally extra CLI arguments (`args.txt`) and `case.yaml`
(`big: PATH` writes a file just over the size limit there, rather than committing one).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator.kb.loader import MAX_BYTES

RunCli = Callable[..., tuple[int, str, str]]
HERE = Path(__file__).parent
MINI_KB, MINI_RULES, CASES = HERE / "minikb", HERE / "minirules", HERE / "cases"
PROBLEM = re.compile(r"^\S+:\d+:\d+: ")
WARNING = re.compile(r"^\S+:\d+:\d+: warning: ")
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
JSON = ("validate", "--kb", "kb", "--rules", "rules", "--format", "json")


def assemble(case: Path, root: Path) -> list[str]:
    """Lay the case's files over the mini playbook in `root`; return the extra CLI args."""
    for part in ("kb", "rules"):
        if (case / part).is_dir():
            shutil.copytree(case / part, root / part, dirs_exist_ok=True)
    config = case / "case.yaml"
    settings = yaml.safe_load(config.read_text()) if config.exists() else {}
    if settings.get("big"):
        (root / settings["big"]).write_text("#" * MAX_BYTES + "\n", encoding="utf-8")
    args = case / "args.txt"
    return args.read_text().split() if args.exists() else []


def problem_lines(stderr: str) -> list[str]:
    return sorted(line for line in stderr.splitlines() if PROBLEM.match(line))


@pytest.mark.parametrize("name", NAMES)
def test_case_reports_exactly_its_problems(
    name: str, mini_playbook: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = CASES / name
    args = assemble(case, mini_playbook)
    expected = sorted((case / "expected.txt").read_text(encoding="utf-8").splitlines())
    monkeypatch.chdir(mini_playbook)

    code, out, err = run_cli("validate", "--kb", "kb", "--rules", "rules", *args)

    assert "Traceback" not in out + err
    assert problem_lines(err) == expected
    warnings_only = all(WARNING.match(line) for line in expected)
    assert code == (0 if warnings_only and "--strict" not in args else 1)


def test_cases_cover_many_kinds_of_problem() -> None:
    assert len(NAMES) >= 45
    for name in NAMES:
        lines = (CASES / name / "expected.txt").read_text(encoding="utf-8").splitlines()
        assert lines and all(PROBLEM.match(line) for line in lines), name


@pytest.mark.parametrize("strict", [[], ["--strict"]])
def test_mini_playbook_is_valid(strict: list[str], run_cli: RunCli) -> None:
    code, out, err = run_cli("validate", "--kb", str(MINI_KB), "--rules", str(MINI_RULES), *strict)
    assert (code, err) == (0, "")
    assert out.startswith("valid: 6 phases, 6 steps, 8 items, 3 roles, 8 kpis")
    assert "warning" not in out


def test_json_format_reports_ok_counts_and_problems(
    mini_playbook: Path,
    run_cli: RunCli,
    build_tree: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(mini_playbook)
    code, out, _ = run_cli(*JSON)
    report = json.loads(out)
    assert code == 0 and report["ok"] is True and report["problems"] == []
    assert report["counts"] == {"phases": 6, "steps": 6, "items": 8, "roles": 3, "kpis": 8,
                                "glossary": 2, "templates": 1, "facts": 14, "rules": 3}

    build_tree(mini_playbook, {"kb/more-terms.yaml": """\
        glossary:
          - id: churn
            term: {zh: 流失, en: Churn}
            definition: {zh: 客户不再购买, en: Customers who stop buying}
            see_also: [kpis]
            sources: [A5]
        """})
    code, out, _ = run_cli(*JSON)
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert report["problems"] == [{"path": "kb/more-terms.yaml", "line": 5, "col": 16,
                                   "message": "unknown glossary term `kpis`; did you mean `kpi`?",
                                   "severity": "error"}]


def test_json_format_counts_warnings_as_errors_only_when_strict(
    mini_playbook: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    assemble(CASES / "uncited-section", mini_playbook)
    monkeypatch.chdir(mini_playbook)
    for args, ok in (([], True), (["--strict"], False)):
        code, out, _ = run_cli(*JSON, *args)
        report = json.loads(out)
        assert (code, report["ok"]) == (0 if ok else 1, ok)
        assert [p["severity"] for p in report["problems"]] == ["warning"]


@pytest.mark.parametrize("args", [["--format", "xml"], ["--no-such-option"]])
def test_usage_errors_exit_2(args: list[str], run_cli: RunCli) -> None:
    code, out, err = run_cli("validate", *args)
    assert code == 2
    assert "Usage: opsbook validate" in err and "Traceback" not in out + err


def test_missing_kb_folder_is_reported(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("validate", "--kb", "nowhere", "--rules", "rules")
    assert code == 1
    assert problem_lines(err) == [
        "nowhere:1:1: no knowledge-base YAML files found: is this the kb/ folder?",
        "rules:1:1: rules folder not found: give the playbook's rules/ folder (--rules)"]
