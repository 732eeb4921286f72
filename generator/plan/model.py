"""The plan: one client's tailored, dated, owned and explained checklist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

FORMAT = "opsbook-plan/1"
PRIORITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}
DEFAULT_PRIORITY = "medium"


@dataclass(frozen=True)
class Matched:
    """One condition of a rule that held, with the client's actual value."""

    fact: str
    op: str
    value: object
    actual: object


@dataclass(frozen=True)
class Reason:
    """A rule that put an item in the plan (or raised its priority)."""

    rule: str
    layer: str
    title: str
    matched: tuple[Matched, ...]


@dataclass(frozen=True)
class PlanItem:
    id: str
    step: str
    step_title: str
    phase: str
    domain: str
    title: str
    done_when: str
    owner: str
    owner_title: str
    priority: str
    horizon: str
    due: dt.date
    recurrence: str | None
    depends_on: tuple[str, ...]
    kpis: tuple[str, ...]
    because: tuple[Reason, ...]
    done: bool = False


@dataclass(frozen=True)
class Excluded:
    """An item some rule included but another rule excluded (exclude wins)."""

    id: str
    title: str
    excluded_by: tuple[Reason, ...]


@dataclass(frozen=True)
class Plan:
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

    def item(self, item_id: str) -> PlanItem | None:
        return next((i for i in self.items if i.id == item_id), None)
