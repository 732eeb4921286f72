"""The overlay and rule test schemas refuse exactly what opsbook refuses of a file's own content.

Every overlay and rule test case of the bad-input corpus (and the valid base workspace) runs
through opsbook (`plan --overlay`, `rules test`) and each of its overlay.yaml, overlay rule or
item files and rule test files through jsonschema with the shipped schema (a rule test file
with the schema generated for the corpus' mini KB, whose facts it embeds). The verdicts must be
equal. What only the rest of the playbook can tell (a rule, step, role or layer that does not
exist, a dependency cycle) is no verdict on the file's content: a schema cannot know it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.core.errors import OpsbookError
from generator.kb import schema
from generator.kb.loader import load_yaml
from generator.kb.validate import validate_kb
from generator.schemas.ruletests_schema import ruletests_schema

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "tests" / "corpus"
MINI_KB, MINI_RULES = ROOT / "tests" / "validate" / "minikb", ROOT / "tests" / "validate" / "minirules"
SHIPPED = ROOT / "generator" / "schemas"
_MINI = validate_kb(MINI_KB).kb
assert _MINI is not None
SCHEMAS: dict[str, dict[str, Any]] = {
    "overlay": json.loads((SHIPPED / "overlay.schema.json").read_text(encoding="utf-8")),
    "rules": json.loads((SHIPPED / "rules.schema.json").read_text(encoding="utf-8")),
    "ruletests": ruletests_schema(_MINI),
}
# What opsbook can tell only with the rest of the playbook at hand, by the kind of file.
ELSEWHERE = {
    "overlay": ("cannot disable unknown rule", "cannot override unknown rule", "unknown step or item",
                "rule layer `"),
    "rules": ("unknown step", "unknown role", "unknown checklist item", "unknown fact", "dependency cycle",
              "collides with", "duplicate item ID", "must start with its step"),
    "ruletests": ("unknown step or item", "unknown rule", "overlay folder `", "overlay `"),
}
MANIFEST = [case for case in yaml.safe_load((CORPUS / "cases.yaml").read_text(encoding="utf-8"))["cases"]
            if case["kind"] in ("overlay", "ruletests") and "generate" not in case]
BASE = [{"name": "base overlay", "kind": "overlay",
         "args": ["plan", "facts.yaml", "--kb", "kb", "--rules", "rules", "--overlay", "ov", "--format", "json"]},
        {"name": "base rule tests", "kind": "ruletests", "args": ["rules", "test", "rt.yaml", "--kb", "kb",
                                                                  "--rules", "rules"]}]
CASES = BASE + MANIFEST


def _workspace(root: Path, name: str) -> None:
    shutil.copytree(MINI_KB, root / "kb")
    shutil.copytree(MINI_RULES, root / "rules")
    shutil.copytree(CORPUS / "base", root, dirs_exist_ok=True)
    if (CORPUS / "cases" / name).is_dir():
        shutil.copytree(CORPUS / "cases" / name, root, dirs_exist_ok=True)


def _judged(root: Path) -> list[tuple[str, str]]:
    """Each file to judge, shown as opsbook shows it, with its schema."""
    found = [("rt.yaml", "ruletests")] if (root / "rt.yaml").is_file() else []
    for path in sorted((root / "ov").rglob("*.yaml")) if (root / "ov").is_dir() else []:
        shown = path.relative_to(root).as_posix()
        found.append((shown, "overlay" if shown == "ov/overlay.yaml" else "rules"))
    return found


def schema_refuses(root: Path, shown: str, kind: str) -> bool | None:
    """jsonschema's verdict (`.nan` and `.inf`, which JSON cannot write, refused as opsbook's schema
    checks refuse them); None for a file opsbook's YAML loader refuses, which is no document to judge."""
    try:
        doc = load_yaml(root / shown, shown, root=root)
    except OpsbookError:
        return None
    return bool(schema.check(doc, SCHEMAS[kind]))


def opsbook_refuses(stderr: str, shown: str, kind: str) -> bool:
    """Whether opsbook reported a problem of the file's own content."""
    lines = [line for line in stderr.splitlines() if line.startswith(f"{shown}:")]
    return any(not any(words in line for words in ELSEWHERE[kind]) for line in lines)


def test_the_corpus_holds_enough_overlay_and_rule_test_cases() -> None:
    assert len(MANIFEST) >= 50
    assert {case["kind"] for case in MANIFEST} == {"overlay", "ruletests"}


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_schema_and_opsbook_give_the_same_verdict(case: dict[str, Any], tmp_path: Path, run_cli: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    _workspace(tmp_path, case["name"])
    monkeypatch.chdir(tmp_path)
    code, _, stderr = run_cli(*case["args"])
    assert "Traceback" not in stderr
    verdicts = {}
    for shown, kind in _judged(tmp_path):
        by_schema = schema_refuses(tmp_path, shown, kind)
        if by_schema is not None:
            verdicts[shown] = (by_schema, opsbook_refuses(stderr, shown, kind))
    assert all(a == b for a, b in verdicts.values()), (verdicts, stderr)
    if case["name"].startswith("base"):
        assert code == 0 and verdicts and not any(a for a, _ in verdicts.values()), stderr
