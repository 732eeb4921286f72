"""Rule test cases: facts in, expected plan contents out, tested like code.

A case file (`rules/tests/*.yaml`, or `tests/` inside an overlay folder) holds
`cases: [{name, facts, expect: {include, exclude, priority, fired, not_fired}}]`.
A step ID in `include` means all its items are in the plan; in `exclude`, none is.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import OpsbookError, Problem, suggest
from generator.facts import ClientFacts, facts_from_document
from generator.kb import schema
from generator.kb.documents import shown_path, yaml_files
from generator.kb.loader import Document, JsonPath, load_yaml
from generator.plan.explain import explain_item
from generator.plan.model import Plan
from generator.plan.playbook import Playbook
from generator.rules.layer_files import OVERLAY_FILE, TESTS_FOLDER, overlay_folders

START = dt.date(2026, 1, 5)  # any fixed Monday: cases test content, not dates


@dataclass(frozen=True)
class CaseResult:
    name: str
    where: str
    failures: tuple[str, ...]
    fired: frozenset[str]
    steps: frozenset[str]

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class Suite:
    results: list[CaseResult] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(not r.passed for r in self.results)


def subdocument(doc: Document, path: JsonPath) -> Document:
    """The part of `doc` at `path`, keeping the original positions."""
    data = doc.data
    for key in path:
        data = data[key]
    size = len(path)
    marks = {k[size:]: v for k, v in doc.marks.items() if k[:size] == path}
    keys = {k[size:]: v for k, v in doc.key_marks.items() if k[:size] == path}
    return Document(doc.path, data, marks, keys)


def case_files(paths: Sequence[Path], rules_dir: Path) -> list[tuple[Path, Path]]:
    """Each rule test file, with the folder it was found in (a file given by name stands for itself).
    By default: rules/tests/ and the tests/ of every overlay folder."""
    if not paths:
        folders = [rules_dir / TESTS_FOLDER, *(folder / TESTS_FOLDER for folder in overlay_folders(rules_dir))]
        paths = [folder for folder in folders if folder.is_dir()]
    missing = [Problem(shown_path(p), 1, 1, "not found: give rule test files or folders of them")
               for p in paths if not os.path.lexists(p)]
    if missing:
        raise OpsbookError(missing)
    return [(file, root) for root in paths for file in yaml_files(root)]


def _overlays(path: Path, doc: Document) -> tuple[Path, ...]:
    names = doc.data.get("overlays") or []
    missing = [doc.problem(("overlays", i), f"overlay folder `{name}` not found (paths are relative to this file)")
               for i, name in enumerate(names) if not (path.parent / name).is_dir()]
    if missing:
        raise OpsbookError(missing)
    listed = tuple((path.parent / o).resolve() for o in names)
    # lexists: an overlay.yaml that is a broken link is the overlay's to refuse, not a reason to test without it
    in_overlay_tests = path.parent.name == TESTS_FOLDER and os.path.lexists(path.parent.parent / OVERLAY_FILE)
    inside = (path.parent.parent,) if in_overlay_tests else ()
    return inside + listed


def _targets(playbook: Playbook, ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
    cat = playbook.catalogue
    return {i: cat.expand(i) for i in ids}


def _check(playbook: Playbook, facts: ClientFacts, plan: Plan, fired: frozenset[str],
           expect: dict[str, Any]) -> Iterator[str]:
    have = {i.id: i for i in plan.items}
    for target, members in _targets(playbook, expect.get("include") or []).items():
        missing = [m for m in members if m not in have] if members else [target]
        if missing:
            yield f"expected `{target}` in the plan; missing: {', '.join(missing)}"
            yield from ("    " + line for line in explain_item(playbook, facts, plan, missing[0]))
    for target, members in _targets(playbook, expect.get("exclude") or []).items():
        present = [m for m in members if m in have]
        if present:
            yield f"expected `{target}` not in the plan; present: {', '.join(present)}"
            yield from ("    " + line for line in explain_item(playbook, facts, plan, present[0]))
    for target, level in (expect.get("priority") or {}).items():
        for member in _targets(playbook, [target])[target] or [target]:
            item = have.get(member)
            actual = item.priority if item else "not in the plan"
            if actual != level:
                yield f"expected `{member}` at priority {level}, got {actual}"
                yield from ("    " + line for line in explain_item(playbook, facts, plan, member))
    for rule in expect.get("fired") or []:
        if rule not in fired:
            yield f"expected rule `{rule}` to fire; it did not"
    for rule in expect.get("not_fired") or []:
        if rule in fired:
            yield f"expected rule `{rule}` not to fire; it fired"


def _unknown_targets(doc: Document, playbook: Playbook) -> Iterator[Problem]:
    """Expectations no plan can meet: a step or item that does not exist is a typo, not a failing case."""
    cat = playbook.catalogue
    known = {*cat.items, *cat.by_step}
    for i, case in enumerate(doc.data["cases"]):
        expect = case["expect"]
        for key in ("include", "exclude", "priority"):
            listed = expect.get(key) or []
            for j, target in enumerate(listed):
                if target not in known:
                    where = ("cases", i, "expect", key, target if key == "priority" else j)
                    yield doc.problem(where, f"unknown step or item `{target}`{suggest(target, known)}",
                                      key=key == "priority")


def run_file(path: Path, root: Path, load: Callable[[tuple[Path, ...]], Playbook], suite: Suite) -> None:
    shown = shown_path(path)
    doc = load_yaml(path, shown, root=root)
    problems = schema.check(doc, "ruletests")
    if problems:
        raise OpsbookError(problems)
    playbook = load(_overlays(path, doc))
    problems = list(_unknown_targets(doc, playbook))
    if problems:
        raise OpsbookError(problems)
    for i, case in enumerate(doc.data["cases"]):
        line, _ = doc.at(("cases", i))
        facts = facts_from_document(subdocument(doc, ("cases", i, "facts")), playbook.kb)
        plan = playbook.plan(facts, "en", START)
        fired = frozenset(f.rule for f in playbook.evaluate(facts).fired)
        failures = tuple(_check(playbook, facts, plan, fired, case["expect"]))
        suite.results.append(CaseResult(case["name"], f"{shown}:{line}", failures, fired,
                                        frozenset(it.step for it in plan.items)))


def run_suite(files: Sequence[tuple[Path, Path]], load: Callable[[tuple[Path, ...]], Playbook]) -> Suite:
    """Run every case of `files` (each with the folder it was found in, as case_files gives them)."""
    suite = Suite()
    problems: list[Problem] = []
    for path, root in files:
        try:
            run_file(path, root, load, suite)
        except OpsbookError as exc:
            problems.extend(exc.problems)
    if problems:
        raise OpsbookError(problems)
    return suite
