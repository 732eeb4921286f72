"""Validating the whole playbook: the knowledge base, then the rule files against it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.errors import OpsbookError, Problem
from generator.kb import schema
from generator.kb.documents import Index, load_all, yaml_files
from generator.kb.loader import Document, JsonPath
from generator.kb.model import KB
from generator.kb.validate import validate_kb
from generator.rules.check import RuleChecker


@dataclass(frozen=True)
class PlaybookResult:
    kb: KB | None
    problems: tuple[Problem, ...]
    counts: dict[str, int]
    index: Index


def rule_files(rules_dir: Path) -> list[Path]:
    """The rule files of the base layer and the packs (tests and client overlays are separate)."""
    paths = yaml_files(rules_dir / "base") if (rules_dir / "base").is_dir() else []
    packs = rules_dir / "packs"
    if packs.is_dir():
        paths += yaml_files(packs)
    return paths


def check_rule_documents(
    docs: list[Document], kb: KB | None, extra_items: set[str]
) -> tuple[list[Problem], list[tuple[Document, JsonPath]]]:
    problems: list[Problem] = []
    rules: list[tuple[Document, JsonPath]] = []
    for doc in docs:
        found = schema.check(doc, "rules")
        problems.extend(found)
        if not found:
            rules.extend((doc, ("rules", i)) for i in range(len(doc.data.get("rules") or [])))
    if kb is not None and not problems:
        problems.extend(RuleChecker(kb, extra_items).run(rules))
    return problems, rules


def validate_playbook(kb_dir: Path, rules_dir: Path) -> PlaybookResult:
    result = validate_kb(kb_dir)
    problems = list(result.problems)
    docs, load_problems = load_all(rule_files(rules_dir))
    problems.extend(load_problems)
    rule_problems, rules = check_rule_documents(docs, result.kb, set())
    problems.extend(rule_problems)
    counts = {kind: len(result.index.of(key)) for kind, key in (
        ("phases", "phase"), ("steps", "step"), ("items", "item"), ("roles", "role"), ("kpis", "kpi"),
        ("glossary", "term"), ("templates", "template"), ("facts", "fact"))}
    counts["rules"] = len(rules)
    if result.kb is not None and not problems:
        problems.extend(_overlay_problems(result.kb, rules_dir))
    problems.extend(_test_file_problems(rules_dir))
    return PlaybookResult(result.kb, tuple(sorted(set(problems))), counts, result.index)


def _test_file_problems(rules_dir: Path) -> list[Problem]:
    """Rule test files are checked against their schema here; `opsbook rules test` runs them."""
    folders = [rules_dir / "tests", *(folder / "tests" for folder in overlay_folders(rules_dir))]
    docs, problems = load_all([p for f in folders if f.is_dir() for p in yaml_files(f)])
    for doc in docs:
        problems.extend(schema.check(doc, "ruletests"))
    return problems


def overlay_folders(rules_dir: Path) -> list[Path]:
    clients = rules_dir / "clients"
    return sorted(p for p in clients.iterdir() if p.is_dir()) if clients.is_dir() else []


def _overlay_problems(kb: KB, rules_dir: Path) -> list[Problem]:
    """Each client overlay on top of the layers it extends: unknown rules, colliding items..."""
    from generator.rules.layers import load_ruleset

    problems: list[Problem] = []
    for folder in overlay_folders(rules_dir):
        try:
            load_ruleset(rules_dir, kb, [folder])
        except OpsbookError as exc:
            problems.extend(exc.problems)
    return problems
