"""The one-screen summary a Markdown plan opens with: the KPI targets, the critical items, the
first 30 days by person, and the work that does not fit the team's time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from generator.plan.model import Plan, PlanItem, Target
from generator.plan.wording import show
from generator.render.plan_labels import LABELS, TARGET_OPS, counted, dates, md, number
from generator.render.windows import FIRST_DAYS, Days, by_start, load, owners, work

MAX_CRITICAL = 5  # more would push the first 30 days off the first screen
MAX_NAMED = 3  # items named per person; the rest are counted
MAX_TARGETS = 4  # table rows; the later targets share one line (all are in the JSON plan)
MAX_SHORT = 5  # owners whose work does not fit, one line each; the others are named in one line


def _named(plan: Plan, items: Sequence[PlanItem], with_start: bool) -> str:
    words = LABELS[plan.lang]
    named = [words["named"].format(title=md(i.title), date=i.start.isoformat()) if with_start else md(i.title)
             for i in items[:MAX_NAMED]]
    if len(items) > MAX_NAMED:
        named.append(words["more"].format(n=len(items) - MAX_NAMED))
    return words["list_sep"].join(named)


def _title(plan: Plan, owner: str) -> str:
    return md(plan.workload.titles.get(owner, owner))


def _kpi(plan: Plan, kpi: str) -> str:
    """A KPI by its name in the plan's language, with the ID the facts and rules use."""
    name = plan.kpi_titles.get(kpi)
    return f"{md(name)} (`{kpi}`)" if name else f"`{kpi}`"


def _target_row(plan: Plan, target: Target) -> str:
    words = LABELS[plan.lang]
    current = words["not_given"] if target.current is None else show(target.current)
    rule = f"{md(target.title)} (`{target.rule}`)" if target.title else f"`{target.rule}`"
    cells = (_kpi(plan, target.kpi), current, f"{TARGET_OPS[target.op]} {show(target.target)}",
             target.date.isoformat(), rule)
    return "| " + " | ".join(cells) + " |"


def targets(plan: Plan) -> list[str]:
    """The KPIs the plan sets out to move: now, the level to reach, by when, and the rule."""
    words = LABELS[plan.lang]
    if not plan.targets:
        given = any(name.startswith("kpis.") for name in plan.facts)
        return [f"### {words['targets']}", "", words["no_targets" if given else "no_kpis"], ""]
    head = (words["kpi"], words["current"], words["target"], words["by"], words["set_by"])
    # the table right under its heading: the summary has one screen for all its parts
    lines = [f"### {words['targets']}", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += [_target_row(plan, t) for t in plan.targets[:MAX_TARGETS]]
    later = plan.targets[MAX_TARGETS:]
    if later:
        named = words["list_sep"].join(words["named"].format(
            title=f"{_kpi(plan, t.kpi)} {TARGET_OPS[t.op]} {show(t.target)}", date=t.date.isoformat()) for t in later)
        lines += ["", words["more_targets"].format(n=len(later), targets=named)]
    return [*lines, ""]


def critical(plan: Plan) -> list[str]:
    words = LABELS[plan.lang]
    items = by_start(i for i in plan.items if i.priority == "critical")
    lines = [f"### {words['critical']}", ""]
    if not items:
        return [*lines, words["no_critical"], ""]
    for item in items[:MAX_CRITICAL]:
        lines.append(f"- **{md(item.title)}** `{item.id}` · {md(item.owner_title)} · "
                     f"{dates(plan.lang, item.start, item.due)}")
    if len(items) > MAX_CRITICAL:
        lines += ["", words["more_critical"].format(n=len(items) - MAX_CRITICAL)]
    return [*lines, ""]


def _person(plan: Plan, owner: str, starting: Sequence[PlanItem], booked: float, end: int) -> str:
    """One owner's first days: their load against their time, and what they start."""
    capacity = plan.workload.capacity.get(owner, 0.0) * end
    return LABELS[plan.lang]["person"].format(
        owner=_title(plan, owner), people=counted(plan.lang, "people_n", plan.workload.people.get(owner, 0)),
        load=number(round(booked, 1)), capacity=number(round(capacity, 1)), n=len(starting),
        items=_named(plan, starting, with_start=True))


def first_days(plan: Plan, days: Days) -> list[str]:
    words = LABELS[plan.lang]
    end = days.index(plan.start_date + dt.timedelta(days=FIRST_DAYS))
    span = dates(plan.lang, plan.start_date, plan.start_date + dt.timedelta(days=FIRST_DAYS - 1))
    busy: list[tuple[float, str]] = []
    idle = []
    for owner in owners(plan):
        mine = [i for i in plan.items if i.owner == owner]
        starting = by_start(i for i in mine if days.index(i.start) < end)
        if starting:
            booked = load(work(days, mine), 0, end)
            busy.append((booked, _person(plan, owner, starting, booked, end)))
        else:
            idle.append(_title(plan, owner))
    busy.sort(key=lambda pair: -pair[0])  # the busiest first; stable, so ties keep the staffing's order
    lines = [f"### {words['first_days'].format(dates=span, days=end)}", "", *(f"- {text}" for _, text in busy)]
    if idle:
        lines.append(f"- {words['idle'].format(owners=words['name_sep'].join(idle))}")
    return [*lines, ""]


def _short_of_time(plan: Plan, owner: str, late: float, recurring: Sequence[PlanItem]) -> str:
    """One owner's work that does not fit: short-horizon work past 90 days, recurring work past their time."""
    words = LABELS[plan.lang]
    named = _named(plan, recurring, with_start=False)
    if not late:
        return words["unsustained"].format(owner=_title(plan, owner), n=len(recurring), items=named)
    text = words["late_short"].format(days=number(late), owner=_title(plan, owner))
    return text + (words["also_unsustained"].format(n=len(recurring), items=named) if recurring else "")


def not_fitting(plan: Plan) -> list[str]:
    words, workload = LABELS[plan.lang], plan.workload
    beyond = set(workload.unsustained)
    recurring = {owner: [i for i in plan.items if i.owner == owner and i.id in beyond] for owner in owners(plan)}
    short = [o for o, _ in sorted(workload.late_short.items(), key=lambda pair: -pair[1])]  # the most first
    ordered = short + [o for o in owners(plan) if recurring.get(o) and o not in workload.late_short]
    lines = [f"### {words['not_fit']}", ""]
    lines += [f"- {_short_of_time(plan, o, workload.late_short.get(o, 0.0), recurring.get(o, []))}"
              for o in ordered[:MAX_SHORT]]
    if len(ordered) > MAX_SHORT:
        others = words["name_sep"].join(_title(plan, o) for o in ordered[MAX_SHORT:])
        lines.append(f"- {words['also_short'].format(n=len(ordered) - MAX_SHORT, owners=others)}")
    if not ordered:
        return [*lines, words["all_fits"], ""]
    return [*lines, "", words["fit_hint"].format(share=number(workload.share * 100)), ""]


def summary(plan: Plan) -> list[str]:
    days = Days(plan)
    return [f"## {LABELS[plan.lang]['glance']}", "", *targets(plan), *critical(plan), *first_days(plan, days),
            *not_fitting(plan)]
