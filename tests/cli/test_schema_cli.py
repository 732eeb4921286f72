"""`opsbook schema`: the JSON Schemas editors and other tools check files with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("kind", ["kb", "rules", "overlay", "ruletests", "facts", "plan"])
def test_every_schema_prints_and_is_valid(run_cli, kind: str) -> None:
    code, out, _ = run_cli("schema", kind)
    assert code == 0
    Draft202012Validator.check_schema(json.loads(out))


def test_facts_schema_accepts_the_examples_and_names_the_vocabulary(run_cli) -> None:
    schema = json.loads(run_cli("schema", "facts")[1])
    validator = Draft202012Validator(schema)
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        data["start_date"] = str(data["start_date"])
        assert not list(validator.iter_errors(data)), path.name
    assert "retail" in schema["properties"]["industry"]["enum"]
    assert schema["properties"]["kpis"]["properties"]["nps"]["minimum"] == -100
    assert list(validator.iter_errors({"industry": "retail"})), "required facts are missing"


def test_shipped_files_follow_their_schemas(run_cli) -> None:
    kb = Draft202012Validator(json.loads(run_cli("schema", "kb")[1]))
    for path in sorted((ROOT / "kb").rglob("*.yaml")):
        text = path.read_text()
        assert text.startswith("# yaml-language-server: $schema="), path
        assert not list(kb.iter_errors(yaml.safe_load(text))), path
    rules = Draft202012Validator(json.loads(run_cli("schema", "rules")[1]))
    for path in sorted((ROOT / "rules" / "base").glob("*.yaml")):
        assert not list(rules.iter_errors(yaml.safe_load(path.read_text()))), path


def test_unknown_schema_is_a_usage_error(run_cli) -> None:
    assert run_cli("schema", "bogus")[0] == 2
