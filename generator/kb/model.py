"""The frozen model of the knowledge base, built once from validated data. Its classes are records
(generator/core/records.py): frozen dataclasses that are cheap to define, as a cached plan only unpickles them."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any, Literal

from generator.core.records import record

Lang = Literal["zh", "en"]
Loc = tuple[str, int, int]
NOWHERE: Loc = ("", 0, 0)

PHASES = ("insight", "strategy", "planning", "execution", "evaluation", "optimization")
DOMAINS = ("market", "strategy", "product", "sales", "marketing", "supply_chain", "production",
           "quality", "customer_service", "finance", "organization", "risk")
PRIORITIES = ("critical", "high", "medium", "low")
HORIZONS = ("short", "mid", "long")
CADENCES = ("once", "weekly", "monthly", "quarterly")


@record
class Text:
    """A text in both languages of the playbook; calling it with a language picks one."""

    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@record
class Item:
    """A checklist item: one piece of work of a step, with its owner, due offset, effort and cadence."""

    id: str
    step: str
    title: Text
    done_when: Text
    owner: str
    due_days: int
    effort: float  # person-days of focused work for one occurrence
    cadence: str
    evidence: Text | None
    depends_on: tuple[str, ...]
    sources: tuple[str, ...]
    completion: bool
    loc: Loc = field(default=NOWHERE, compare=False)
    templates: tuple[str, ...] = ()  # templates the item's work uses
    work: str | None = None  # the piece of work, where another item is the same work (see `opsbook lint`)


@record
class Step:
    """A step of a phase: its purpose, RACI, KPIs, the steps it depends on and its checklist items."""

    id: str
    phase: str
    domain: str
    title: Text
    purpose: Text
    horizon: str
    raci: tuple[tuple[str, str], ...]
    kpis: tuple[str, ...]
    depends_on: tuple[str, ...]
    inputs: tuple[Text, ...]
    outputs: tuple[Text, ...]
    sources: tuple[str, ...]
    completion: bool
    items: tuple[Item, ...]
    loc: Loc = field(default=NOWHERE, compare=False)

    @property
    def accountable(self) -> str:
        return next(role for role, letter in self.raci if letter == "A")

    def roles_with(self, letter: str) -> tuple[str, ...]:
        return tuple(role for role, mark in self.raci if mark == letter)


@record
class Phase:
    """A phase of the operating loop, with its steps in order."""

    id: str
    order: int
    title: Text
    purpose: Text
    inputs: tuple[Text, ...]
    outputs: tuple[Text, ...]
    sources: tuple[str, ...]
    completion: bool
    steps: tuple[Step, ...]
    loc: Loc = field(default=NOWHERE, compare=False)


@record
class Role:
    """A role of the playbook: what it is responsible for, and from what team size a business has someone for it."""

    id: str
    title: Text
    dedicated_from: int  # team size from which a business usually has a person for this role
    covered_by: str | None  # who does the work below that size (None: the role every business has)
    by_industry: tuple[tuple[str, int], ...]  # industries that staff the role at another size
    summary: Text
    responsibilities: tuple[Text, ...]
    sources: tuple[str, ...]
    completion: bool
    loc: Loc = field(default=NOWHERE, compare=False)

    def staffed_from(self, industry: object) -> int:
        """The team size from which a business of `industry` has a person for this role."""
        return next((size for name, size in self.by_industry if name == industry), self.dedicated_from)


@record
class Band:
    """The healthy values of a KPI read as a band: inside `low`..`high` is fine, outside on
    either side is at the warning level; the critical levels lie beyond, where given."""

    low: float
    high: float
    critical_low: float | None = None
    critical_high: float | None = None


@record
class Kpi:
    """A KPI: its definition and formula, unit, direction, and the levels at which it warns."""

    id: str
    name: Text
    definition: Text
    formula: Text
    unit: str
    direction: str  # higher_is_better, lower_is_better or band
    min: float
    max: float | None
    warning: float | None  # one-sided KPIs; a band's levels are in `band`
    critical: float | None
    domain: str
    sources: tuple[str, ...]
    completion: bool
    loc: Loc = field(default=NOWHERE, compare=False)
    band: Band | None = None

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher_is_better"

    def bad_side(self, op: str, level: float) -> bool:
        """Whether `value <op> level` holding says the value is on the KPI's bad side: below a
        higher-is-better KPI's level, above a lower-is-better one's, outside a band."""
        below = op in ("lt", "le")
        if op not in ("lt", "le", "gt", "ge"):
            return False
        if self.band is not None:
            return level <= self.band.low if below else level >= self.band.high
        return below == self.higher_is_better


@record
class Term:
    """A glossary entry."""

    id: str
    term: Text
    definition: Text
    aliases: tuple[str, ...]
    see_also: tuple[str, ...]
    sources: tuple[str, ...]
    completion: bool
    loc: Loc = field(default=NOWHERE, compare=False)


@record
class TemplateField:
    """One field of a template: its label, help text and an example."""

    id: str
    label: Text
    help: Text
    example: Text | None


@record
class Template:
    """A working template a checklist item's work uses."""

    id: str
    title: Text
    purpose: Text
    fields: tuple[TemplateField, ...]
    sources: tuple[str, ...]
    completion: bool
    loc: Loc = field(default=NOWHERE, compare=False)


@record
class FactValue:
    """One allowed value of an enumerated fact, with its label."""

    id: str
    label: Text


@record
class Fact:
    """A fact about a client, as the vocabulary declares it: type, allowed values, bounds, labels."""

    id: str
    type: str
    label: Text
    help: Text
    values: tuple[FactValue, ...]
    min: float | None
    max: float | None
    required: bool
    derived: bool
    sources: tuple[str, ...]
    completion: bool
    loc: Loc = field(default=NOWHERE, compare=False)

    @property
    def value_ids(self) -> tuple[str, ...]:
        return tuple(v.id for v in self.values)


@record
class Section:
    """A section of a source handbook (the source IDs items and rules cite)."""

    id: str
    handbook: str
    title: Text
    implied: bool


@record
class Handbook:
    """A source handbook the playbook is drawn from."""

    id: str
    title: Text
    file: str


def _index(elements: tuple[object, ...]) -> dict[str, object]:
    # Plain dicts (not MappingProxyType) so a loaded KB can be pickled into the cache.
    return {getattr(e, "id"): e for e in elements}  # noqa: B009  (generic over kinds)


@record
class KB:
    """The whole knowledge base, frozen, with lookups by ID built once."""

    phases: tuple[Phase, ...]
    roles: tuple[Role, ...]
    kpis: tuple[Kpi, ...]
    glossary: tuple[Term, ...]
    templates: tuple[Template, ...]
    facts: tuple[Fact, ...]
    sections: tuple[Section, ...]
    handbooks: tuple[Handbook, ...]
    digest: str

    @property
    def steps(self) -> tuple[Step, ...]:
        return tuple(step for phase in self.phases for step in phase.steps)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for step in self.steps for item in step.items)

    def __post_init__(self) -> None:
        lookups = {
            "step_by_id": _index(self.steps), "item_by_id": _index(self.items),
            "role_by_id": _index(self.roles), "kpi_by_id": _index(self.kpis),
            "term_by_id": _index(self.glossary), "fact_by_id": _index(self.facts),
            "section_by_id": _index(self.sections), "phase_by_id": _index(self.phases),
            "template_by_id": _index(self.templates),
        }
        for name, table in lookups.items():
            object.__setattr__(self, name, table)

    # Typed views of the lookups set in __post_init__.
    step_by_id: Mapping[str, Step] = field(init=False, repr=False, compare=False)
    item_by_id: Mapping[str, Item] = field(init=False, repr=False, compare=False)
    role_by_id: Mapping[str, Role] = field(init=False, repr=False, compare=False)
    kpi_by_id: Mapping[str, Kpi] = field(init=False, repr=False, compare=False)
    term_by_id: Mapping[str, Term] = field(init=False, repr=False, compare=False)
    fact_by_id: Mapping[str, Fact] = field(init=False, repr=False, compare=False)
    section_by_id: Mapping[str, Section] = field(init=False, repr=False, compare=False)
    phase_by_id: Mapping[str, Phase] = field(init=False, repr=False, compare=False)
    template_by_id: Mapping[str, Template] = field(init=False, repr=False, compare=False)

    if not TYPE_CHECKING:  # for mypy a KB has its fields only, so a misspelt one is still caught

        def __getattr__(self, name: str) -> Any:
            # Python asks only for what the object does not hold: a KB read from the cache without its
            # DEFERRED part (see deferred()) reads it now, whatever is asked for first.
            if name.startswith("__") or "_rest" not in self.__dict__:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            _complete(self)
            return getattr(self, name)

    def __getstate__(self) -> dict[str, Any]:
        _complete(self)  # pickled or copied whole, as it was before the cache split it
        return self.__dict__

    def counts(self) -> dict[str, int]:
        return {
            "phases": len(self.phases), "steps": len(self.steps), "items": len(self.items),
            "roles": len(self.roles), "kpis": len(self.kpis), "glossary": len(self.glossary),
            "templates": len(self.templates), "facts": len(self.facts),
        }


# What a plan from the cache never reads of the KB (its template holds what it needs of the phases,
# steps and items), and the most of it: some 40% of the cached playbook's unpickling.
DEFERRED = ("phases", "step_by_id", "item_by_id", "phase_by_id")
Split = tuple[tuple[str, ...], dict[str, Any], dict[str, Any]]


def split(kb: KB) -> Split:
    """A KB's state in two parts: what it holds in order, all but DEFERRED, and DEFERRED."""
    state = kb.__getstate__()
    return (tuple(state), {k: v for k, v in state.items() if k not in DEFERRED},
            {k: v for k, v in state.items() if k in DEFERRED})


def deferred(order: tuple[str, ...], now: Mapping[str, Any], rest: Callable[[], Mapping[str, Any]]) -> KB:
    """The KB split() cut up, with its DEFERRED part read by `rest()` when something first asks for
    an attribute it lacks, compares, hashes, prints, copies or pickles it."""
    kb = KB.__new__(KB)
    kb.__dict__.update((sys.intern(name), value) for name, value in now.items())  # as unpickling an object does
    kb.__dict__["_rest"] = (order, rest)
    return kb


def _complete(kb: KB) -> None:
    state = kb.__dict__
    if "_rest" not in state:
        return
    order, rest = state["_rest"]
    more = rest()
    whole = {sys.intern(name): state[name] if name in state else more[name] for name in order}  # as made
    state.clear()
    state.update(whole)
