"""The plan: one client's tailored, dated, owned and explained checklist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import field
from functools import cached_property
from typing import NamedTuple

from generator.core.records import record
from generator.rules.meaning.results import Match

FORMAT = "opsbook-plan/1"
MAX_PLAN_BYTES = 16 * 1024 * 1024  # an earlier plan read back (--update, diff): 40 times the biggest we write
PRIORITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}
DEFAULT_PRIORITY = "medium"


# One condition of a rule that held, with the client's actual value: the engine's own
# record, handed on as it is.
Matched = Match


# A named tuple, not a record (generator/core/records.py): one is made per fired rule for every client,
# where its __init__ is faster than the shared one; and it is defined in a tenth of a frozen dataclass's time.
class Reason(NamedTuple):
    """A rule that put an item in the plan (or raised its priority)."""

    rule: str
    layer: str
    title: str
    matched: tuple[Matched, ...]


class ItemInfo(NamedTuple):
    """What a plan item is, whatever the client: from the KB, in one language."""

    id: str
    step: str
    step_title: str
    phase: str
    domain: str
    title: str
    done_when: str
    owner: str  # the KB's role for the item
    owner_title: str
    horizon: str
    recurrence: str | None
    kpis: tuple[str, ...]
    effort: float  # person-days per occurrence


class PlanItem(NamedTuple):
    """One item of one client's plan: its KB facts plus what the rules and the schedule decided.

    A named tuple rather than a dataclass: plans hold hundreds of items and are made
    in bulk, and tuples are the cheapest immutable records Python builds.
    """

    info: ItemInfo
    priority: str
    start: dt.date
    due: dt.date
    owner: str  # the role that really does the work for this client
    owner_title: str
    depends_on: tuple[str, ...]
    because: tuple[Reason, ...]
    held_by: str | None = None  # the item whose due date decided the start, if one did
    waited: bool = False  # the owner's more urgent work pushed the start later
    done: bool = False

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def step(self) -> str:
        return self.info.step

    @property
    def step_title(self) -> str:
        return self.info.step_title

    @property
    def phase(self) -> str:
        return self.info.phase

    @property
    def domain(self) -> str:
        return self.info.domain

    @property
    def title(self) -> str:
        return self.info.title

    @property
    def done_when(self) -> str:
        return self.info.done_when

    @property
    def owner_role(self) -> str:
        """The KB's role for the item; `owner` covers for it when they differ."""
        return self.info.owner

    @property
    def owner_role_title(self) -> str:
        return self.info.owner_title

    @property
    def horizon(self) -> str:
        return self.info.horizon

    @property
    def recurrence(self) -> str | None:
        return self.info.recurrence

    @property
    def kpis(self) -> tuple[str, ...]:
        return self.info.kpis

    @property
    def effort(self) -> float:
        return self.info.effort


@record
class Excluded:
    """An item some rule included but another rule excluded (exclude wins)."""

    id: str
    title: str
    excluded_by: tuple[Reason, ...]


@record
class Workload:
    """Who does the plan's work and how much fits: the schedule's side of the plan."""

    country: str  # the working-day calendar
    share: float  # share of each person's working day given to plan work
    people: Mapping[str, int]  # real owner -> people
    capacity: Mapping[str, float]  # real owner -> person-days of plan work per working day
    titles: Mapping[str, str]  # real owner -> role title in the plan's language
    first_90_days: dt.date  # the first working day after the first 90 days
    late_short: Mapping[str, float]  # owner -> person-days of short-horizon work due after 90 days
    unsustained: tuple[str, ...]  # recurring items whose steady load does not fit their owner's time


class Target(NamedTuple):
    """A KPI the plan sets out to move: where it is, where it should be by when, and the rule
    whose level that is (see generator.plan.targets for how each is chosen)."""

    kpi: str
    current: float | None  # the client's value; None when the facts do not give it
    op: str  # ge, gt, le or lt: the value should be `op` the target
    target: float
    date: dt.date
    rule: str
    layer: str
    title: str  # the rule's title, in the plan's language
    item: str  # the item whose due date is the date


class Revision(NamedTuple):
    """What an earlier calendar file said of one item's revision (see render/ics.py)."""

    sequence: int
    digest: str | None  # the X-OPSBOOK-HASH opsbook wrote; None when the file holds none


@record
class Plan:
    """A client's plan: the items chosen, dated and owned, with the facts, reasons and workload behind them."""

    client_name: str
    client_note: str
    start_date: dt.date
    lang: str
    layers: tuple[str, ...]
    kb_digest: str
    phase_titles: Mapping[str, str]
    facts: Mapping[str, object]
    items: tuple[PlanItem, ...]
    excluded: tuple[Excluded, ...]
    derived: Mapping[str, object]
    workload: Workload
    kpi_titles: Mapping[str, str] = field(default_factory=dict)  # KPI id -> name in the plan's language
    # what the earlier file said of each item's revision, handed on by `--update` (calendars only)
    revisions: Mapping[str, Revision] = field(default_factory=dict)

    def item(self, item_id: str) -> PlanItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    @cached_property
    def targets(self) -> tuple[Target, ...]:
        """The plan's KPI targets, read from its own items and facts (worked out once)."""
        from generator.plan.targets import plan_targets  # it reads this module's types

        return plan_targets(self)
