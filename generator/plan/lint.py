"""`lint`: quality warnings a consultant acts on, beyond what validation refuses: unreachable
items, rules that never fire or are shadowed, unused facts and KPIs, KPI comparisons on a KPI's
good side, one piece of work done twice (generator.plan.lint_duplicates), translations (of the KB and
of every rule layer: base, packs and client overlays)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from generator.core.errors import Problem
from generator.kb.documents import Index
from generator.kb.loader import Document, JsonPath
from generator.kb.model import KB, Kpi
from generator.kb.translations import text_hash
from generator.plan.lint_duplicates import (
    duplicate_work,
    example_files,
    example_plans,
    lone_work,
    near_duplicates,
)
from generator.plan.model import Plan
from generator.plan.planner import Catalogue, catalogue
from generator.plan.playbook_check import validate_playbook
from generator.plan.targets import NEGATED
from generator.plan.wording import show
from generator.rules.layer_files import overlay_folders, read_layers
from generator.rules.logic import implies, satisfiable
from generator.rules.model import Condition, Leaf, Rule, leaves, leaves_negated
from generator.rules.ruleset import RuleSet

# Facts that describe the client for the plan's heading, not for rules to test.
# Facts the planner reads (names, dates, staffing, calendar), not the rules.
METADATA_FACTS = {"client.name", "client.note", "start_date", "team", "plan_share", "country", "lang"}
_CJK = re.compile(r"[\u3400-\u9fff]")
START = dt.date(2026, 1, 5)  # an example without a start date: its plan is read for content, not dates


def _warn(loc: tuple[str, int, int] | None, message: str) -> Problem:
    path, line, col = loc or ("", 0, 0)
    return Problem(path, line, col, message, "warning")


def _facts_in(cond: Condition | None) -> Iterator[str]:
    return (leaf.fact for leaf in leaves(cond))


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


def unused_kpis(kb: KB, ruleset: RuleSet) -> Iterator[Problem]:
    """A KPI no rule reads never drives a plan: its value changes nothing."""
    used = {f for r in ruleset.rules for f in _facts_in(r.when)}
    for kpi in kb.kpis:
        if f"kpis.{kpi.id}" not in used:
            yield _warn(kpi.loc, f"KPI `{kpi.id}` is read by no rule, so its value never changes a plan: add a "
                                 f"rule that compares `kpis.{kpi.id}` with its levels, or drop the KPI")


def _flags(kb: KB, rule: Rule) -> Iterator[tuple[Leaf, Kpi, float]]:
    """The rule's plain comparisons of a KPI with a level (not under a `not`)."""
    for leaf, negated in leaves_negated(rule.when):
        kpi = kb.kpi_by_id.get(leaf.fact.removeprefix("kpis.")) if leaf.fact.startswith("kpis.") else None
        level = leaf.value
        if kpi is not None and not negated and leaf.op in NEGATED and isinstance(level, int | float) \
                and not isinstance(level, bool):
            yield leaf, kpi, float(level)


def kpi_good_side(kb: KB, ruleset: RuleSet) -> Iterator[Problem]:
    """A plain comparison of a KPI in a rule that adds work is read as a flag on the KPI's bad side
    (the plan's KPI targets are the far side of it); on the good side it would aim the wrong way."""
    for rule in ruleset.rules:
        flags = _flags(kb, rule) if rule.then.include else iter(())
        for leaf, kpi, level in flags:
            if kpi.bad_side(leaf.op, level):
                continue
            guard = f"not: {{fact: {leaf.fact}, {NEGATED[leaf.op]}: {show(level)}}}"
            yield _warn(rule.location, f"rule `{rule.id}` acts on `{leaf.fact} {leaf.op} {show(level)}`, the good "
                                       f"side of `{kpi.id}` ({_good(kpi)}): plans would aim the KPI the wrong way; "
                                       f"state it as a guard, `{guard}` (with `exists: true`)")


def _good(kpi: Kpi) -> str:
    if kpi.band is not None:
        return f"healthy from {show(kpi.band.low)} to {show(kpi.band.high)}"
    return kpi.direction.replace("_", " ")


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


def kb_documents(index: Index) -> list[Document]:
    return list({id(e.doc): e.doc for entries in index.entries.values() for e in entries}.values())


def rule_documents(rules_dir: Path) -> list[Document]:
    """Every rule, item and overlay file of base, the packs and the client overlays, read as plan reads them."""
    layers, _ = read_layers(rules_dir, overlay_folders(rules_dir), every_pack=True)
    return [doc for layer in layers for doc in ([layer.overlay] if layer.overlay else []) + layer.docs]


def translations(docs: Iterable[Document]) -> Iterator[Problem]:
    """English that is Chinese still, Chinese that is not, and English older than its Chinese text."""
    for doc in docs:
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


def work_done_twice(kb_dir: Path, rules_dir: Path, ruleset: RuleSet, cat: Catalogue) -> Iterator[Problem]:
    """Plan every example of the playbook (each once) and report work its plan does twice."""
    from generator.facts.client import load_facts
    from generator.plan.playbook import load_playbook

    playbook = load_playbook(kb_dir, rules_dir)

    def plan(path: Path) -> Plan:
        facts = load_facts(path, playbook.kb)
        return playbook.plan(facts, "en", facts.start_date or START)

    plans, problems = example_plans(example_files(kb_dir), plan)
    yield from problems
    where = {r.id: r.location for r in ruleset.rules}
    yield from duplicate_work(plans, cat.items, where.get)


def lint(kb_dir: Path, rules_dir: Path) -> tuple[Problem, ...]:
    """Validation problems first; then, on a valid playbook, the quality warnings."""
    from generator.rules.layers import load_ruleset

    result = validate_playbook(kb_dir, rules_dir)
    problems = list(result.problems)
    if result.kb is None or any(p.severity == "error" for p in problems):
        return tuple(problems)
    kb = result.kb
    ruleset = load_ruleset(rules_dir, kb)
    cat = catalogue(kb, ruleset.items)
    for found in (unreachable(kb, ruleset, cat), never_fire(ruleset), shadowed(ruleset, cat),
                  unused_facts(kb, ruleset), unused_kpis(kb, ruleset), kpi_good_side(kb, ruleset),
                  near_duplicates(cat.items.values()), lone_work(cat.items.values()),
                  work_done_twice(kb_dir, rules_dir, ruleset, cat),
                  translations([*kb_documents(result.index), *rule_documents(rules_dir)])):
        problems.extend(found)
    return tuple(sorted(set(problems)))
