"""Cross-reference checks over the indexed knowledge base: each check yields problems."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

from generator.core.errors import Problem, suggest
from generator.kb.documents import Entry, Index
from generator.kb.model import PHASES

Check = Callable[[Index], Iterator[Problem]]

# Facts and KPIs the design fixes: rules, plans and the interview rely on them.
CORE_FACTS = {"client.name": "string", "industry": "enum", "business_model": "enum", "stage": "enum",
              "offering": "enum", "channels": "list", "has_supply_chain": "bool",
              "has_production": "bool", "team_size": "integer", "goals": "list", "risks": "list",
              "kpis": "kpis", "start_date": "date"}
CORE_KPIS = ("retention_7d", "conversion_rate", "complaint_rate", "nps", "on_time_delivery",
             "gross_margin", "inventory_turnover", "churn_rate_monthly")
HORIZON_DAYS = {"short": 120, "mid": 400, "long": 1095}
KIND_NAMES = {"phase": "phase", "step": "step", "item": "checklist item", "role": "role",
              "kpi": "KPI", "term": "glossary term", "template": "template", "fact": "fact",
              "section": "section", "handbook": "handbook"}


def _ref(
    entry: Entry, key: str | tuple[str | int, ...], kind: str, value: object, known: dict[str, Entry]
) -> Iterator[Problem]:
    if isinstance(value, str) and value not in known:
        yield entry.problem(key, f"unknown {KIND_NAMES[kind]} `{value}`{suggest(value, known)}")


def _refs(entry: Entry, key: str, kind: str, known: dict[str, Entry]) -> Iterator[Problem]:
    for i, value in enumerate(entry.data.get(key) or []):
        yield from _ref(entry, (key, i), kind, value, known)


def check_phases(index: Index) -> Iterator[Problem]:
    known = index.ids("phase")
    for entry in index.of("phase"):
        expected = PHASES.index(entry.id) + 1 if entry.id in PHASES else None
        if expected is not None and entry.data.get("order") != expected:
            loop = ", ".join(PHASES)
            yield entry.problem(
                "order",
                f"phase `{entry.id}` is number {expected} in the operating loop ({loop}): set `order: {expected}`",
            )
    fallback = next(iter(index.of("phase") or index.of("section") or []), None)
    for phase in PHASES:
        # Point at a step that belongs to the missing phase, where there is one.
        anchor = next((s for s in index.of("step") if s.data.get("phase") == phase), fallback)
        if phase not in known and anchor is not None:
            where = ("phase",) if anchor.kind == "step" else ()
            yield anchor.problem(where, f"phase `{phase}` is missing: add a file with `phase: {{id: {phase}, ...}}`")


def check_steps(index: Index) -> Iterator[Problem]:
    roles, kpis, steps = index.ids("role"), index.ids("kpi"), index.ids("step")
    for step in index.of("step"):
        phase = step.data.get("phase")
        if isinstance(phase, str) and not step.id.startswith(phase + "."):
            yield step.problem("id", f"step ID `{step.id}` must start with its phase: `{phase}.`")
        raci = step.data.get("raci") or {}
        for role in raci:
            yield from _ref(step, ("raci", role), "role", role, roles)
        accountable = [role for role, letter in raci.items() if letter == "A"]
        if len(accountable) != 1:
            found = f"{len(accountable)} ({', '.join(accountable)})" if accountable else "none"
            yield step.problem("raci", f"step `{step.id}` needs exactly one Accountable (A) role, found {found}")
        yield from _refs(step, "kpis", "kpi", kpis)
        yield from _refs(step, "depends_on", "step", steps)
        yield from _later_dependencies(step, steps)


def _later_dependencies(step: Entry, steps: dict[str, Entry]) -> Iterator[Problem]:
    mine = step.data.get("phase")
    for i, dep in enumerate(step.data.get("depends_on") or []):
        other = steps.get(dep)
        if other is None or mine not in PHASES or other.data.get("phase") not in PHASES:
            continue
        if PHASES.index(other.data["phase"]) > PHASES.index(mine):
            yield step.problem(
                ("depends_on", i),
                f"step `{step.id}` depends on `{dep}` of a later phase: dependencies point to earlier steps",
            )


def check_items(index: Index) -> Iterator[Problem]:
    roles, items = index.ids("role"), index.ids("item")
    for step in index.of("step"):
        raci = step.data.get("raci") or {}
        limit = HORIZON_DAYS.get(step.data.get("horizon", ""), 1095)
        for j, data in enumerate(step.data.get("items") or []):
            item = Entry("item", step.doc, (*step.path, "items", j), data)
            if not item.id.startswith(step.id + "."):
                yield item.problem("id", f"item ID `{item.id}` must start with its step: `{step.id}.`")
            owner = data.get("owner")
            yield from _ref(item, "owner", "role", owner, roles)
            if isinstance(owner, str) and owner in roles and raci.get(owner) not in ("R", "A"):
                yield item.problem(
                    "owner", f"owner `{owner}` is not Responsible or Accountable in the RACI of `{step.id}`", "warning"
                )
            yield from _refs(item, "depends_on", "item", items)
            yield from _refs(item, "templates", "template", index.ids("template"))
            yield from _quarter_days(item)
            yield from _due_order(item, items)
            due = data.get("due_days")
            if isinstance(due, int) and due > limit:
                yield item.problem(
                    "due_days",
                    f"due after {due} days, beyond the {step.data.get('horizon')} horizon of its step ({limit} days)",
                    "warning",
                )


def _quarter_days(item: Entry) -> Iterator[Problem]:
    """Effort is counted in quarter days (checked here, not with the schema's multipleOf, which
    overflows on huge numbers)."""
    effort = item.data.get("effort")
    if (isinstance(effort, int | float) and not isinstance(effort, bool) and 0.25 <= effort <= 40
            and not float(effort * 4).is_integer()):
        yield item.problem("effort", f"{effort} is not a multiple of 0.25: round it to the nearest 0.25")


def _due_order(item: Entry, items: dict[str, Entry]) -> Iterator[Problem]:
    due = item.data.get("due_days")
    for i, dep in enumerate(item.data.get("depends_on") or []):
        other = items.get(dep)
        other_due = other.data.get("due_days") if other else None
        if isinstance(due, int) and isinstance(other_due, int) and other_due > due:
            yield item.problem(
                ("depends_on", i),
                f"due after {due} days but depends on `{dep}`, due after {other_due}: "
                f"make it due on day {other_due} or later",
            )


def _cycles(kind: str, index: Index) -> Iterator[Problem]:
    graph = {e.id: [d for d in (e.data.get("depends_on") or []) if isinstance(d, str)] for e in index.of(kind)}
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        trail: list[str] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[node] = 1
                trail.append(node)
            deps = graph.get(node, [])
            if i < len(deps):
                stack.append((node, i + 1))
                dep = deps[i]
                if state.get(dep) == 1:
                    cycle = [*trail[trail.index(dep):], dep]
                    entry = index.ids(kind)[node]
                    yield entry.problem(("depends_on", i), f"dependency cycle: {' -> '.join(cycle)}")
                elif not state.get(dep) and dep in graph:
                    stack.append((dep, 0))
            else:
                state[node] = 2
                trail.pop()


def check_cycles(index: Index) -> Iterator[Problem]:
    yield from _cycles("step", index)
    yield from _cycles("item", index)
    yield from _item_against_steps(index)


def _step_closure(index: Index) -> dict[str, set[str]]:
    """Every step each step waits for, directly or through others."""
    direct = {e.id: [d for d in (e.data.get("depends_on") or []) if isinstance(d, str)] for e in index.of("step")}
    closure: dict[str, set[str]] = {}
    for start in direct:
        seen: set[str] = set()
        todo = list(direct[start])
        while todo:
            step = todo.pop()
            if step not in seen:
                seen.add(step)
                todo.extend(direct.get(step, ()))
        closure[start] = seen
    return closure


def _item_against_steps(index: Index) -> Iterator[Problem]:
    """Step dependencies are binding for the schedule: an item of step S cannot wait for an item of
    a step that itself waits for S."""
    closure, items = _step_closure(index), index.ids("item")
    for item in index.of("item"):
        own = item.id.rsplit(".", 1)[0]
        for i, dep in enumerate(item.data.get("depends_on") or []):
            other = items.get(dep) if isinstance(dep, str) else None
            theirs = other.id.rsplit(".", 1)[0] if other else None
            if theirs and theirs != own and own in closure.get(theirs, ()):
                yield item.problem(("depends_on", i), f"`{item.id}` waits for `{dep}`, but step `{theirs}` waits for "
                                   f"step `{own}`: the schedule cannot do both; drop one of the two dependencies")


def check_sources(index: Index) -> Iterator[Problem]:
    sections = index.ids("section")
    if not sections:
        return
    cited: set[str] = set()
    for _kind, entries in sorted(index.entries.items()):
        for entry in entries:
            for i, source in enumerate(entry.data.get("sources") or []):
                cited.add(source)
                yield from _ref(entry, ("sources", i), "section", source, sections)
    for sid, entry in sections.items():
        if sid not in cited:
            yield entry.problem(
                "id",
                f"section {sid} is cited by no element: cite it in `sources:` where its content is used",
                "warning",
            )


def check_facts(index: Index) -> Iterator[Problem]:
    facts = index.ids("fact")
    for entry in index.of("fact"):
        values = [v.get("id") for v in entry.data.get("values") or [] if isinstance(v, dict)]
        for dup in sorted({v for v in values if values.count(v) > 1 and isinstance(v, str)}):
            yield entry.problem("values", f"value `{dup}` is listed twice")
        yield from _range(entry, entry.data.get("min"), entry.data.get("max"))
        want = CORE_FACTS.get(entry.id)
        if want and entry.data.get("type") != want:
            yield entry.problem("type", f"core fact `{entry.id}` must have type `{want}`")
    anchor = next(iter(index.of("fact")), None)
    for fact in CORE_FACTS:
        if anchor is not None and fact not in facts:
            yield anchor.doc.problem(("facts",), f"core fact `{fact}` is missing from the fact vocabulary")


def _range(entry: Entry, low: object, high: object) -> Iterator[Problem]:
    if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
        yield entry.problem("max", f"max {high} is below min {low}")


def _outside(value: object, low: object, high: object) -> bool:
    return isinstance(value, int | float) and (
        (isinstance(low, int | float) and value < low) or (isinstance(high, int | float) and value > high))


def _span(low: object, high: object) -> str:
    return f"{low} to {high if high is not None else 'any'}"


def _one_sided(entry: Entry, low: object, high: object) -> Iterator[Problem]:
    limits = entry.data.get("thresholds") or {}
    warn, crit = limits.get("warning"), limits.get("critical")
    for name, value in (("warning", warn), ("critical", crit)):
        if _outside(value, low, high):
            yield entry.problem(
                ("thresholds", name), f"{name} threshold {value} is outside the KPI's range ({_span(low, high)})"
            )
    if isinstance(warn, int | float) and isinstance(crit, int | float):
        higher = entry.data.get("direction") == "higher_is_better"
        if (higher and crit > warn) or (not higher and crit < warn):
            side = "below" if higher else "above"
            yield entry.problem(
                ("thresholds", "critical"),
                f"critical threshold must lie {side} the warning threshold for a KPI where "
                f"{'higher' if higher else 'lower'} is better",
            )


# A band's levels from the lowest up: each must not lie above the next.
BAND_ORDER = ("critical_low", "low", "high", "critical_high")


def _band(entry: Entry, low: object, high: object) -> Iterator[Problem]:
    band = entry.data.get("band")
    if not isinstance(band, dict):
        yield entry.problem("direction", "a KPI read as a band needs `band: {low, high}`: the healthy values "
                            "lie between them")
        return
    if "thresholds" in entry.data:
        yield entry.problem("thresholds", "a band KPI keeps its levels in `band` (`low`, `high`, `critical_low`, "
                            "`critical_high`): drop `thresholds`")
    for name in BAND_ORDER:
        if _outside(band.get(name), low, high):
            yield entry.problem(("band", name), f"band {name} {band[name]} is outside the KPI's range "
                                f"({_span(low, high)})")
    given = [(name, band[name]) for name in BAND_ORDER if isinstance(band.get(name), int | float)]
    for (first, a), (second, b) in itertools.pairwise(given):
        if a > b or (a == b and (first, second) == ("low", "high")):
            yield entry.problem(("band", second), f"band {second} {b} must lie above {first} {a}")


def check_kpis(index: Index) -> Iterator[Problem]:
    for entry in index.of("kpi"):
        rng = entry.data.get("range") or {}
        low, high = rng.get("min"), rng.get("max")
        yield from _range(entry, low, high)
        if entry.data.get("direction") == "band":
            yield from _band(entry, low, high)
            continue
        if "band" in entry.data:
            yield entry.problem("band", "`band` is for KPIs with `direction: band`: set the direction, or give "
                                "`thresholds` instead")
        yield from _one_sided(entry, low, high)
    kpis = index.ids("kpi")
    anchor = next(iter(index.of("kpi")), None)
    for kpi in CORE_KPIS:
        if anchor is not None and kpi not in kpis:
            yield anchor.doc.problem(("kpis",), f"core KPI `{kpi}` is missing")


def check_glossary(index: Index) -> Iterator[Problem]:
    terms = index.ids("term")
    for entry in index.of("term"):
        yield from _refs(entry, "see_also", "term", terms)


def check_templates(index: Index) -> Iterator[Problem]:
    used = {t for item in index.of("item") for t in item.data.get("templates") or [] if isinstance(t, str)}
    for entry in index.of("template"):
        ids = [f.get("id") for f in entry.data.get("fields") or [] if isinstance(f, dict)]
        for dup in sorted({i for i in ids if ids.count(i) > 1 and isinstance(i, str)}):
            yield entry.problem("fields", f"field `{dup}` is defined twice")
        if index.of("item") and entry.id not in used:
            yield entry.problem("id", f"no checklist item uses template `{entry.id}`: add it to the `templates` "
                                "of the items whose work it serves", "warning")


def _staffing(entry: Entry, industry: str | None = None) -> tuple[int | None, str | None]:
    staffing = entry.data.get("staffing")
    if not isinstance(staffing, dict):
        return None, None
    size, cover = staffing.get("dedicated_from"), staffing.get("covered_by")
    by_industry = staffing.get("by_industry")
    if industry is not None and isinstance(by_industry, dict) and isinstance(by_industry.get(industry), int):
        size = by_industry[industry]
    return (size if isinstance(size, int) else None), (cover if isinstance(cover, str) else None)


def _industries(index: Index) -> list[str | None]:
    """None (the default sizes) and every industry some role is staffed differently in."""
    named = {k for role in index.of("role") for k in (role.data.get("staffing") or {}).get("by_industry") or {}}
    return [None, *sorted(named)]


def check_roles(index: Index) -> Iterator[Problem]:
    """Staffing: whose work falls to whom in a small team must end at a role every business has,
    and a team of N people must never need more than N people (so the Nth smallest
    `dedicated_from` is at least N), in every industry."""
    roles = index.ids("role")
    known = index.ids("fact").get("industry")
    industries = [str(v.get("id")) for v in (known.data.get("values") or []) if isinstance(v, dict)] if known else []
    for role in index.of("role"):
        yield from _covering(role, roles)
        for name in (role.data.get("staffing") or {}).get("by_industry") or {}:
            if industries and name not in industries:
                yield role.problem(("staffing", "by_industry", name), f"unknown industry `{name}`"
                                   f"{suggest(name, industries)}")
    for industry in _industries(index):
        yield from _team_fits(index, industry)


def _covering(role: Entry, roles: dict[str, Entry]) -> Iterator[Problem]:
    size, cover = _staffing(role)
    if cover is None:
        if size is not None and size != 1:
            yield role.problem(("staffing", "dedicated_from"), f"`{role.id}` has no `covered_by`, so every "
                               "business must have it: set `dedicated_from: 1`, or name the role that covers it")
        return
    yield from _ref(role, ("staffing", "covered_by"), "role", cover, roles)
    chain: list[str] = [role.id]
    other: str | None = cover
    while other is not None and other in roles and other not in chain:
        chain.append(other)
        other = _staffing(roles[other])[1]
    if other is not None and other in chain:
        loop = " -> ".join([*chain[chain.index(other):], other])
        yield role.problem(("staffing", "covered_by"), f"covered_by goes round in a loop ({loop}): "
                           "end the chain at the role every business has")
    cover_size = _staffing(roles[cover])[0] if cover in roles else None
    if size is not None and cover_size is not None and cover_size > size:
        yield role.problem(("staffing", "covered_by"), f"`{cover}` is staffed from {cover_size} people, later "
                           f"than `{role.id}` ({size}): choose a role that small teams have")


def _team_fits(index: Index, industry: str | None) -> Iterator[Problem]:
    sized = sorted((size, n, role) for n, role in enumerate(index.of("role"))
                   if (size := _staffing(role, industry)[0]) is not None)
    where = f" in `{industry}`" if industry else ""
    for count, (size, _, role) in enumerate(sized, start=1):
        if size < count:
            key = ("staffing", "by_industry", industry) if industry else ("staffing", "dedicated_from")
            fix = f"`by_industry: {{{industry}: {count}}}`" if industry else f"`dedicated_from: {count}`"
            yield role.problem(key, f"{count} roles have a person from {size} people on{where}: a team of {size} "
                               f"cannot staff them all; set {fix} or more")
            return


CHECKS: tuple[Check, ...] = (check_phases, check_steps, check_items, check_cycles, check_sources,
                             check_facts, check_kpis, check_glossary, check_templates, check_roles)
