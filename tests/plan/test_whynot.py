"""explain's "why not": whenever changing one fact would put an item in the plan, the
smallest change it proposes is found, and applying what it proposes puts the item in.

The single-fact changes are enumerated here independently of the search: every value of
every declared fact, each threshold some rule compares a number with (and one step either
side), and removing the fact.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType

import pytest

from generator.facts.client import load_facts
from generator.plan.explain import explain_item
from generator.plan.playbook import Playbook
from generator.plan.whynot import candidates, included, smallest_change
from generator.rules.meaning.semantics import explain
from generator.rules.model import Action, All, Any_, Condition, Leaf, Not, Rule, condition_from_data
from generator.rules.python.level_functions import PythonEngine

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PER_EXAMPLE = 6


def _leaves(cond: Condition | None) -> Iterator[Leaf]:
    if isinstance(cond, Leaf):
        yield cond
    elif isinstance(cond, Not):
        yield from _leaves(cond.child)
    elif isinstance(cond, All | Any_):
        for child in cond.children:
            yield from _leaves(child)


def _single_changes(playbook: Playbook, facts: Mapping[str, object]) -> Iterator[tuple[str, object]]:
    kb = playbook.kb
    numbers: dict[str, set[float]] = {}
    for rule in playbook.ruleset.rules:
        for leaf in _leaves(rule.when):
            if isinstance(leaf.value, int | float) and not isinstance(leaf.value, bool):
                numbers.setdefault(leaf.fact, set()).add(leaf.value)
    derived = {name for r in playbook.ruleset.rules for name, _ in r.then.set}
    for fact in kb.facts:
        if fact.derived or fact.id in derived:
            continue
        if fact.type == "enum":
            yield from ((fact.id, v) for v in fact.value_ids)
        elif fact.type == "bool":
            yield from ((fact.id, v) for v in (True, False))
        elif fact.type == "list":
            have = tuple(facts.get(fact.id) or ())  # type: ignore[arg-type]
            yield from ((fact.id, tuple(sorted({*have, v}))) for v in fact.value_ids)
    for name, levels in numbers.items():
        if name in derived:
            continue
        integer = name in kb.fact_by_id and kb.fact_by_id[name].type == "integer"
        for level in levels:
            for value in (level - 1, level, level + 1) if integer else (level * 0.99, level, level * 1.01, level + 1):
                yield name, int(value) if integer else round(float(value), 6)
    for name in facts:
        yield name, None


@pytest.mark.parametrize("sparse", [False, True], ids=["as given", "required facts only"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_why_not_finds_every_one_fact_change(playbook: Playbook, example: Path, sparse: bool) -> None:
    facts = load_facts(example, playbook.kb)
    if sparse:  # facts not given at all, which `ne`, `not_in` and `exists` must still reach
        required = {f.id for f in playbook.kb.facts if f.required}
        kept = {k: v for k, v in facts.values.items() if k in required or k.startswith("client.")}
        facts = dataclasses.replace(facts, values=MappingProxyType(kept))
    plan = playbook.plan(facts, "en")
    cat, rules = playbook.catalogue, playbook.ruleset.rules
    inside = {item.id for item in plan.items}
    missing = [i for i in cat.items if i not in inside and candidates(cat, rules, i, cat.items[i].step)]
    fast = PythonEngine(rules)

    def includes(changed: Mapping[str, object], item: str) -> bool:
        try:
            fired = {f.rule for f in fast.evaluate(changed).fired}
        except Exception:
            return False
        ins = any(item in cat.expand(t) for r in rules if r.id in fired for t in r.then.include)
        outs = any(item in cat.expand(t) for r in rules if r.id in fired for t in r.then.exclude)
        return ins and not outs

    for item in random.Random(example.stem).sample(missing, min(PER_EXAMPLE, len(missing))):
        one = next(((name, value) for name, value in _single_changes(playbook, facts.values)
                    if includes(_changed(facts.values, name, value), item)), None)
        if one is None:
            continue  # the search would go on to pairs and triples: slow, and not what is checked here
        targets = candidates(cat, rules, item, cat.items[item].step)
        change = smallest_change(playbook.kb, cat, rules, facts.values, item, targets)
        assert change is not None and len(change) == 1, (example.stem, item, one, change)
        (name, value), = change
        assert included(cat, rules, _changed(facts.values, name, value), item), (example.stem, item, change)


def _changed(facts: Mapping[str, object], name: str, value: object) -> dict[str, object]:
    changed = dict(facts)
    if value is None:
        changed.pop(name, None)
    else:
        changed[name] = value
    return changed


def test_why_not_reads_derived_facts_and_names_priority_in_chinese(playbook: Playbook) -> None:
    facts = load_facts(ROOT / "examples" / "coffee-chain.yaml", playbook.kb)
    plan = playbook.plan(facts, "zh")
    item = plan.items[0]
    text = "\n".join(explain_item(playbook, facts, plan, item.id))
    assert f"优先级 {dict(critical='紧急', high='高', medium='中', low='低')[item.priority]}" in text
    # a rule that did not fire for a fact the plan derived (`service_only` for a consultancy):
    # its failed test shows the derived value, not "not given"
    facts = load_facts(ROOT / "examples" / "consulting-firm.yaml", playbook.kb)
    plan = playbook.plan(facts, "zh")
    fired = {f.rule for f in playbook.evaluate(facts).fired}
    seen = {**facts.values, **plan.derived}
    rule, name = next((r, m.fact) for r in playbook.ruleset.rules if r.id not in fired and r.then.include
                      for m in explain(r.when, seen).reasons if m.fact in plan.derived)
    cat = playbook.catalogue
    missing = next(i for t in rule.then.include for i in cat.expand(t) if plan.item(i) is None)
    lines = [line for line in explain_item(playbook, facts, plan, missing) if line.strip().startswith("未满足")]
    shown = [line for line in lines if f" {name} " in f" {line} "]
    assert shown and not [line for line in shown if "未填写" in line], lines


@pytest.mark.parametrize("when", [
    {"fact": "team_size", "ne": 5},
    {"fact": "plan_share", "not_in": [0.5]},
    {"fact": "kpis.nps", "exists": True},
    {"fact": "has_production", "ne": False},
    {"fact": "channels", "contains": "online_store"},
], ids=["ne", "not_in", "exists", "ne bool", "contains"])
def test_why_not_gives_a_fact_that_is_not_given(playbook: Playbook, when: dict[str, object]) -> None:
    facts = load_facts(ROOT / "examples" / "saas-idea.yaml", playbook.kb)
    name = str(when["fact"])
    facts = dataclasses.replace(facts, values=MappingProxyType({k: v for k, v in facts.values.items()
                                                                 if k != name}))
    cat = playbook.catalogue
    plan = playbook.plan(facts, "en")
    item = next(i for i in cat.items if plan.item(i) is None and not any(
        i in cat.expand(t) for r in playbook.ruleset.rules for t in r.then.exclude))
    rule = Rule("probe", "探针", "probe", condition_from_data(when), Action(include=(item,)))
    rules = (*playbook.ruleset.rules, rule)
    change = smallest_change(playbook.kb, cat, rules, facts.values, item, (rule,))
    assert change is not None and len(change) == 1 and change[0][0] == name, change
    (fact, value), = change
    declared = playbook.kb.fact_by_id.get(fact)
    if declared is not None and declared.min is not None:  # a value the facts file would accept
        assert declared.min <= value <= (declared.max if declared.max is not None else value)  # type: ignore[operator]
