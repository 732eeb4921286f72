"""Validating the whole playbook: the knowledge base, then the rule files against it.

The rule layers are read as `opsbook plan` reads them (rules/layer_files.py): base and every
pack together, then each client overlay on top of the layers it extends. Each rule set is
also compiled, and searched for rules that set one fact two ways, so what would refuse a
plan later is found here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.core.errors import OpsbookError, Problem, errors_only
from generator.kb import schema
from generator.kb.documents import Index, load_all, shown_path, yaml_files
from generator.kb.model import KB
from generator.kb.validate import validate_kb
from generator.rules.conflicts import set_conflicts
from generator.rules.layer_files import (
    TESTS_FOLDER,
    Layer,
    layer_folders,
    overlay_folders,
    read_layers,
    rule_layer_of,
    test_folders,
)
from generator.rules.layers import build_ruleset, load_ruleset
from generator.rules.ruleset import RuleSet
from generator.schemas.ruletests_schema import case_shape


@dataclass(frozen=True)
class PlaybookResult:
    kb: KB | None
    problems: tuple[Problem, ...]
    counts: dict[str, int]
    index: Index


def rule_folders(rules_dir: Path) -> list[Path]:
    """Each folder of rules/ that is read, and the root its files must stay inside: a layer linked
    from elsewhere (a shared pack) is a folder of its own."""
    tests = rules_dir / TESTS_FOLDER  # an overlay's tests/ is inside its folder already
    return [*layer_folders(rules_dir), *([tests] if tests.is_dir() else [])]


def validate_playbook(kb_dir: Path, rules_dir: Path) -> PlaybookResult:
    result = validate_kb(kb_dir)
    problems = list(result.problems)
    layers, found = read_layers(rules_dir, every_pack=True)
    problems += found
    if result.kb is not None and not found:
        problems += _ruleset_problems(partial(build_ruleset, layers, result.kb))
    if result.kb is not None and not errors_only(problems):  # each overlay reads base again: report it once
        for folder in overlay_folders(rules_dir):
            problems += _ruleset_problems(partial(load_ruleset, rules_dir, result.kb, [folder]))
    problems += _test_file_problems(rules_dir, result.kb)
    problems += _unread_files(rules_dir)
    problems += _broken_layer_links(rules_dir)
    counts = {kind: len(result.index.of(key)) for kind, key in (
        ("phases", "phase"), ("steps", "step"), ("items", "item"), ("roles", "role"), ("kpis", "kpi"),
        ("glossary", "term"), ("templates", "template"), ("facts", "fact"))}
    counts["rules"] = _rule_count(layers)
    return PlaybookResult(result.kb, tuple(sorted(set(problems))), counts, result.index)


def _rule_count(layers: list[Layer]) -> int:
    return sum(len((doc.data or {}).get("rules") or []) for layer in layers for doc in layer.docs)


def _ruleset_problems(build: Callable[[], RuleSet]) -> list[Problem]:
    """The problems of one rule set: its files against the KB, then what would refuse plans later:
    rules setting one fact two ways, and what the engine cannot compile."""
    from generator.rules.durable.compiler import compile_rules

    try:
        rules = build().rules
    except OpsbookError as exc:
        return list(exc.problems)
    problems = list(set_conflicts(rules))
    try:
        compile_rules(rules)
    except OpsbookError as exc:
        problems += exc.problems
    return problems


def _test_file_problems(rules_dir: Path, kb: KB | None) -> list[Problem]:
    """Rule test files, found as `opsbook rules test` finds them, checked as it checks each file by
    itself (its shape and each case's facts); `opsbook rules test` runs them."""
    from generator.plan.ruletests import case_file_problems, case_files

    try:
        files = case_files((), rules_dir)
    except OpsbookError as exc:
        return list(exc.problems)
    problems: list[Problem] = []
    for path, root in files:
        docs, found = load_all([path], root)
        problems += found
        for doc in docs:
            problems += schema.check(doc, case_shape()) if kb is None else case_file_problems(doc, kb)
    return problems


def _unread_files(rules_dir: Path) -> Iterator[Problem]:
    """YAML files of rules/ outside every layer and tests folder: read by nothing, so said so."""
    tests = test_folders(rules_dir)
    for path in yaml_files(rules_dir) if rules_dir.is_dir() else []:
        if not _below_a_read_folder(path, rules_dir, tests):
            yield Problem(shown_path(path), 1, 1, "not read: rule files belong in rules/base/, rules/packs/<name>/ "
                                                  "or rules/clients/<name>/, rule test cases in rules/tests/",
                          "warning")


def _broken_layer_links(rules_dir: Path) -> Iterator[Problem]:
    """A pack or client folder that is a link to nothing: the layer it names would be missing silently."""
    for parent in (rules_dir / "packs", rules_dir / "clients"):
        for entry in sorted(parent.iterdir()) if parent.is_dir() else []:
            if entry.is_symlink() and not entry.exists():
                yield Problem(shown_path(entry), 1, 1, "cannot read folder: a dangling symbolic link (what it leads "
                                                       "to does not exist): fix or remove the link")


def _below_a_read_folder(path: Path, rules_dir: Path, tests: list[Path]) -> bool:
    """A file of a rule layer (read as one, or refused for not belonging there), or a rule test case."""
    return any(folder in path.parents for folder in tests) or rule_layer_of(path, rules_dir) is not None
