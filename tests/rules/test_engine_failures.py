"""A failure of the engine is a bug, never the user's mistake: it reaches the CLI as what it is
(exit 3, a crash report), not as a rule error (exit 1, "fix your rules"). Only the limits of
durable_rules that rules or facts run into are rule errors, and a rule error a rule file
causes is located at the rule."""

from __future__ import annotations

import re
from pathlib import Path

import durable_rules_engine
import pytest

from generator.cli.main import main
from generator.core.errors import OpsbookError
from generator.rules.durable import compiler
from generator.rules.durable import fact_json as wire
from generator.rules.durable.compiler import compile_rules
from generator.rules.durable.engine import Engine
from generator.rules.durable.values import LimitError, check_value
from generator.rules.meaning.results import RuleError
from generator.rules.model import Action, Leaf, Rule

TESTS = Path(__file__).parents[1]
FACTS = TESTS / "corpus" / "base" / "facts.yaml"
KB, RULES = TESTS / "validate" / "minikb", TESTS / "validate" / "minirules"


def rule(rid: str, when: Leaf | None = None, sets: dict[str, object] | None = None, line: int = 1) -> Rule:
    return Rule(rid, rid, rid, when, Action(set=tuple((sets or {}).items())), location=("r.yaml", line, 5))


@pytest.fixture
def crash_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("OPSBOOK_CACHE", str(tmp_path))
    monkeypatch.delenv("OPSBOOK_DEBUG", raising=False)
    return tmp_path / "crash"


def test_a_failure_inside_durable_is_an_internal_error_with_a_crash_report(
        crash_folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def broken(handle: int, fact: str) -> tuple[int, int]:
        raise durable_rules_engine.error("Could not assert event, error code: 101")

    monkeypatch.setattr(durable_rules_engine, "assert_fact", broken)
    assert main(["plan", str(FACTS), "--kb", str(KB), "--rules", str(RULES)]) == 3
    err = capsys.readouterr().err
    found = re.search(r"a report was written to (\S+);", err)
    assert err.startswith("opsbook: internal error (error: Could not assert event") and found, err
    assert "while durable_rules evaluated rules cs-high-complaints" in Path(found[1]).read_text()


def test_durable_refusing_a_fact_is_a_broken_invariant_not_a_rule_error(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = Engine([rule("r", Leaf("industry", "eq", "retail"))])
    monkeypatch.setattr(durable_rules_engine, "assert_fact", lambda handle, fact: (2, 0))
    with pytest.raises(RuntimeError, match=r"durable_rules refused a fact \(code 2\)") as caught:
        engine.evaluate({"industry": "retail"})
    assert not isinstance(caught.value, RuleError)
    engine.close()


def test_a_bug_while_compiling_is_no_rule_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def lower(*args: object) -> None:
        raise ValueError("a bug in lowering")

    monkeypatch.setattr(compiler, "lower", lower)
    with pytest.raises(ValueError, match="a bug in lowering") as caught:
        compile_rules([rule("r", Leaf("industry", "eq", "retail"))])
    assert not isinstance(caught.value, RuleError)


def test_a_bug_while_writing_a_fact_is_no_rule_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def text(*args: object) -> None:
        raise ValueError("a bug in the writer")

    engine = Engine([rule("r", Leaf("industry", "eq", "retail"))])
    monkeypatch.setitem(wire._WRITERS, str, text)
    with pytest.raises(ValueError, match="a bug in the writer") as caught:
        engine.evaluate({"industry": "retail"})
    assert not isinstance(caught.value, RuleError)
    engine.close()


@pytest.mark.parametrize("value", [2**53 + 1, float("inf"), "\ud800", "x" * 8001, ("a", 1)])
def test_values_beyond_durable_are_limit_errors(value: object) -> None:
    with pytest.raises(LimitError):
        check_value(value)


def test_every_rule_beyond_the_limits_is_located_at_once() -> None:
    rules = [rule("ok", Leaf("n", "gt", 1), line=1), rule("huge", Leaf("n", "gt", 2**60), line=7),
             rule("sets", None, {"m": float("inf")}, line=12)]
    with pytest.raises(OpsbookError) as caught:
        compile_rules(rules)
    assert isinstance(caught.value, RuleError)  # still a rule error for those catching those
    assert [str(p) for p in caught.value.problems] == [
        "r.yaml:7:5: rule huge: integer 1152921504606846976 is beyond ±2**53: use a number between -2**53 and 2**53",
        "r.yaml:12:5: rule sets sets fact m: number inf is not finite: use a finite number",
    ]


def test_rules_setting_one_fact_two_ways_are_located_at_the_rule() -> None:
    engine = Engine([rule("low", Leaf("n", "gt", 1), {"risk": "low"}, line=2),
                     rule("high", Leaf("n", "gt", 2), {"risk": "high"}, line=9)])
    with pytest.raises(OpsbookError) as caught:
        engine.evaluate({"n": 5})
    assert str(caught.value).startswith(
        "r.yaml:9:5: rules low (r.yaml:2) and high set fact risk to different values ('low' and 'high')")
    engine.close()
