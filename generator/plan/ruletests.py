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

from generator.core.errors import OpsbookError, Problem, suggest
from generator.facts.client import ClientFacts, facts_from_document
from generator.kb import schema
from generator.kb.documents import shown_path, yaml_files
from generator.kb.loader import Document, JsonPath, load_yaml
from generator.kb.model import KB
from generator.plan.explain import explain_item
from generator.plan.model import Plan
from generator.plan.playbook import Playbook
from generator.rules.layer_files import (
    OVERLAY_FILE,
    TESTS_FOLDER,
    disabled_rules,
    is_overlay_folder,
    misplaced,
    not_an_overlay,
    overlay_folders,
    rule_layer_of,
    test_folders,
    tests_overlay,
)
from generator.rules.meaning.results import FactError
from generator.schemas.ruletests_schema import case_shape

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
    An overlay folder stands for its tests/, the rules folder for every folder of test cases; by
    default: rules/tests/ and the tests/ of every overlay folder. Rule and overlay files are never
    read as test cases: given by name, each is a problem saying what to give."""
    found: list[tuple[Path, Path]] = []
    problems: list[Problem] = []
    for path in paths or test_folders(rules_dir):
        files, wrong = _cases_in(path, rules_dir)
        found += files
        problems += wrong
    if problems:
        raise OpsbookError(problems)
    return found


def _cases_in(path: Path, rules_dir: Path) -> tuple[list[tuple[Path, Path]], list[Problem]]:
    shown = shown_path(path)
    if not os.path.lexists(path):
        return [], [Problem(shown, 1, 1, "not found: give rule test files or folders of them")]
    if not path.is_dir():
        layer = rule_layer_of(path, rules_dir)
        if layer is None:
            return [(path, path)], []
        return [], [Problem(shown, 1, 1, _not_cases(path, layer, rules_dir))]
    if os.path.realpath(path) == os.path.realpath(rules_dir):
        folders = test_folders(rules_dir)
    elif is_overlay_folder(path, rules_dir):
        if not (path / TESTS_FOLDER).is_dir():
            return [], [Problem(shown, 1, 1, f"this overlay has no rule test cases: add them as YAML files in "
                                             f"`{shown_path(path / TESTS_FOLDER)}/`")]
        folders = [path / TESTS_FOLDER]
    else:
        folders = [path]
    listed = [(file, folder) for folder in folders for file in yaml_files(folder)]
    cases = [(file, folder) for file, folder in listed if rule_layer_of(file, rules_dir) is None]
    if listed and not cases:
        tests = shown_path(rules_dir / TESTS_FOLDER)
        return [], [Problem(shown, 1, 1, f"holds rule files, no rule test cases: give `{tests}`, an overlay "
                                         "folder or test case files")]
    return cases, []


def _not_cases(path: Path, layer: Path, rules_dir: Path) -> str:
    folder = shown_path(layer)
    why = None if is_overlay_folder(layer, rules_dir) else misplaced(path, layer)
    if why:  # a rule layer's tests/ or overlay.yaml: said as validate and plan say it
        return why
    settings = path.name == OVERLAY_FILE and path.absolute().parent == layer
    what = "an overlay's settings" if settings else f"a rule file of `{folder}`"
    return (f"{what}, not rule test cases: test cases go in rules/{TESTS_FOLDER}/ or in an overlay's "
            f"{TESTS_FOLDER}/ (`opsbook rules test {folder}` runs an overlay's cases)")


def _overlays(path: Path, doc: Document, rules_dir: Path) -> tuple[Path, ...]:
    """The overlays a test file's cases are planned with: the one whose tests/ holds it, then those it lists."""
    names = doc.data.get("overlays") or []
    listed = [path.parent / name for name in names]
    near = [os.path.relpath(folder, path.parent) for folder in overlay_folders(rules_dir)]
    wrong = [doc.problem(("overlays", i), _missing(name, near) if not folder.is_dir() else f"overlay `{name}`: {why}")
             for i, (name, folder) in enumerate(zip(names, listed, strict=True))
             if (why := not_an_overlay(folder, rules_dir))]
    if wrong:
        raise OpsbookError(wrong)
    inside = tests_overlay(path, rules_dir)
    own = (inside,) if inside else ()
    mine = {folder.resolve() for folder in own}
    return own + tuple(dict.fromkeys(f.resolve() for f in listed if f.resolve() not in mine))


def _missing(name: str, near: list[str]) -> str:
    return f"overlay folder `{name}` not found (paths are relative to this file){suggest(name, near)}"


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


def _unknown_rules(doc: Document, known: set[str]) -> Iterator[Problem]:
    """A rule no layer defines can neither fire nor stay silent for a reason: a typo, said as such."""
    for i, case in enumerate(doc.data["cases"]):
        for key in ("fired", "not_fired"):
            for j, rule in enumerate(case["expect"].get(key) or []):
                if rule not in known:
                    yield doc.problem(("cases", i, "expect", key, j), f"unknown rule `{rule}`{suggest(rule, known)}")


def run_file(path: Path, root: Path, load: Callable[[tuple[Path, ...]], Playbook], suite: Suite,
             rules_dir: Path) -> None:
    shown = shown_path(path)
    doc = load_yaml(path, shown, root=root)
    problems = schema.check(doc, case_shape())
    if problems:
        raise OpsbookError(problems)
    overlays = _overlays(path, doc, rules_dir)
    playbook = load(overlays)
    rules = {rule.id for rule in playbook.ruleset.rules} | disabled_rules(overlays)
    problems = [*_unknown_targets(doc, playbook), *_unknown_rules(doc, rules)]
    cases = _case_facts(doc, playbook.kb)
    problems += [p for facts in cases if isinstance(facts, OpsbookError) for p in facts.problems]
    if problems:
        raise OpsbookError(problems)
    refused: list[Problem] = []
    for i, case in enumerate(doc.data["cases"]):
        line, _ = doc.at(("cases", i))
        facts = cases[i]
        assert isinstance(facts, ClientFacts)
        try:
            plan = playbook.plan(facts, "en", START)
            fired = frozenset(f.rule for f in playbook.evaluate(facts).fired)
        except FactError as exc:  # a fact past the engine's limits: the case's mistake, at the fact
            refused.append(exc.problem(subdocument(doc, ("cases", i, "facts"))))
            continue
        failures = tuple(_check(playbook, facts, plan, fired, case["expect"]))
        suite.results.append(CaseResult(case["name"], f"{shown}:{line}", failures, fired,
                                        frozenset(it.step for it in plan.items)))
    if refused:
        raise OpsbookError(refused)


def _case_facts(doc: Document, kb: KB) -> list[ClientFacts | OpsbookError]:
    """The facts of each case of a test file (shaped as case_shape says), or why the facts loader refuses them."""
    found: list[ClientFacts | OpsbookError] = []
    for i in range(len(doc.data["cases"])):
        try:
            found.append(facts_from_document(subdocument(doc, ("cases", i, "facts")), kb))
        except OpsbookError as exc:
            found.append(exc)
    return found


def case_file_problems(doc: Document, kb: KB) -> list[Problem]:
    """What is wrong with a rule test file by itself: its shape, then each case's facts. (Which steps,
    items and rules it names depends on the overlays its cases are planned with.)"""
    problems = schema.check(doc, case_shape())
    if problems:
        return problems
    return [p for facts in _case_facts(doc, kb) if isinstance(facts, OpsbookError) for p in facts.problems]


def run_suite(files: Sequence[tuple[Path, Path]], load: Callable[[tuple[Path, ...]], Playbook],
              rules_dir: Path) -> Suite:
    """Run every case of `files` (each with the folder it was found in, as case_files gives them)."""
    suite = Suite()
    problems: list[Problem] = []
    for path, root in files:
        try:
            run_file(path, root, load, suite, rules_dir)
        except OpsbookError as exc:
            problems.extend(exc.problems)
    if problems:
        raise OpsbookError(problems)
    return suite
