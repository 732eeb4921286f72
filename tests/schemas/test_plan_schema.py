"""The plan schema is strict and agrees with the plan reader (`opsbook diff`, `plan --update`):
every plan opsbook writes follows it, and what one refuses the other refuses."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from generator.core.errors import OpsbookError
from generator.plan.diff_input import plan_schema, read_plan

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "tests" / "corpus"
SHIPPED = json.loads((ROOT / "generator" / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
STRICT = Draft202012Validator(SHIPPED, format_checker=Draft202012Validator.FORMAT_CHECKER)
READER = Draft202012Validator(plan_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)
EXAMPLES = ["coffee-chain", "saas-idea", "logistics-company"]


def reader_accepts(path: Path) -> bool:
    try:
        read_plan(path)
    except OpsbookError:
        return False
    return True


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    from click.testing import CliRunner

    from generator.cli.main import cli

    out = tmp_path_factory.mktemp("plans")
    found = {}
    for name in EXAMPLES:
        for lang in ("zh", "en"):
            path = out / f"{name}.{lang}.json"
            result = CliRunner().invoke(cli, ["plan", f"examples/{name}.yaml", "--lang", lang, "-o", str(path)])
            assert result.exit_code == 0, result.output
            found[path.name] = json.loads(path.read_text(encoding="utf-8"))
    return found


def test_every_plan_follows_the_strict_schema(plans: dict[str, dict[str, Any]]) -> None:
    for name, plan in plans.items():
        assert not list(STRICT.iter_errors(plan)), name


BREAKS = {
    "unknown top-level key": lambda p: p.update(owner="me"),
    "misspelt client key": lambda p: p["client"].update(nmae="x"),
    "no such month": lambda p: p["items"][0].update(due="2027-13-45"),
    "february 30": lambda p: p["items"][0].update(start="2027-02-30"),
    "a date with a time": lambda p: p.update(start_date="2027-01-04T09:00"),
    "unknown item key": lambda p: p["items"][0].update(colour="red"),
    "unknown reason key": lambda p: p["items"][0]["because"][0].update(why="x"),
    "unknown domain": lambda p: p["items"][0].update(domain="astrology"),
    "unknown calendar key": lambda p: p["calendar"].update(holidays=[]),
}


@pytest.mark.parametrize("change", sorted(BREAKS))
def test_schema_and_reader_both_refuse(change: str, plans: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    plan = copy.deepcopy(plans["coffee-chain.en.json"])
    BREAKS[change](plan)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    assert list(STRICT.iter_errors(plan)) and list(READER.iter_errors(plan)) and not reader_accepts(path)


def _corpus_plans() -> list[Path]:
    """The JSON plans of the corpus that are JSON at all (a syntax error is no document to judge)."""
    found = []
    for path in sorted([*CORPUS.glob("cases/*/*.json"), *CORPUS.glob("base/*.json")]):
        try:
            data = json.loads(path.read_bytes())
        except (ValueError, RecursionError):
            continue
        if isinstance(data, dict) and "items" in data:
            found.append(path)
    return found


CORPUS_PLANS = _corpus_plans()


def test_the_corpus_has_plans_both_accepted_and_refused() -> None:
    verdicts = [reader_accepts(p) for p in CORPUS_PLANS]
    assert verdicts.count(True) >= 1 and verdicts.count(False) >= 8


@pytest.mark.parametrize("path", CORPUS_PLANS, ids=[p.relative_to(CORPUS).as_posix() for p in CORPUS_PLANS])
def test_corpus_verdicts_agree(path: Path) -> None:
    data = json.loads(path.read_bytes())
    assert READER.is_valid(data) == reader_accepts(path)
