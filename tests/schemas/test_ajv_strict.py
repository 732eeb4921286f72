"""The shipped schemas as other tools read them: ajv (the JSON Schema checker of the JavaScript
world, and what editors build on) compiles each in its strict mode and agrees on the shipped files.
ajv-cli reads YAML as YAML 1.1 does, so an unquoted date there is a date, not text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
AJV = ROOT / "node_modules" / ".bin" / "ajv"
SCHEMAS = ROOT / "generator" / "schemas"
STRICT = ["--spec=draft2020", "--strict=true", "-c", "ajv-formats"]
CHECKED = ("kb", "overlay", "ruletests", "facts", "plan", "rules")

pytestmark = pytest.mark.skipif(not AJV.exists() or shutil.which("node") is None,
                                reason="ajv is installed by scripts/setup.sh (npm ci)")


def ajv(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(AJV), *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)


@pytest.mark.parametrize("name", CHECKED)
def test_each_schema_compiles_in_strict_mode(name: str) -> None:
    done = ajv("compile", *STRICT, "-s", SCHEMAS / f"{name}.schema.json")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_examples_follow_the_facts_schema() -> None:
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    done = ajv("validate", *STRICT, "-s", SCHEMAS / "facts.schema.json", *[a for p in examples for a in ("-d", p)])
    assert done.returncode == 0, done.stdout + done.stderr
    assert (done.stdout + done.stderr).count(" valid") == len(examples)


def test_the_kb_follows_the_kb_schema() -> None:
    files = sorted((ROOT / "kb").rglob("*.yaml"))
    done = ajv("validate", *STRICT, "-s", SCHEMAS / "kb.schema.json", *[a for p in files for a in ("-d", p)])
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_unquoted_date_is_refused(tmp_path: Path) -> None:
    text = (ROOT / "examples" / "coffee-chain.yaml").read_text(encoding="utf-8")
    facts = tmp_path / "facts.yaml"
    facts.write_text(text.replace('start_date: "2027-01-04"', "start_date: 2027-01-04"), encoding="utf-8")
    done = ajv("validate", *STRICT, "-s", SCHEMAS / "facts.schema.json", "-d", facts)
    assert done.returncode != 0 and "start_date" in done.stdout + done.stderr


def test_the_rule_tests_and_overlays_follow_their_schemas() -> None:
    for name, files in (("ruletests", sorted((ROOT / "rules").glob("**/tests/*.yaml"))),
                        ("overlay", sorted((ROOT / "rules").glob("clients/*/overlay.yaml")))):
        done = ajv("validate", *STRICT, "-s", SCHEMAS / f"{name}.schema.json", *[a for p in files for a in ("-d", p)])
        assert files and done.returncode == 0, done.stdout + done.stderr
        assert (done.stdout + done.stderr).count(" valid") == len(files)


def test_a_rule_test_with_a_misspelled_fact_is_refused(tmp_path: Path) -> None:
    """The facts of a rule test case are held to the facts schema."""
    text = (ROOT / "rules" / "tests" / "stage.yaml").read_text(encoding="utf-8")
    case = tmp_path / "case.yaml"
    case.write_text(text.replace("stage:", "stag:", 1), encoding="utf-8")
    assert "stag:" in case.read_text(encoding="utf-8")
    done = ajv("validate", *STRICT, "-s", SCHEMAS / "ruletests.schema.json", "-d", case)
    assert done.returncode != 0 and "stag" in done.stdout + done.stderr
