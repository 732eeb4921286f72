"""Why an item is not in a plan, and the smallest change to the facts that would put it there.

The search tries changes to the facts that the relevant rules test: one fact at a time,
then pairs, then triples, and re-evaluates the rules with the reference evaluator after
each change. The first size that works is the smallest change.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from generator.kb.model import KB
from generator.plan.planner import Catalogue
from generator.rules.meaning.reference import evaluate_reference
from generator.rules.meaning.results import Evaluation, Match, RuleError
from generator.rules.meaning.semantics import explain
from generator.rules.model import Leaf, Rule, leaves
from generator.rules.operators import OPERATORS, Subject
from generator.rules.python.level_functions import PythonEngine

Facts = Mapping[str, object]
Change = tuple[str, object]  # (fact, new value); None removes the fact
MAX_SIZE = 3


@dataclass(frozen=True)
class Miss:
    """A rule that could include the item, and the leaf conditions that failed."""

    rule: Rule
    failed: tuple[Match, ...]


def candidates(cat: Catalogue, rules: Sequence[Rule], item_id: str, step: str) -> tuple[Rule, ...]:
    return tuple(r for r in rules if item_id in r.then.include or step in r.then.include)


def misses(rules: Sequence[Rule], facts: Facts) -> tuple[Miss, ...]:
    out = []
    for rule in rules:
        result = explain(rule.when, facts)
        if not result.held:
            out.append(Miss(rule, result.reasons))
    return tuple(out)


def included(cat: Catalogue, rules: Sequence[Rule], facts: Facts, item_id: str,
             evaluate: Callable[[Facts], Evaluation] | None = None) -> bool:
    """Whether the rules put the item in a plan for these facts (`evaluate`, the reference
    evaluator's answer by default)."""
    by_id = {r.id: r for r in rules}
    try:
        evaluation = evaluate(facts) if evaluate is not None else evaluate_reference(rules, facts)
    except RuleError:
        return False  # facts on which the rules cannot settle include nothing
    fired = [by_id[f.rule] for f in evaluation.fired]
    ins = any(item_id in cat.expand(t) for r in fired for t in r.then.include)
    outs = any(item_id in cat.expand(t) for r in fired for t in r.then.exclude)
    return ins and not outs


def _values(leaf: Leaf, facts: Facts, kb: KB) -> Iterator[object]:
    """Values of the leaf's fact that make the leaf true, and that make it false."""
    fact = kb.fact_by_id.get(leaf.fact)
    kpi = kb.kpi_by_id.get(leaf.fact.removeprefix("kpis.")) if fact is None else None
    return OPERATORS[leaf.op].tries(leaf.value, Subject(facts.get(leaf.fact), fact, kpi))


def _options(relevant: Sequence[Rule], derived: set[str], facts: Facts, kb: KB) -> list[Change]:
    changes: dict[Change, None] = {}
    for rule in relevant:
        for leaf in leaves(rule.when):
            if leaf.fact in derived:
                continue  # derived facts change through the rules that set them
            for value in _values(leaf, facts, kb):
                if value != facts.get(leaf.fact):
                    changes[(leaf.fact, value)] = None
    return sorted(changes, key=lambda c: (c[0], _distance(kb, c, facts), repr(c[1])))


def _distance(kb: KB, change: Change, facts: Facts) -> float:
    """How far a change moves a fact, so the nearest value is tried first."""
    fact, value = change
    current = facts.get(fact)
    declared = kb.fact_by_id.get(fact)
    if (
        declared is not None
        and declared.type == "enum"
        and value in declared.value_ids
        and current in declared.value_ids
    ):
        return abs(declared.value_ids.index(str(value)) - declared.value_ids.index(str(current)))
    if isinstance(value, int | float) and isinstance(current, int | float):
        return abs(float(value) - float(current))
    if isinstance(value, tuple) and isinstance(current, tuple):
        return len(set(value) ^ set(current))
    return 1.0


def _relevant(rules: Sequence[Rule], targets: Sequence[Rule]) -> list[Rule]:
    """The target rules, the rules that exclude things, and the rules deriving facts they test."""
    chosen = {r.id: r for r in targets}
    chosen.update((r.id, r) for r in rules if r.then.exclude)
    frontier = list(targets)
    while frontier:
        needed = {leaf.fact for rule in frontier for leaf in leaves(rule.when)}
        frontier = [r for r in rules if r.id not in chosen and any(n in needed for n, _ in r.then.set)]
        chosen.update((r.id, r) for r in frontier)
    return list(chosen.values())


def smallest_change(kb: KB, cat: Catalogue, rules: Sequence[Rule], facts: Facts, item_id: str,
                    targets: Sequence[Rule]) -> tuple[Change, ...] | None:
    derived = {name for r in rules for name, _ in r.then.set} | {f.id for f in kb.facts if f.derived}
    options = _options(_relevant(rules, targets), derived, facts, kb)
    evaluate = PythonEngine(rules).evaluate  # the same answers as the reference, compiled: many are asked
    for size in range(1, MAX_SIZE + 1):
        for combo in itertools.combinations(options, size):
            if len({fact for fact, _ in combo}) < size:
                continue
            changed = dict(facts)
            for fact, value in combo:
                if value is None:
                    changed.pop(fact, None)
                else:
                    changed[fact] = value
            if included(cat, rules, changed, item_id, evaluate):
                return combo
    return None
