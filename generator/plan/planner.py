"""From the rules that fired to plan items: what is in, its priority, owner, dates, and why."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.facts import ClientFacts
from generator.kb.model import KB, Item
from generator.plan.model import (
    DEFAULT_PRIORITY,
    PRIORITY_RANK,
    Excluded,
    Matched,
    Plan,
    PlanItem,
    Reason,
)
from generator.rules.engine import Evaluation
from generator.rules.layers import RuleSet

RECURRENCE = {"once": None, "weekly": "FREQ=WEEKLY", "monthly": "FREQ=MONTHLY",
              "quarterly": "FREQ=MONTHLY;INTERVAL=3"}


@dataclass(frozen=True)
class Catalogue:
    """The checklist items a plan can hold, in playbook order, and how steps expand."""

    items: Mapping[str, Item]
    by_step: Mapping[str, tuple[str, ...]]

    def expand(self, target: str) -> tuple[str, ...]:
        return self.by_step.get(target) or ((target,) if target in self.items else ())


def catalogue(kb: KB, extra: Iterable[Item]) -> Catalogue:
    extra_by_step: dict[str, list[Item]] = {}
    for item in extra:
        extra_by_step.setdefault(item.step, []).append(item)
    items: dict[str, Item] = {}
    by_step: dict[str, tuple[str, ...]] = {}
    for step in kb.steps:
        members = (*step.items, *extra_by_step.get(step.id, ()))
        items.update((i.id, i) for i in members)
        by_step[step.id] = tuple(i.id for i in members)
    return Catalogue(items, by_step)


def _reasons(
    evaluation: Evaluation, ruleset: RuleSet, lang: str
) -> list[tuple[Reason, tuple[str, ...], tuple[str, ...], str | None]]:
    rules = {r.id: r for r in ruleset.rules}
    out = []
    for firing in evaluation.fired:
        rule = rules[firing.rule]
        matched = tuple(Matched(m.fact, m.op, m.value, m.actual) for m in firing.matched)
        title = rule.title_en if lang == "en" else rule.title_zh
        reason = Reason(rule.id, firing.layer, title, matched)
        out.append((reason, rule.then.include, rule.then.exclude, rule.then.priority))
    return out


def _due_dates(chosen: list[Item], start: dt.date) -> dict[str, dt.date]:
    """Start + offset, pushed later so that nothing is due before what it depends on."""
    by_id = {i.id: i for i in chosen}
    due: dict[str, dt.date] = {}

    def resolve(item_id: str) -> dt.date:
        if item_id not in due:
            item = by_id[item_id]
            own = start + dt.timedelta(days=item.due_days)
            deps = [resolve(d) for d in item.depends_on if d in by_id]
            due[item_id] = max([own, *deps])
        return due[item_id]

    for item in chosen:
        resolve(item.id)
    return due


def build_plan(kb: KB, ruleset: RuleSet, evaluation: Evaluation, facts: ClientFacts,
               lang: str, start: dt.date) -> Plan:
    """The plan for one client: a pure function of the KB, the rules, the evaluation and the facts."""
    cat = catalogue(kb, ruleset.items)
    because: dict[str, list[Reason]] = {}
    excluded: dict[str, list[Reason]] = {}
    priority: dict[str, str] = {}
    for reason, include, exclude, prio in _reasons(evaluation, ruleset, lang):
        for target in include:
            for item_id in cat.expand(target):
                because.setdefault(item_id, []).append(reason)
                if prio and (item_id not in priority or PRIORITY_RANK[prio] < PRIORITY_RANK[priority[item_id]]):
                    priority[item_id] = prio  # the highest priority any rule gave
        for target in exclude:
            for item_id in cat.expand(target):
                excluded.setdefault(item_id, []).append(reason)
    chosen = [item for item_id, item in cat.items.items() if item_id in because and item_id not in excluded]
    due = _due_dates(chosen, start)
    in_plan = {i.id for i in chosen}
    items = tuple(_plan_item(kb, item, lang, priority.get(item.id, DEFAULT_PRIORITY), due[item.id],
                             tuple(d for d in item.depends_on if d in in_plan), tuple(because[item.id]))
                  for item in chosen)
    dropped = tuple(Excluded(i, cat.items[i].title(lang), tuple(excluded[i]))
                    for i in cat.items if i in because and i in excluded)
    return Plan(client_name=facts.name, client_note=str(facts.values.get("client.note", "")),
                start_date=start, lang=lang, layers=ruleset.layers,
                kb_digest=_digest(kb.digest, ruleset.digest),
                phase_titles={p.id: p.title(lang) for p in kb.phases}, facts=dict(facts.values),
                items=items, excluded=dropped, derived=dict(evaluation.derived))


def _plan_item(kb: KB, item: Item, lang: str, priority: str, due: dt.date,
               depends_on: tuple[str, ...], because: tuple[Reason, ...]) -> PlanItem:
    step = kb.step_by_id[item.step]
    return PlanItem(id=item.id, step=step.id, step_title=step.title(lang), phase=step.phase,
                    domain=step.domain, title=item.title(lang), done_when=item.done_when(lang),
                    owner=item.owner, owner_title=kb.role_by_id[item.owner].title(lang),
                    priority=priority, horizon=step.horizon, due=due,
                    recurrence=RECURRENCE[item.cadence], depends_on=depends_on, kpis=step.kpis,
                    because=because)


def _digest(kb_digest: str, rules_digest: str) -> str:
    return "sha256:" + hashlib.sha256(f"{kb_digest}|{rules_digest}".encode()).hexdigest()
