"""Every YAML file a consultant edits starts with the `# yaml-language-server: $schema=...` line
that makes an editor complete and check it, naming the shipped schema of its own kind by a path
that resolves from the file's folder. Which file is which kind is asked of the loaders that read
the files (rules/layer_files.py), so a file `opsbook validate` reads as rules gets the rules schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from generator.kb.documents import yaml_files
from generator.rules import layer_files as layers  # a module: pytest would collect its test_folders

ROOT = Path(__file__).parents[2]
SCHEMAS = ROOT / "generator" / "schemas"
LINE = re.compile(r"# yaml-language-server: \$schema=(?P<target>\S+)")


def edited_files(root: Path) -> dict[Path, str]:
    """{file: schema kind} for the KB files and every rule, overlay and rule test file under root/rules."""
    rules_dir = root / "rules"
    kinds = dict.fromkeys(yaml_files(root / "kb"), "kb")
    for folder in layers.layer_folders(rules_dir):
        overlay = layers.is_overlay_folder(folder, rules_dir)
        kinds.update(dict.fromkeys(layers.layer_files(folder, overlay)[0], "rules"))
    for folder in layers.overlay_folders(rules_dir):
        if (folder / layers.OVERLAY_FILE).is_file():
            kinds[folder / layers.OVERLAY_FILE] = "overlay"
    for folder in layers.test_folders(rules_dir):
        kinds.update(dict.fromkeys(yaml_files(folder), "ruletests"))
    return kinds


def line_problem(path: Path, kind: str, schemas: Path = SCHEMAS) -> str | None:
    """What is wrong with the schema line of `path`, a file of `kind`; None when it is right."""
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    found = LINE.fullmatch(first)
    if found is None:
        return f"first line is not a yaml-language-server $schema line: {first!r}"
    target = found["target"]
    if "://" in target or Path(target).is_absolute():
        return f"{target} is not a path relative to the file's folder"
    named = (path.parent / target).resolve()
    if not named.is_file():
        return f"{target} names no file from {path.parent}"
    wanted = (schemas / f"{kind}.schema.json").resolve()
    return None if named == wanted else f"{target} is not the {kind} schema ({wanted})"


SHIPPED = edited_files(ROOT)


def test_every_edited_yaml_file_has_a_kind() -> None:
    """No YAML file under kb/ or rules/ is left out, so a new kind of file cannot go unchecked."""
    found = set(yaml_files(ROOT / "kb")) | set(yaml_files(ROOT / "rules"))
    assert sorted(found - set(SHIPPED)) == []
    kinds = set(SHIPPED.values())
    assert kinds == {"kb", "rules", "overlay", "ruletests"}, "the playbook ships a file of each kind"


@pytest.mark.parametrize("path", sorted(SHIPPED), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_first_line_names_the_schema_of_the_files_kind(path: Path) -> None:
    assert line_problem(path, SHIPPED[path]) is None, line_problem(path, SHIPPED[path])


@pytest.mark.parametrize("path", sorted(SHIPPED), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_file_passes_the_schema_its_line_names(path: Path) -> None:
    """What the editor checks with: the named schema, the file read as a YAML 1.1 editor reads it."""
    schema = json.loads((SCHEMAS / f"{SHIPPED[path]}.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = Draft202012Validator(schema).iter_errors(data)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in found]
    assert errors == [], path


def test_kinds_follow_where_the_loaders_read_files(build_tree, tmp_path: Path) -> None:
    root = build_tree(tmp_path, {
        "kb/roles.yaml": "roles: []\n",
        "kb/phases/insight.yaml": "steps: []\n",
        "rules/base/a.yaml": "rules: []\n",
        "rules/packs/retail/deep/b.yaml": "rules: []\n",
        "rules/tests/cases.yaml": "cases: []\n",
        "rules/clients/acme/overlay.yaml": "extends: [base]\n",
        "rules/clients/acme/rules.yaml": "rules: []\n",
        "rules/clients/acme/more/items.yaml": "items: []\n",
        "rules/clients/acme/tests/cases.yaml": "cases: []\n",
    })
    got = {path.relative_to(root).as_posix(): kind for path, kind in edited_files(root).items()}
    assert got == {
        "kb/roles.yaml": "kb", "kb/phases/insight.yaml": "kb",
        "rules/base/a.yaml": "rules", "rules/packs/retail/deep/b.yaml": "rules",
        "rules/clients/acme/rules.yaml": "rules", "rules/clients/acme/more/items.yaml": "rules",
        "rules/clients/acme/overlay.yaml": "overlay",
        "rules/tests/cases.yaml": "ruletests", "rules/clients/acme/tests/cases.yaml": "ruletests",
    }


RIGHT = "# yaml-language-server: $schema=../../../../generator/schemas/ruletests.schema.json"


@pytest.mark.parametrize(("first", "expected"), [
    (RIGHT, None),
    ("# yaml-language-server: $schema=../../../generator/schemas/ruletests.schema.json", "names no file"),
    ("# yaml-language-server: $schema=../../../../generator/schemas/rules.schema.json", "is not the ruletests schema"),
    ("# yaml-language-server: $schema=https://opsbook.dev/schemas/ruletests.schema.json", "not a path relative"),
    ("# $schema=../../../../generator/schemas/ruletests.schema.json", "not a yaml-language-server"),
    ("cases: []", "not a yaml-language-server"),
], ids=["right", "one-level-short", "wrong-kind", "url", "no-directive", "missing"])
def test_line_problem_catches_each_wrong_line(build_tree, tmp_path: Path, first: str, expected: str | None) -> None:
    root = build_tree(tmp_path, {
        "generator/schemas/ruletests.schema.json": "{}\n",
        "generator/schemas/rules.schema.json": "{}\n",
        "rules/clients/acme/tests/cases.yaml": f"{first}\ncases: []\n",
    })
    found = line_problem(root / "rules/clients/acme/tests/cases.yaml", "ruletests", root / "generator" / "schemas")
    assert (found is None) if expected is None else (expected in (found or "")), found
