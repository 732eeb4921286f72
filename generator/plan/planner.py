"""From the rules that fired to plan items: what is in, its priority, owner, dates, and why.

Everything that does not depend on the client is worked out once per playbook and
language (a `Template`): the items in playbook order, what each rule's include and
exclude expand to, and an order in which dependencies come first. Planning one client is
then a few passes over small integer lists.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from typing import NamedTuple

from generator.facts import ClientFacts
from generator.kb.model import KB, Item
from generator.plan.model import (
    DEFAULT_PRIORITY,
    PRIORITY_RANK,
    Excluded,
    ItemInfo,
    Plan,
    PlanItem,
    Reason,
)
from generator.rules.engine import Evaluation
from generator.rules.ruleset import RuleSet

RECURRENCE = {"once": None, "weekly": "FREQ=WEEKLY", "monthly": "FREQ=MONTHLY",
              "quarterly": "FREQ=MONTHLY;INTERVAL=3"}
_RANKS = tuple(PRIORITY_RANK)  # rank -> name, highest first
_DEFAULT_RANK = PRIORITY_RANK[DEFAULT_PRIORITY]
_NONE = len(_RANKS)  # "no rule gave a priority"


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


@dataclass(frozen=True)
class RulePlan:
    """A rule's effect on the plan, as item positions."""

    title: str
    include: tuple[int, ...]
    exclude: tuple[int, ...]
    rank: int


@dataclass(frozen=True)
class Template:
    lang: str
    infos: tuple[ItemInfo, ...]
    offsets: tuple[int, ...]  # due_days per position
    deps: tuple[tuple[int, ...], ...]  # dependency positions per position
    order: tuple[int, ...]  # positions, every dependency before its dependents
    rules: Mapping[str, RulePlan]
    phase_titles: Mapping[str, str]
    digest: str


def _topological(deps: tuple[tuple[int, ...], ...]) -> tuple[int, ...]:
    order: list[int] = []
    seen: set[int] = set()
    for root in range(len(deps)):
        stack = [(root, False)]
        while stack:
            node, ready = stack.pop()
            if ready:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                stack.extend((d, False) for d in deps[node] if d not in seen)
    return tuple(order)


def _info(kb: KB, item: Item, lang: str) -> ItemInfo:
    step = kb.step_by_id[item.step]
    return ItemInfo(item.id, step.id, step.title(lang), step.phase, step.domain, item.title(lang),
                    item.done_when(lang), item.owner, kb.role_by_id[item.owner].title(lang), step.horizon,
                    RECURRENCE[item.cadence], step.kpis)


def template(kb: KB, ruleset: RuleSet, lang: str) -> Template:
    """Everything about planning that does not depend on the client."""
    cat = catalogue(kb, ruleset.items)
    items = list(cat.items.values())
    position = {item.id: n for n, item in enumerate(items)}
    deps = tuple(tuple(position[d] for d in item.depends_on if d in position) for item in items)

    def positions(targets: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(sorted({position[i] for t in targets for i in cat.expand(t)}))

    rules = {r.id: RulePlan(r.title_en if lang == "en" else r.title_zh, positions(r.then.include),
                            positions(r.then.exclude), PRIORITY_RANK[r.then.priority] if r.then.priority else _NONE)
             for r in ruleset.rules}
    digest = "sha256:" + hashlib.sha256(f"{kb.digest}|{ruleset.digest}".encode()).hexdigest()
    return Template(lang, tuple(_info(kb, i, lang) for i in items), tuple(i.due_days for i in items), deps,
                    _topological(deps), rules, {p.id: p.title(lang) for p in kb.phases}, digest)


class Decision(NamedTuple):
    """What the rules decided for one client, by item position: the plan before it is dressed
    in KB text. Batch planning serialises this directly."""

    chosen: tuple[int, ...]  # positions in the plan, in playbook order
    rank: dict[int, int]
    due: dict[int, int]  # date ordinals
    because: dict[int, list[Reason]]
    excluded: dict[int, list[Reason]]


def decide(tpl: Template, evaluation: Evaluation, start: int) -> Decision:
    because: dict[int, list[Reason]] = {}
    excluded: dict[int, list[Reason]] = {}
    rank: dict[int, int] = {}
    for firing in evaluation.fired:
        effect = tpl.rules[firing.rule]
        reason = Reason(firing.rule, firing.layer, effect.title, firing.matched)
        for n in effect.include:
            if n in because:
                because[n].append(reason)
            else:
                because[n] = [reason]
            if effect.rank < rank.get(n, _NONE):
                rank[n] = effect.rank  # the highest priority any rule gave
        for n in effect.exclude:
            excluded.setdefault(n, []).append(reason)
    chosen = because.keys() - excluded.keys()
    return Decision(tuple(sorted(chosen)), rank, _due(tpl, chosen, start), because, excluded)


def priority_of(decision: Decision, n: int) -> str:
    return _RANKS[decision.rank.get(n, _DEFAULT_RANK)]


def build_plan(tpl: Template, ruleset: RuleSet, evaluation: Evaluation, facts: ClientFacts,
               start: dt.date) -> Plan:
    """The plan for one client: a pure function of the playbook, the evaluation and the facts."""
    decision = decide(tpl, evaluation, start.toordinal())
    chosen, due, because, excluded = set(decision.chosen), decision.due, decision.because, decision.excluded
    dates: dict[int, dt.date] = {}
    infos, deps = tpl.infos, tpl.deps
    items = []
    for n in decision.chosen:
        ordinal = due[n]
        day = dates.get(ordinal) or dates.setdefault(ordinal, dt.date.fromordinal(ordinal))
        after = tuple(infos[d].id for d in deps[n] if d in chosen) if deps[n] else ()
        items.append(PlanItem(infos[n], priority_of(decision, n), day, after, tuple(because[n])))
    dropped = tuple(Excluded(infos[n].id, infos[n].title, tuple(excluded[n]))
                    for n in sorted(because.keys() & excluded.keys()))
    return Plan(client_name=facts.name, client_note=str(facts.values.get("client.note", "")), start_date=start,
                lang=tpl.lang, layers=ruleset.layers, kb_digest=tpl.digest, phase_titles=tpl.phase_titles,
                facts=dict(facts.values), items=tuple(items), excluded=dropped, derived=dict(evaluation.derived))


def _due(tpl: Template, chosen: Set[int], start: int) -> dict[int, int]:
    """Start + offset, pushed later so that nothing is due before what it depends on."""
    due: dict[int, int] = {}
    offsets, deps = tpl.offsets, tpl.deps
    for n in tpl.order:
        if n in chosen:
            day = start + offsets[n]
            for d in deps[n]:
                if d in chosen and due[d] > day:
                    day = due[d]
            due[n] = day
    return due
