"""A fact the rules engine cannot take (text past durable's 8,000 characters) is a mistake in the
facts: `plan`, `explain` and `batch` report it at the fact in the facts file, with how to fix it,
and exit 1. A rule error that hides a bug is still an internal error (exit 3, crash report)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import generator.rules.durable.engine
from generator.cli.main import main
from generator.kb.loader import Document
from generator.rules.durable.values import MAX_TEXT
from generator.rules.meaning.results import FactError

LONG = "a" * (MAX_TEXT + 1)
ADVICE = (f"fact `client.name` cannot go to the rules engine: text longer than {MAX_TEXT} characters: "
          f"shorten it to {MAX_TEXT} characters or fewer")
NAME_RULE = """\
rules:
  - id: named-acme
    title: {zh: 名为 Acme, en: Named Acme}
    when: {fact: client.name, eq: Acme}
    then:
      include: [strategy.goal-setting]
"""


@pytest.fixture
def playbook(mini_playbook: Path, build_tree, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini playbook with a rule that reads `client.name`, run by durable, from its own folder."""
    build_tree(mini_playbook, {"rules/base/name.yaml": NAME_RULE})
    monkeypatch.setenv("OPSBOOK_ENGINE", "durable")
    monkeypatch.chdir(mini_playbook)
    return mini_playbook


FOLDERS = ("--kb", "kb", "--rules", "rules")


@pytest.mark.parametrize("command", [["plan", "--format", "json"], ["explain"]])
def test_a_fact_past_the_engines_limit_is_reported_at_the_fact(playbook: Path, build_tree, run_cli,
                                                              command: list[str]) -> None:
    build_tree(playbook, {"facts.yaml": f"industry: retail\nclient:\n  name: {LONG}\n"})
    code, out, err = run_cli(command[0], "facts.yaml", *command[1:], *FOLDERS)
    assert (code, out, err) == (1, "", f"facts.yaml:3:9: {ADVICE}\n")


def test_a_json_facts_file_is_located_too(playbook: Path, build_tree, run_cli) -> None:
    build_tree(playbook, {"facts.json": json.dumps({"client": {"name": LONG}, "industry": "retail"}, indent=2)})
    code, _, err = run_cli("plan", "facts.json", "--format", "json", *FOLDERS)
    assert (code, err) == (1, f"facts.json:3:13: {ADVICE}\n")


def test_a_fact_within_the_limit_plans(playbook: Path, build_tree, run_cli) -> None:
    build_tree(playbook, {"facts.yaml": f"industry: retail\nclient:\n  name: {LONG[1:]}\n"})
    code, out, err = run_cli("plan", "facts.yaml", "--format", "json", *FOLDERS)
    assert code == 0, err
    assert json.loads(out)["client"]["name"] == LONG[1:]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_line_is_located_at_the_fact_and_the_others_planned(playbook: Path, build_tree, run_cli,
                                                                   jobs: str) -> None:
    lines = [json.dumps({"client": {"name": name}, "industry": "retail"}) for name in ("Acme", LONG, "Beta")]
    build_tree(playbook, {"clients.jsonl": "\n".join(lines) + "\n"})
    code, out, err = run_cli("batch", "clients.jsonl", "--jobs", jobs, *FOLDERS)
    column = lines[1].index(LONG)  # the opening quote, 1-based
    records = [json.loads(text) for text in out.splitlines()]
    assert code == 1
    assert [r.get("client") for r in records] == ["Acme", None, "Beta"]
    assert records[1]["errors"] == [f"clients.jsonl:2:{column}: {ADVICE}"]
    assert f"clients.jsonl:2:{column}: {ADVICE}\n" in err


def test_a_fact_error_without_positions_is_at_the_top_of_the_file() -> None:
    error = FactError("client.name", "text with a lone surrogate (not a character)", "remove it")
    assert str(error) == "fact client.name: text with a lone surrogate (not a character)"
    assert vars(pickle.loads(pickle.dumps(error))) == vars(error)
    assert str(error.problem(Document("facts.json", {"client": {"name": "x"}}))) == (
        "facts.json:1:1: fact `client.name` cannot go to the rules engine: text with a lone surrogate "
        "(not a character): remove it")


def test_a_fact_error_that_hides_a_bug_is_an_internal_error(playbook: Path, build_tree, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    build_tree(playbook, {"facts.yaml": "industry: retail\nclient:\n  name: Acme\n"})

    def broken(*args: object) -> str:
        try:
            {}["missing"]
        except KeyError as bug:
            raise FactError("client.name", "unsupported value", "use text") from bug
        raise AssertionError

    monkeypatch.setattr(generator.rules.durable.engine, "fact_json", broken)
    monkeypatch.setenv("OPSBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("OPSBOOK_DEBUG", raising=False)
    assert main(["plan", "facts.yaml", "--format", "json", *FOLDERS]) == 3
    err = capsys.readouterr().err
    assert "opsbook: internal error (FactError: fact client.name: unsupported value)" in err, err
    assert "a report was written to" in err and "facts.yaml:" not in err


def test_a_rule_test_case_past_the_engines_limit_is_reported_at_the_fact(playbook: Path, build_tree,
                                                                         run_cli) -> None:
    build_tree(playbook, {"rules/tests/names.yaml": f"""\
        cases:
          - name: a name within the limit
            facts: {{client: {{name: Acme}}, industry: retail}}
            expect: {{fired: [named-acme]}}
          - name: a name past it
            facts:
              industry: retail
              client: {{name: {LONG}}}
            expect: {{fired: [named-acme]}}
        """})
    code, _, err = run_cli("rules", "test", "rules/tests/names.yaml", *FOLDERS)
    assert code == 1 and "Traceback" not in err
    assert f"rules/tests/names.yaml:8:22: {ADVICE}" in err, err
