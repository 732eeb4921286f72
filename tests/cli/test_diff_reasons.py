"""`opsbook diff` on plans of the mini playbook: a change of the reasons behind an item is a
change, and so is a new owner or new dates; text from a plan cannot drive the terminal; what
is not a JSON plan, or holds a date no calendar has, is refused where it stands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

FACTS = (Path(__file__).parents[1] / "corpus" / "base" / "facts.yaml").read_text(encoding="utf-8")
GOOD = Path(__file__).parents[1] / "corpus" / "base" / "good.json"
RETAIL_SCAN = """\
rules:
  - id: retail-scan
    title: {zh: 零售市场扫描, en: Retail market scan}
    when: {fact: industry, eq: retail}
    then: {include: [insight.market-scan]}
"""


@pytest.fixture
def playbook(mini_playbook: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(mini_playbook)
    return mini_playbook


def _plan(run_cli, name: str, facts: str) -> str:
    Path(f"{name}.yaml").write_text(facts, encoding="utf-8")
    code, _, err = run_cli("plan", f"{name}.yaml", "--kb", "kb", "--rules", "rules", "--lang", "en",
                           "-o", f"{name}.json")
    assert code == 0, err
    return f"{name}.json"


def test_a_rule_that_no_longer_applies_is_a_change_with_the_facts_behind_it(playbook: Path, run_cli) -> None:
    (playbook / "rules" / "base" / "retail.yaml").write_text(RETAIL_SCAN, encoding="utf-8")
    old = _plan(run_cli, "old", FACTS)
    new = _plan(run_cli, "new", FACTS.replace("industry: retail", "industry: saas"))
    code, out, err = run_cli("diff", old, new)
    assert code == 0, err
    assert "~ insight.market-scan.size  Estimate the market size" in out
    assert "    because rule retail-scan no longer applies (fact industry: retail -> saas)" in out
    assert out.endswith("0 added, 0 removed, 2 changed\n")
    changes = json.loads(run_cli("diff", old, new, "--format", "json")[1])
    assert {c["id"] for c in changes} == {"insight.market-scan.size", "insight.market-scan.review"}


def test_a_new_owner_and_new_dates_are_changes(playbook: Path, run_cli) -> None:
    old = _plan(run_cli, "old", FACTS.replace("team_size: 12", "team_size: 1"))
    new = _plan(run_cli, "new", FACTS)
    code, out, _ = run_cli("diff", old, new)
    assert code == 0
    assert ("~ insight.market-scan.size  Estimate the market size\n    owner: ops-manager -> market-analyst\n"
            "    start: 2027-01-13 -> 2027-01-04\n    due: 2027-01-18 -> 2027-01-05\n") in out
    assert "    because fact team_size: 1 -> 12" in out


def test_a_plan_written_before_plans_had_a_schedule_is_read(playbook: Path, run_cli) -> None:
    new = _plan(run_cli, "new", FACTS)
    code, out, err = run_cli("diff", str(GOOD), new)
    assert code == 0, err
    assert "start:" not in out  # the earlier plan has no start: nothing to compare it with


def test_terminal_escapes_in_a_plan_are_shown_escaped(playbook: Path, run_cli) -> None:
    old = _plan(run_cli, "old", FACTS)
    plan = json.loads(Path(old).read_text(encoding="utf-8"))
    plan["items"][0]["title"] = "\x1b]0;pwned\x07\x1b[2J\u009b31m\u202eevil"
    plan["items"][0]["priority"] = "low"
    Path("new.json").write_text(json.dumps(plan), encoding="utf-8")
    code, out, _ = run_cli("diff", old, "new.json")
    assert code == 0
    assert "\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eevil" in out
    assert not any(char in out for char in "\x1b\x07\x9b\u202e")
    json_out = run_cli("diff", old, "new.json", "--format", "json")[1]
    assert not any(char in json_out for char in "\x1b\x07\x9b\u202e")
    assert json.loads(json_out)[0]["title"] == plan["items"][0]["title"]


def test_a_date_no_calendar_has_is_refused_where_it_stands(playbook: Path, run_cli) -> None:
    old = _plan(run_cli, "old", FACTS)
    text = Path(old).read_text(encoding="utf-8")
    due = json.loads(text)["items"][0]["due"]
    Path("bad.json").write_text(text.replace(f'"due": "{due}"', '"due": "9999-99-99"', 1), encoding="utf-8")
    line = Path("bad.json").read_text(encoding="utf-8").split("9999-99-99")[0].count("\n") + 1
    code, _, err = run_cli("diff", old, "bad.json")
    assert code == 1
    assert f"bad.json:{line}:14: `9999-99-99` is not a date: write YYYY-MM-DD" in err


@pytest.mark.parametrize("fmt", ["md", "csv", "ics"])
def test_a_plan_in_another_format_is_refused_with_how_to_write_a_json_one(playbook: Path, run_cli,
                                                                          fmt: str) -> None:
    old = _plan(run_cli, "old", FACTS)
    assert run_cli("plan", "old.yaml", "--kb", "kb", "--rules", "rules", "-o", f"plan.{fmt}")[0] == 0
    code, _, err = run_cli("diff", f"plan.{fmt}", old)
    assert code == 1
    assert f"plan.{fmt}:1:1: plan.{fmt} is not a JSON plan: write one with `opsbook plan FACTS --format json`" in err
