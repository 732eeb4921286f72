"""The plan on a terminal: what the Markdown plan says, laid out with rich for the width of the
screen, with priorities as coloured badges and owners in a column of their own.

Only `opsbook plan` writing to a terminal uses this module; piped output stays Markdown, and
rich is imported nowhere on that path. The view leaves out the long texts (done-when, reasons):
the hint at its end says where they are.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence

from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from generator.plan.model import PRIORITY_RANK, Plan, PlanItem
from generator.render import View
from generator.render.mdsummary import MAX_CRITICAL
from generator.render.plan_labels import LABELS, PRIORITY_NAMES, RECURRENCE_NAMES, counted, dates, number
from generator.render.text import owner_text
from generator.render.windows import FIRST_DAYS, WINDOWS, Days, by_start, load, owners, window_of, work
from generator.words import LANGS, section

# The words only this view says (`terminal.*` in the catalogues, generator/words).
WORDS = {lang: section(lang, "terminal") for lang in LANGS}
PRIORITY_STYLE = {"critical": "bold white on red", "high": "bold yellow", "medium": "", "low": "dim"}
OWNER_STYLE = "bold cyan"
NARROW = 64  # below this many columns, the owner and dates go under the title instead of beside it
MAX_WIDTH = 110  # wider lines are hard to follow: a wide terminal shows the view at this width
WHO_WIDTH = 18  # the owner column beside a title: most role titles fit on one line


def console() -> Console:
    """The console of standard output (its width, colours); tests replace it with a fixed one."""
    return Console(highlight=False, emoji=False, markup=False)


def render(plan: Plan, view: View, out: Console) -> bytes:
    """The plan as `out` shows it (escape sequences included when `out` is a terminal)."""
    width = min(out.width, MAX_WIDTH)
    with out.capture() as captured:
        for part in _parts(plan, view, width):
            out.print(part, width=width)
    return captured.get().encode("utf-8")


def _parts(plan: Plan, view: View, width: int) -> Iterator[RenderableType]:
    shown = [i for i in plan.items if view.window is None or (i.start - plan.start_date).days < view.window]
    yield from _head(plan)
    yield from _summary(plan, width)
    yield from LAYOUTS[view.group_by](plan, shown, width)
    if len(shown) < len(plan.items) and view.window is not None:
        after = plan.start_date + dt.timedelta(days=view.window)
        yield Text(LABELS[plan.lang]["window_more"].format(n=len(plan.items) - len(shown), date=after.isoformat()))
    yield from _excluded(plan)
    yield Text("\n" + WORDS[plan.lang]["hint"], style="dim")


def _head(plan: Plan) -> Iterator[RenderableType]:
    words = LABELS[plan.lang]
    yield Text(f"{words['title']}: {plan.client_name}", style="bold")
    if plan.client_note:
        yield Text(plan.client_note, style="dim")
    yield Text(f"{words['start']}: {plan.start_date.isoformat()} · {words['layers']}: {', '.join(plan.layers)}")
    line = Text(words["summary"].format(n=len(plan.items)) + ": ")
    counts = Counter(i.priority for i in plan.items)
    for priority in sorted(counts, key=PRIORITY_RANK.__getitem__):
        line.append_text(_badge(plan.lang, priority))
        line.append(f" {counts[priority]}  ")
    yield line
    yield Text()


def _heading(text: str) -> Rule:
    return Rule(Text(text, style="bold"), align="left")


def _badge(lang: str, priority: str) -> Text:
    return Text(f" {PRIORITY_NAMES[lang][priority]} ", style=PRIORITY_STYLE[priority])


def _detail(plan: Plan, item: PlanItem, with_step: bool) -> Text:
    """The item's dates, then (dimmed) its step, effort and recurrence, and its ID on a line of its own."""
    effort = counted(plan.lang, "each_time" if item.recurrence else "person_days", item.effort)
    parts = [item.step_title] if with_step else []
    parts.append(effort)
    if item.recurrence:
        parts.append(RECURRENCE_NAMES[plan.lang].get(item.recurrence, item.recurrence))
    detail = Text(item.start.isoformat() + (f" → {item.due.isoformat()}" if item.due != item.start else ""),
                  overflow="fold")  # fold, never cut: an ID is copied into `opsbook explain`
    detail.append(" · " + " · ".join(parts) + "\n" + item.id, style="dim")
    return detail


def _items(plan: Plan, items: Sequence[PlanItem], width: int, with_step: bool = True) -> Table:
    """One row per item: its priority badge, then its title with the owner beside it (below it on a
    narrow screen), its dates, step and effort, and its ID on a line as wide as the screen allows."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for item in items:
        owner = Text(owner_text(item, plan.lang), style=OWNER_STYLE)
        title = Text(item.title, style="bold")
        if width < NARROW:
            head: RenderableType = Text("\n").join([title, owner])
        else:
            head = Table.grid(padding=(0, 1), expand=True)
            head.add_column(ratio=1)
            head.add_column(width=WHO_WIDTH)
            head.add_row(title, owner)
        grid.add_row(_badge(plan.lang, item.priority), Group(head, _detail(plan, item, with_step)))
    return grid


def _summary(plan: Plan, width: int) -> Iterator[RenderableType]:
    words = LABELS[plan.lang]
    yield _heading(words["glance"])
    yield Text(words["critical"], style="bold")
    critical = by_start(i for i in plan.items if i.priority == "critical")
    if not critical:
        yield Text(words["no_critical"] + "\n")
    else:
        yield _items(plan, critical[:MAX_CRITICAL], width)
        more = len(critical) - MAX_CRITICAL
        yield Text(words["more_critical"].format(n=more) + "\n" if more > 0 else "")
    yield from _first_days(plan)
    yield from _not_fitting(plan)


def _first_days(plan: Plan) -> Iterator[RenderableType]:
    """Each owner's work in the first 30 days against their time, the busiest first."""
    words, mine, workload = LABELS[plan.lang], WORDS[plan.lang], plan.workload
    days = Days(plan)
    end = days.index(plan.start_date + dt.timedelta(days=FIRST_DAYS))
    span = dates(plan.lang, plan.start_date, plan.start_date + dt.timedelta(days=FIRST_DAYS - 1))
    yield Text(words["first_days"].format(dates=span, days=end), style="bold")
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="dim")
    table.add_column(words["owner"])
    for name in (words["people"], mine["work"], mine["starting"]):
        table.add_column(name, justify="right")
    busy: list[tuple[float, str, int]] = []
    idle = []
    for owner in owners(plan):
        items = [i for i in plan.items if i.owner == owner]
        starting = sum(1 for i in items if days.index(i.start) < end)
        if starting:
            busy.append((load(work(days, items), 0, end), owner, starting))
        else:
            idle.append(workload.titles.get(owner, owner))
    for booked, owner, starting in sorted(busy, key=lambda row: -row[0]):  # stable: ties keep the staffing's order
        capacity = workload.capacity.get(owner, 0.0) * end
        table.add_row(Text(workload.titles.get(owner, owner), style=OWNER_STYLE),
                      counted(plan.lang, "people_n", workload.people.get(owner, 0)),
                      Text(f"{number(round(booked, 1))} / {number(round(capacity, 1))}",
                           style="bold red" if booked > capacity else ""),
                      mine["starting_n"].format(n=starting))
    yield table
    if idle:
        yield Text(words["idle"].format(owners=words["name_sep"].join(idle)), style="dim")
    yield Text()


def _not_fitting(plan: Plan) -> Iterator[RenderableType]:
    words, workload = LABELS[plan.lang], plan.workload
    yield Text(words["not_fit"], style="bold")
    beyond = set(workload.unsustained)
    title = workload.titles.get
    lines = [words["late_short"].format(days=number(late), owner=title(owner, owner))
             for owner, late in sorted(workload.late_short.items(), key=lambda pair: -pair[1])]
    for owner in owners(plan):
        recurring = [i.title for i in plan.items if i.owner == owner and i.id in beyond]
        if recurring:
            lines.append(words["unsustained"].format(owner=title(owner, owner), n=len(recurring),
                                                     items=words["list_sep"].join(recurring)))
    if not lines:
        yield Text(words["all_fits"] + "\n")
        return
    yield _bullets(lines)
    yield Text(words["fit_hint"].format(share=number(workload.share * 100)) + "\n", style="dim")


def _bullets(lines: Iterable[str]) -> Table:
    """A list whose wrapped lines keep their indent."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for line in lines:
        grid.add_row("•", line)
    return grid


def by_window(plan: Plan, items: Sequence[PlanItem], width: int) -> Iterator[RenderableType]:
    for n, (key, end) in enumerate(WINDOWS):
        mine = by_start(i for i in items if window_of(plan, i) == n)
        if not mine:
            continue
        begin = plan.start_date + dt.timedelta(days=(WINDOWS[n - 1][1] or 0) if n else 0)
        words = LABELS[plan.lang]
        span = words["from"].format(first=begin.isoformat()) if end is None else dates(
            plan.lang, begin, plan.start_date + dt.timedelta(days=end - 1))
        yield _heading(words["span"].format(name=words[key], span=span))
        yield _items(plan, mine, width)


def by_phase(plan: Plan, items: Sequence[PlanItem], width: int) -> Iterator[RenderableType]:
    for phase, steps in _runs(items, lambda i: i.phase):
        yield _heading(plan.phase_titles.get(phase, phase))
        for _, mine in _runs(steps, lambda i: i.step):
            yield Text(mine[0].step_title, style="bold")
            yield _items(plan, mine, width, with_step=False)


def by_owner(plan: Plan, items: Sequence[PlanItem], width: int) -> Iterator[RenderableType]:
    workload = plan.workload
    for owner in owners(plan):
        mine = by_start(i for i in items if i.owner == owner)
        if mine:
            yield _heading(LABELS[plan.lang]["owner_heading"].format(
                owner=workload.titles.get(owner, owner), people=counted(plan.lang, "people_n",
                                                                        workload.people.get(owner, 0)),
                capacity=number(workload.capacity.get(owner, 0.0))))
            yield _items(plan, mine, width)


def _runs(items: Iterable[PlanItem], key: Callable[[PlanItem], str]) -> Iterator[tuple[str, list[PlanItem]]]:
    """Consecutive items with the same key, in the plan's order."""
    run: list[PlanItem] = []
    for item in items:
        if run and key(run[0]) != key(item):
            yield key(run[0]), run
            run = []
        run.append(item)
    if run:
        yield key(run[0]), run


LAYOUTS: dict[str, Callable[[Plan, Sequence[PlanItem], int], Iterator[RenderableType]]] = {
    "window": by_window, "phase": by_phase, "owner": by_owner}


def _excluded(plan: Plan) -> Iterator[RenderableType]:
    if not plan.excluded:
        return
    words = LABELS[plan.lang]
    yield _heading(words["excluded"])
    yield _bullets(f"{gone.title} ({gone.id}; {words['excluded_by']}: "
                   + "; ".join(f"{r.title} ({r.rule})" if r.title else r.rule for r in gone.excluded_by) + ")"
                   for gone in plan.excluded)
