"""From the rules that fired to plan items: what is in, its priority, owner, dates, and why.

Everything that does not depend on the client is worked out once per playbook and
language (a `Template`): the items in playbook order, what each rule's include and
exclude expand to, and what the schedule needs of each item (effort, cadence, horizon,
its dependencies and its step's). Planning one client is then the rules' decision over
item positions and the schedule (`generator.plan.schedule`) of the chosen items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container, Iterable, Mapping
from typing import NamedTuple

from generator.core.records import record
from generator.facts.client import ClientFacts
from generator.kb.model import HORIZONS, KB, Item, Role
from generator.plan.calendar import DEFAULT_COUNTRY, WorkCalendar
from generator.plan.model import (
    DEFAULT_PRIORITY,
    PRIORITY_RANK,
    Excluded,
    ItemInfo,
    Plan,
    PlanItem,
    Reason,
    Workload,
)
from generator.plan.schedule import Network, Schedule, network, schedule
from generator.plan.staffing import Staffing, staffing
from generator.rules.meaning.results import Evaluation
from generator.rules.ruleset import RuleSet

RECURRENCE = {"once": None, "weekly": "FREQ=WEEKLY", "monthly": "FREQ=MONTHLY",
              "quarterly": "FREQ=MONTHLY;INTERVAL=3"}
PERIOD = {"once": 0, "weekly": 5, "monthly": 21, "quarterly": 63}  # working days between occurrences
SHORT_DAYS = 90  # short-horizon work belongs in the first three months
LONG_RELEASE_DAYS = 90  # long-horizon work (1-3 years) starts after the first quarter
_RANKS = tuple(PRIORITY_RANK)  # rank -> name, highest first
_DEFAULT_RANK = PRIORITY_RANK[DEFAULT_PRIORITY]
_NONE = len(_RANKS)  # "no rule gave a priority"


@record
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


@record
class RulePlan:
    """A rule's effect on the plan, as item positions."""

    title: str
    include: tuple[int, ...]
    exclude: tuple[int, ...]
    rank: int


@record
class Template:
    lang: str
    infos: tuple[ItemInfo, ...]
    deps: tuple[tuple[int, ...], ...]  # dependency positions per position
    rules: Mapping[str, RulePlan]
    phase_titles: Mapping[str, str]
    digest: str
    roles: tuple[Role, ...]
    role_titles: Mapping[str, str]
    kpi_titles: Mapping[str, str]
    # the schedule's view of every position: effort, horizon, cadence, step, and what waits for what
    network: Network


def _info(kb: KB, item: Item, lang: str) -> ItemInfo:
    step = kb.step_by_id[item.step]
    return ItemInfo(item.id, step.id, step.title(lang), step.phase, step.domain, item.title(lang),
                    item.done_when(lang), item.owner, kb.role_by_id[item.owner].title(lang), step.horizon,
                    RECURRENCE[item.cadence], step.kpis, item.effort)


def _step_waits(kb: KB, items: list[Item]) -> tuple[tuple[int, ...], tuple[tuple[int, ...], ...]]:
    """Per position: its step's index, and the indices of the steps its step depends on."""
    index = {step.id: n for n, step in enumerate(kb.steps)}
    step_of = tuple(index[item.step] for item in items)
    waits = tuple(tuple(index[d] for d in kb.step_by_id[item.step].depends_on if d in index) for item in items)
    return step_of, waits


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
    import hashlib  # only a playbook the cache does not hold gets here

    digest = "sha256:" + hashlib.sha256(f"{kb.digest}|{ruleset.digest}".encode()).hexdigest()
    step_of, step_waits = _step_waits(kb, items)
    net = network(tuple(i.effort for i in items), tuple(HORIZONS.index(kb.step_by_id[i.step].horizon) for i in items),
                  tuple(i.due_days for i in items), tuple(PERIOD[i.cadence] for i in items), step_of, deps, step_waits)
    return Template(lang, tuple(_info(kb, i, lang) for i in items), deps,
                    rules, {p.id: p.title(lang) for p in kb.phases}, digest,
                    kb.roles, {r.id: r.title(lang) for r in kb.roles}, {k.id: k.name(lang) for k in kb.kpis}, net)


class Decision(NamedTuple):
    """What the rules and the schedule decided for one client, by item position: the plan
    before it is dressed in KB text. Batch planning serialises this directly."""

    chosen: tuple[int, ...]  # positions in the plan, in playbook order
    rank: dict[int, int]
    start: dict[int, int]  # date ordinals
    due: dict[int, int]  # date ordinals
    owner: dict[int, str]  # the role that really does the work
    because: dict[int, list[Reason]]
    excluded: dict[int, list[Reason]]
    timing: Timing


class Timing(NamedTuple):
    """The schedule's account of one client's plan."""

    staff: Staffing
    country: str
    calendar: WorkCalendar
    result: Schedule
    positions: tuple[int, ...]  # task index -> position
    late_short: dict[str, float]
    first_90_days: int  # date ordinal


def decide(tpl: Template, evaluation: Evaluation, facts: ClientFacts, start: dt.date) -> Decision:
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
    chosen = tuple(sorted(because.keys() - excluded.keys()))
    timing = _schedule(tpl, chosen, rank, facts, start)
    slots = timing.result.slots
    days = timing.calendar.through(max((slot.due for slot in slots), default=0))
    starts = {n: days[slot.start] for n, slot in zip(chosen, slots, strict=True)}
    dues = {n: days[slot.due] for n, slot in zip(chosen, slots, strict=True)}
    owner_of, infos = timing.staff.owner, tpl.infos
    owners = {n: owner_of[infos[n].owner] for n in chosen}
    return Decision(chosen, rank, starts, dues, owners, because, excluded, timing)


def _schedule(tpl: Template, chosen: tuple[int, ...], rank: Mapping[int, int], facts: ClientFacts,
              start: dt.date) -> Timing:
    staff = staffing(tpl.roles, facts.values)
    country = str(facts.values.get("country", DEFAULT_COUNTRY))
    calendar = WorkCalendar(country, start)
    infos, owner_of, net = tpl.infos, staff.owner, tpl.network
    owners = [owner_of[infos[n].owner] for n in chosen]
    ranks = [rank.get(n, _DEFAULT_RANK) for n in chosen]
    capacity = {owner: people * staff.share for owner, people in staff.people.items()}  # as staff.capacity(owner)
    day_90 = calendar.index_after(SHORT_DAYS)
    result = schedule(net, chosen, ranks, owners, capacity, calendar.index_after(LONG_RELEASE_DAYS))
    late: dict[str, float] = {}
    horizon, effort, slots = net.horizon, net.effort, result.slots
    for t, n in enumerate(chosen):
        if horizon[n] == 0 and slots[t].due >= day_90:
            late[owners[t]] = late.get(owners[t], 0.0) + effort[n]
    return Timing(staff, country, calendar, result, chosen, late, calendar.ordinal(day_90))


def inputs(tpl: Template, timing: Timing, chosen: Container[int], n: int) -> tuple[int, ...]:
    """The positions in the plan that item `n` waits for: its dependencies in the plan or, where
    the plan leaves out one of its step's items, what that one waits for (as the schedule bound it)."""
    bridged = timing.result.bridged
    return bridged[n] if n in bridged else tuple(d for d in tpl.deps[n] if d in chosen)


def priority_of(decision: Decision, n: int) -> str:
    return _RANKS[decision.rank.get(n, _DEFAULT_RANK)]


def build_plan(tpl: Template, ruleset: RuleSet, evaluation: Evaluation, facts: ClientFacts,
               start: dt.date) -> Plan:
    """The plan for one client: a pure function of the playbook, the evaluation and the facts."""
    decision = decide(tpl, evaluation, facts, start)
    chosen, because, excluded = set(decision.chosen), decision.because, decision.excluded
    dates: dict[int, dt.date] = {}

    def day(ordinal: int) -> dt.date:
        return dates.get(ordinal) or dates.setdefault(ordinal, dt.date.fromordinal(ordinal))

    infos, deps, timing = tpl.infos, tpl.deps, decision.timing
    items = []
    for task, n in enumerate(decision.chosen):
        after = tuple(infos[d].id for d in inputs(tpl, timing, chosen, n)) if deps[n] else ()
        slot = timing.result.slots[task]
        held = infos[timing.positions[slot.held_by]].id if slot.held_by is not None else None
        owner = decision.owner[n]
        items.append(PlanItem(infos[n], priority_of(decision, n), day(decision.start[n]), day(decision.due[n]),
                              owner, tpl.role_titles[owner], after, tuple(because[n]), held, slot.waited))
    dropped = tuple(Excluded(infos[n].id, infos[n].title, tuple(excluded[n]))
                    for n in sorted(because.keys() & excluded.keys()))
    return Plan(client_name=facts.name, client_note=str(facts.values.get("client.note", "")), start_date=start,
                lang=tpl.lang, layers=ruleset.layers, kb_digest=tpl.digest, phase_titles=tpl.phase_titles,
                facts=dict(facts.values), items=tuple(items), excluded=dropped, derived=dict(evaluation.derived),
                workload=workload(tpl, decision), kpi_titles=tpl.kpi_titles)


def workload(tpl: Template, decision: Decision) -> Workload:
    timing = decision.timing
    staff = timing.staff
    unsustained = tuple(tpl.infos[timing.positions[t]].id for t, n in enumerate(timing.positions)
                        if tpl.network.period[n] and t not in timing.result.sustained)
    return Workload(timing.country, staff.share, dict(staff.people),
                    {owner: staff.capacity(owner) for owner in staff.people},
                    {owner: tpl.role_titles[owner] for owner in staff.people},
                    dt.date.fromordinal(timing.first_90_days), dict(sorted(timing.late_short.items())), unsustained)
