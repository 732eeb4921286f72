"""`opsbook schema`: the JSON Schemas editors and other tools check files with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("kind", ["kb", "rules", "overlay", "ruletests", "facts", "plan"])
def test_every_schema_prints_as_shipped_and_is_valid(run_cli, kind: str) -> None:
    code, out, _ = run_cli("schema", kind)
    assert code == 0
    assert json.loads(out) == json.loads((ROOT / "generator" / "schemas" / f"{kind}.schema.json").read_text("utf-8"))
    Draft202012Validator.check_schema(json.loads(out))


def test_facts_schema_accepts_the_examples_as_any_yaml_reader_reads_them(run_cli) -> None:
    schema = json.loads(run_cli("schema", "facts")[1])
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=../generator/schemas/facts.schema.json\n"), path
        data = yaml.safe_load(text)  # YAML 1.1, as editors read it: an unquoted date would be a date
        assert not list(validator.iter_errors(data)), path.name
    assert schema["properties"]["industry"]["examples"][0] == "retail"
    assert schema["properties"]["client"]["required"] == ["name"]
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
