"""Output file names must say their format; dates are YYYY-MM-DD and nothing else; `opsbook batch`
is `opsbook plan --batch` under the name DESIGN.md gives it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
SAAS = ROOT / "examples" / "saas-idea.yaml"
ALLOWED = ".md, .json, .csv, .ics, .xlsx"


@pytest.mark.parametrize("name", ["plan.pdf", "plan.txt", "plan", "plan.md.bak"])
def test_an_output_name_without_a_known_extension_is_a_usage_error(run_cli, tmp_path: Path, name: str) -> None:
    code, out, err = run_cli("plan", str(SAAS), "-o", str(tmp_path / name))
    assert code == 2 and out == "" and "Traceback" not in err
    assert ALLOWED in err
    assert not list(tmp_path.iterdir()), "nothing written"


def test_format_and_extension_must_agree(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("plan", str(SAAS), "--format", "json", "-o", str(tmp_path / "plan.md"))
    assert code == 2 and "plan.md" in err and "*.json" in err
    assert not list(tmp_path.iterdir())
    code, _, err = run_cli("plan", str(SAAS), "--format", "json", "-o", str(tmp_path / "PLAN.JSON"))
    assert code == 0, err
    assert json.loads((tmp_path / "PLAN.JSON").read_text(encoding="utf-8"))["format"] == "opsbook-plan/1"


@pytest.mark.parametrize("value", ["20270104", "2027-W01-1", "2027-1-4", "2027-01-04T00:00", "２０２７-０１-０４"])
def test_start_is_a_date_as_yyyy_mm_dd_only(run_cli, value: str) -> None:
    code, _, err = run_cli("plan", str(SAAS), "--start", value)
    assert code == 2 and "YYYY-MM-DD" in err and "Traceback" not in err


def test_start_accepts_a_date_as_yyyy_mm_dd(run_cli) -> None:
    code, out, err = run_cli("plan", str(SAAS), "--start", "2027-03-01", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["start_date"] == "2027-03-01"
    assert run_cli("plan", str(SAAS), "--start", "3000-01-01")[0] == 2, "later than a plan can run"


@pytest.mark.parametrize("value", ["20270104", "2027-W01-1", "'2027-1-4'"])
def test_a_facts_start_date_is_yyyy_mm_dd_only(run_cli, tmp_path: Path, value: str) -> None:
    rows = SAAS.read_text(encoding="utf-8").splitlines()
    line = next(n for n, row in enumerate(rows, 1) if row.startswith("start_date:"))
    rows[line - 1] = f"start_date: {value}"
    facts = tmp_path / "facts.yaml"
    facts.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = run_cli("plan", str(facts))
    assert code == 1 and "Traceback" not in err
    assert f"{facts}:{line}:13: `start_date` expects a date as YYYY-MM-DD, got `{value.strip(chr(39))}`" in err


def test_a_facts_start_date_in_json_is_checked_too(run_cli, tmp_path: Path) -> None:
    data = yaml.safe_load(SAAS.read_text(encoding="utf-8"))
    data["start_date"] = "20270104"
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    code, _, err = run_cli("plan", str(facts))
    assert code == 1 and "expects a date as YYYY-MM-DD, got `20270104`" in err


def test_batch_is_plan_batch(run_cli, tmp_path: Path) -> None:
    lines = tmp_path / "clients.jsonl"
    facts = yaml.safe_load(SAAS.read_text(encoding="utf-8"))
    lines.write_text(json.dumps(facts, ensure_ascii=False, default=str) + "\n{oops\n", encoding="utf-8")
    first = run_cli("batch", str(lines), "--lang", "en", "--start", "2027-02-01")
    second = run_cli("plan", "--batch", str(lines), "--lang", "en", "--start", "2027-02-01")
    assert first == second
    code, out, err = first
    assert code == 1 and f"{lines}:2:2: JSON syntax error" in err
    record = json.loads(out.splitlines()[0])
    assert record["start_date"] == "2027-02-01" and record["lang"] == "en"
    assert run_cli("batch", str(lines), "--start", "20270201")[0] == 2


def test_batch_writes_a_file_once(run_cli, tmp_path: Path) -> None:
    lines = tmp_path / "clients.jsonl"
    lines.write_text(json.dumps(yaml.safe_load(SAAS.read_text(encoding="utf-8")), default=str) + "\n")
    out = tmp_path / "plans.jsonl"
    assert run_cli("batch", str(lines), "-o", str(out), "--full")[0] == 0
    assert json.loads(out.read_text(encoding="utf-8"))["format"] == "opsbook-plan/1"
    code, _, err = run_cli("batch", str(lines), "-o", str(out))
    assert code == 1 and "--force" in err
    assert run_cli("batch", str(lines), "-o", str(out), "--force")[0] == 0
