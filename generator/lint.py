"""`lint`: quality warnings a consultant acts on, beyond what validation refuses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.errors import Problem
from generator.kb.documents import Index
from generator.kb.loader import JsonPath
from generator.kb.model import KB
from generator.plan.planner import Catalogue, catalogue
from generator.rules.logic import implies, satisfiable
from generator.rules.model import All, Any_, Condition, Leaf, Not, Rule
from generator.rules.ruleset import RuleSet
from generator.translations import text_hash
from generator.validate import validate_playbook

# Facts that describe the client for the plan's heading, not for rules to test.
# Facts the planner reads (names, dates, staffing, calendar), not the rules.
METADATA_FACTS = {"client.name", "client.note", "start_date", "team", "plan_share", "country"}
_CJK = re.compile(r"[\u3400-\u9fff]")


def _warn(loc: tuple[str, int, int] | None, message: str) -> Problem:
    path, line, col = loc or ("", 0, 0)
    return Problem(path, line, col, message, "warning")


def _facts_in(cond: Condition | None) -> Iterator[str]:
    if isinstance(cond, Leaf):
        yield cond.fact
    elif isinstance(cond, Not):
        yield from _facts_in(cond.child)
    elif isinstance(cond, All | Any_):
        for child in cond.children:
            yield from _facts_in(child)


def unreachable(kb: KB, ruleset: RuleSet, cat: Catalogue) -> Iterator[Problem]:
    live = [r for r in ruleset.rules if satisfiable(r.when) is not False]
    reached = {i for r in live for t in r.then.include for i in cat.expand(t)}
    always_out = {i for r in live if r.when is None for t in r.then.exclude for i in cat.expand(t)}
    for step in kb.steps:
        members = cat.by_step[step.id]
        if not any(m in reached and m not in always_out for m in members):
            yield _warn(step.loc, f"step `{step.id}` is in no plan: no rule that can fire includes it")
            continue
        for item_id in members:
            if item_id not in reached or item_id in always_out:
                message = f"item `{item_id}` is in no plan: no rule that can fire includes it"
                yield _warn(cat.items[item_id].loc, message)


def never_fire(ruleset: RuleSet) -> Iterator[Problem]:
    for rule in ruleset.rules:
        if satisfiable(rule.when) is False:
            yield _warn(rule.location, f"rule `{rule.id}` can never fire: its conditions contradict each other")


def _covers(a: Rule, b: Rule, cat: Catalogue) -> bool:
    """Whether everything rule `a` does, rule `b` does too."""
    def items(targets: tuple[str, ...]) -> set[str]:
        return {i for t in targets for i in cat.expand(t)}

    rank = {"critical": 0, "high": 1, "medium": 2, "low": 3, None: 4}
    return (items(a.then.include) <= items(b.then.include) and items(a.then.exclude) <= items(b.then.exclude)
            and set(a.then.set) <= set(b.then.set) and rank[a.then.priority] >= rank[b.then.priority])


def shadowed(ruleset: RuleSet, cat: Catalogue) -> Iterator[Problem]:
    for a in ruleset.rules:
        for b in ruleset.rules:
            if a.id != b.id and _covers(a, b, cat) and implies(a.when, b.when) and not (
                    _covers(b, a, cat) and implies(b.when, a.when) and b.id > a.id):
                yield _warn(a.location, f"rule `{a.id}` is shadowed by `{b.id}`: whenever it fires, "
                            f"`{b.id}` fires too and does everything it does")
                break


def unused_facts(kb: KB, ruleset: RuleSet) -> Iterator[Problem]:
    used = {f for r in ruleset.rules for f in _facts_in(r.when)}
    for fact in kb.facts:
        if fact.id in METADATA_FACTS:
            continue
        prefix = fact.id + "."
        hit = any(u.startswith(prefix) for u in used) if fact.type == "kpis" else fact.id in used
        if not hit:
            yield _warn(fact.loc, f"fact `{fact.id}` is declared but no rule uses it")


def _texts(data: Any, path: JsonPath) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    if isinstance(data, dict):
        if isinstance(data.get("zh"), str) and isinstance(data.get("en"), str):
            yield path, data
            return
        for key, value in data.items():
            yield from _texts(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts(value, (*path, i))


def translations(index: Index) -> Iterator[Problem]:
    docs = {id(e.doc): e.doc for entries in index.entries.values() for e in entries}
    for doc in docs.values():
        for path, text in _texts(doc.data, ()):
            zh, en = text["zh"], text["en"]
            if _CJK.search(en):
                yield doc.problem((*path, "en"), "English text contains Chinese: translate it", severity="warning")
            elif not _CJK.search(zh) and len(zh) > 12:
                yield doc.problem((*path, "zh"), "Chinese text has no Chinese: translate it", severity="warning")
            stamp = text.get("en_src")
            if stamp and stamp != text_hash(zh):
                yield doc.problem((*path, "en"), "the English translation is older than the Chinese text: "
                                  f"update it, then set `en_src: {text_hash(zh)}`", severity="warning")


def lint(kb_dir: Path, rules_dir: Path) -> tuple[Problem, ...]:
    """Validation problems first; then, on a valid playbook, the quality warnings."""
    from generator.rules.layers import load_ruleset

    result = validate_playbook(kb_dir, rules_dir)
    problems = list(result.problems)
    if result.kb is None or any(p.severity == "error" for p in problems):
        return tuple(problems)
    ruleset = load_ruleset(rules_dir, result.kb)
    cat = catalogue(result.kb, ruleset.items)
    index = result.index
    for found in (unreachable(result.kb, ruleset, cat), never_fire(ruleset), shadowed(ruleset, cat),
                  unused_facts(result.kb, ruleset), translations(index)):
        problems.extend(found)
    return tuple(sorted(set(problems)))
