"""opsbook's schedules against TaskJuggler's on the same tasks, and against a lower bound.

    .venv/bin/python bench/taskjuggler.py        # needs `tj3` (Debian: apt-get install tj3)

Every example client is planned by opsbook, and the tasks its scheduler saw are exported to
a TaskJuggler project: one resource per owner whose `efficiency` is the owner's time for
one-off work (`Schedule.once_capacity`, person-days per working day), one effort-based task
per plan item (a recurring item's first occurrence), its predecessors as `depends` and its
urgency as `priority`. `tj3` schedules it and a CSV report gives each task's start and end.

Both finish times are counted in working days from the plan's first working day, rounded up
to whole days as opsbook's due dates are: for the short-horizon items (those whose own
horizon is short) and for the whole plan. The lower bound is the larger of the longest
dependency chain (each task at its owner's full one-off rate, long-horizon work no earlier
than its release) and the busiest owner's one-off work; for the short-horizon items it is
taken over those items and everything they wait for.

The tight bound ("tight") is a diagnostic beside it: each owner alone, its tasks no earlier
than their heads and each followed by its tail, solved exactly with pauses allowed (as
opsbook allows them). A task's head is the longest chain of predecessors or, if later, the
soonest each owner could finish every task it holds among them; its tail likewise, for what
waits for it. Neither bound knows priorities, which both schedulers put first: where an
urgent item holds its owner, less urgent short-horizon work waits, however early a schedule
without priorities could finish it.

The same model on both sides: both schedulers take the most urgent ready task and give it
its owner's earliest free time, filling gaps and pausing around work already placed. A
step that waits for another step is exported as a dependency on each of that step's tasks;
the release of long-horizon work as a milestone they depend on. Where the models differ:
TaskJuggler books whole slots (`RESOLUTION_MINUTES`), so a task's last slot is partly
wasted where opsbook's time is continuous (one to three days later over a plan, against
15-minute slots); opsbook's order is urgency, then horizon, then the playbook's order, and
TaskJuggler's priority carries the first two (`_priority`) but breaks ties by path
criticalness, then the order tasks are defined in (the playbook's). Recurring work beyond
a first occurrence is in neither: it is the load taken off each owner's efficiency.
"""

from __future__ import annotations

import csv
import datetime as dt
import graphlib
import heapq
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.facts.client import ClientFacts, load_facts  # noqa: E402  (after the path is set)
from generator.plan import planner  # noqa: E402
from generator.plan.calendar import WorkCalendar  # noqa: E402
from generator.plan.planner import Template, Timing, decide  # noqa: E402
from generator.plan.playbook import Playbook, load_playbook  # noqa: E402
from generator.plan.schedule import Network, Schedule, schedule  # noqa: E402

Row = tuple[str, str, str, str, str]
TJ3 = "tj3"
TARGET = 1.1
# the whole plan runs on the US calendar (weekends and federal holidays, no weekend workdays,
# which TaskJuggler's weekly working hours could not express), and each holiday is exported
# as a TaskJuggler `leaves holiday`, so both schedulers see exactly the same working days
COUNTRY = "US"
RESOLUTION_MINUTES = 60  # TaskJuggler's slot; a working day is 24 working hours, so 1/24 day
LONG = 2  # the horizon index of long-horizon work, which waits for the long release


class Task(NamedTuple):
    """One chosen task as the scheduler saw it, by its index among the client's tasks."""

    effort: float
    owner: str
    rank: int
    horizon: int
    preds: tuple[int, ...]  # chosen tasks it waits for
    group: int  # its step
    after: tuple[int, ...]  # other steps all of whose chosen tasks it waits for


def _tasks(net: Network, chosen: Sequence[int], rank: Sequence[int], owner: Sequence[str],
           bridged: Mapping[int, tuple[int, ...]]) -> tuple[Task, ...]:
    """The chosen tasks, each waiting for the chosen tasks the scheduler had it wait for
    (`Schedule.bridged`: through left-out tasks of its step)."""
    index = {n: t for t, n in enumerate(chosen)}
    return tuple(Task(net.effort[n], owner[t], rank[t], net.horizon[n],
                      tuple(index[p] for p in bridged.get(n, net.preds[n]) if p in index), net.step[n], net.after[n])
                 for t, n in enumerate(chosen))


@dataclass(frozen=True)
class Case:
    """One example client's tasks as opsbook scheduled them."""

    name: str
    tasks: tuple[Task, ...]
    preds: tuple[tuple[int, ...], ...]  # per task, every task it waits for
    result: Schedule
    calendar: WorkCalendar
    release: int  # working day before which long-horizon work may not start
    horizon: tuple[int, ...]  # per task, inherited: the most pressing horizon of anything waiting for it
    seconds: float  # opsbook's scheduler


@dataclass(frozen=True)
class Finish:
    """Finish of one set of tasks, in whole working days from the plan's first."""

    opsbook: int
    tj3: int
    bound: int  # the longest chain, or the busiest owner's work
    tight: int  # each owner alone, with when its work can start and what must follow it

    def vs_tj3(self) -> float:
        return self.opsbook / self.tj3

    def vs_bound(self) -> float:
        return self.opsbook / self.bound

    def vs_tight(self) -> float:
        return self.opsbook / self.tight


@dataclass(frozen=True)
class Outcome:
    case: Case
    short: Finish
    whole: Finish
    tj3_seconds: float


def _predecessors(tasks: Sequence[Task]) -> tuple[tuple[int, ...], ...]:
    """Everything each task waits for, as tasks: its item dependencies and every task of the
    steps it waits for (its own step aside), since TaskJuggler depends on tasks one by one."""
    members: dict[int, list[int]] = {}
    for n, task in enumerate(tasks):
        members.setdefault(task.group, []).append(n)
    return tuple(tuple(sorted({*task.preds, *(m for g in task.after if g != task.group for m in members.get(g, ()))}))
                 for task in tasks)


def _order(preds: Sequence[Sequence[int]]) -> list[int]:
    return list(graphlib.TopologicalSorter(dict(enumerate(preds))).static_order())


def _inherited(tasks: Sequence[Task], preds: Sequence[Sequence[int]]) -> tuple[int, ...]:
    """Each task's horizon raised to the most pressing one of everything that waits for it,
    as opsbook orders and releases work: only work nothing sooner waits for is long."""
    horizon = [t.horizon for t in tasks]
    for n in reversed(_order(preds)):
        for p in preds[n]:
            horizon[p] = min(horizon[p], horizon[n])
    return tuple(horizon)


def _scheduled(playbook: Playbook, tpl: Template, facts: ClientFacts) -> tuple[Sequence[Task], int, Timing, float]:
    """The tasks and long release the planner handed its scheduler, caught on the way, the
    planner's account of the schedule, and the seconds the scheduler took."""
    calls: list[tuple[Sequence[Task], int, float]] = []

    def caught(net: Network, chosen: Sequence[int], rank: Sequence[int], owner: Sequence[str],
               capacity: Mapping[str, float], long_release: int = 0) -> Schedule:
        began = time.perf_counter()
        result = schedule(net, chosen, rank, owner, capacity, long_release)
        calls.append((_tasks(net, chosen, rank, owner, result.bridged), long_release, time.perf_counter() - began))
        return result

    with mock.patch.object(planner, "schedule", caught):
        timing = decide(tpl, playbook.evaluate(facts), facts, facts.start_date or dt.date.today()).timing
    (tasks, release, seconds), = calls
    return tasks, release, timing, seconds


def plan_case(playbook: Playbook, tpl: Template, path: Path) -> Case:
    """One example planned on the benchmark's calendar, with the tasks its schedule came from."""
    loaded = load_facts(path, playbook.kb)
    facts = ClientFacts(MappingProxyType({**loaded.values, "country": COUNTRY}), loaded.source)
    tasks, release, timing, seconds = _scheduled(playbook, tpl, facts)
    preds = _predecessors(tasks)
    return Case(path.stem, tuple(tasks), preds, timing.result, timing.calendar, release, _inherited(tasks, preds),
                seconds)


def _duration(case: Case, n: int) -> float:
    """Working days task `n` takes at its owner's full one-off rate."""
    task = case.tasks[n]
    return task.effort / case.result.once_capacity[task.owner]


def _horizon_day(case: Case) -> int:
    """A working day neither scheduler passes: after the release some task runs at every
    moment until the end (a list scheduler leaves no time free that a ready task could use),
    so the end comes by the release plus every task one after another, plus TaskJuggler's
    rounding of each task to whole slots."""
    serial = sum(_duration(case, n) for n in range(len(case.tasks)))
    return case.release + math.ceil(serial + len(case.tasks) * RESOLUTION_MINUTES / 1440) + 5


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}-00:00"


def _holidays(case: Case, last: int) -> list[dt.date]:
    """Weekdays the calendar does not work, from the first working day to working day `last`."""
    working = {case.calendar.ordinal(i) for i in range(last + 1)}
    if any(dt.date.fromordinal(d).weekday() >= 5 for d in working):
        raise ValueError(f"{case.calendar.country} works some weekend days; TaskJuggler's export cannot say so")
    first, end = case.calendar.ordinal(0), case.calendar.ordinal(last)
    return [dt.date.fromordinal(d) for d in range(first, end)
            if d not in working and dt.date.fromordinal(d).weekday() < 5]


def _priority(urgency: int, horizon: int) -> int:
    """TaskJuggler's priority (1..1000, higher first) from opsbook's order: urgency (0 =
    critical), then the inherited horizon; the playbook's order, opsbook's next tie-breaker,
    has no counterpart (TaskJuggler uses path criticalness, then the order of definition)."""
    return 1000 - 200 * urgency - 50 * horizon


def _task_lines(case: Case, resource: Mapping[str, str]) -> Iterable[str]:
    if any(h == LONG for h in case.horizon):
        yield f'task release "long-horizon release" {{ start {_stamp(case.calendar.date(case.release))} }}'
    for n, task in enumerate(case.tasks):
        after = [f"!t{p + 1}" for p in case.preds[n]]
        if case.horizon[n] == LONG:
            after.append("!release")
        depends = f" depends {', '.join(after)}" if after else ""
        yield (f'task t{n + 1} "{n}" {{ effort {task.effort:g}d allocate {resource[task.owner]} '
               f"priority {_priority(case.result.urgency[n], case.horizon[n])}{depends} }}")


def tjp(case: Case) -> str:
    """The TaskJuggler project of one case: working days are whole 24-hour days, so one
    person-day of effort is one working day of a resource with efficiency 1."""
    last = _horizon_day(case)
    owners = sorted(case.result.once_capacity)
    resource = {owner: f"r{k + 1}" for k, owner in enumerate(owners)}
    lines = [
        f'project opsbook "{case.name}" {_stamp(case.calendar.date(0))} - {_stamp(case.calendar.date(last + 1))} {{',
        '  timezone "UTC"',
        f"  timingresolution {RESOLUTION_MINUTES}min",
        "  dailyworkinghours 24",
        "  workinghours mon - fri 0:00 - 24:00",
        "  workinghours sat, sun off",
        "}",
        *(f'leaves holiday "off" {day.isoformat()}' for day in _holidays(case, last)),
        *(f'resource {resource[o]} "{o}" {{ efficiency {case.result.once_capacity[o]!r} }}' for o in owners),
        *_task_lines(case, resource),
        'taskreport "schedule" { formats csv columns id, start, end timeformat "%Y-%m-%d %H:%M" }',
    ]
    return "\n".join(lines) + "\n"


def run_tj3(case: Case) -> tuple[dict[int, dt.datetime], float]:
    """Each task's end as TaskJuggler schedules it, and the seconds `tj3` took."""
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "plan.tjp"
        project.write_text(tjp(case), encoding="utf-8")
        began = time.perf_counter()
        done = subprocess.run([TJ3, "--silent", "--no-color", "-o", tmp, str(project)], capture_output=True,
                              text=True, cwd=tmp)
        seconds = time.perf_counter() - began
        if done.returncode:
            raise RuntimeError(f"tj3 failed on {case.name}:\n{done.stdout}{done.stderr}")
        with (Path(tmp) / "schedule.csv").open(encoding="utf-8", newline="") as report:
            ends = {int(row["Id"][1:]) - 1: dt.datetime.strptime(row["End"], "%Y-%m-%d %H:%M")
                    for row in csv.DictReader(report, delimiter=";") if row["Id"].startswith("t")}
    if len(ends) != len(case.tasks):
        raise RuntimeError(f"tj3 reported {len(ends)} of {len(case.tasks)} tasks for {case.name}")
    return ends, seconds


def _working_days(case: Case, moment: dt.datetime) -> float:
    """Working days from the plan's first working day to `moment`."""
    day = moment.date()
    before = case.calendar.index_after((day - case.calendar.start).days)  # working days before `day`
    worked = case.calendar.ordinal(before) == day.toordinal()
    return before + ((moment.hour * 60 + moment.minute) / 1440 if worked else 0.0)


def _whole(days: float) -> int:
    """Whole working days, as a due date counts them: work that ends inside a day takes it."""
    return math.ceil(days - 1e-6)


def _heads(case: Case) -> list[float]:
    """Each task's earliest start by its longest chain of predecessors, each at its owner's
    full one-off rate, and long-horizon work not before the release."""
    head = [0.0] * len(case.tasks)
    for n in _order(case.preds):
        floor = float(case.release) if case.horizon[n] == LONG else 0.0
        head[n] = max([floor, *(head[p] + _duration(case, p) for p in case.preds[n])])
    return head


def _followers(case: Case) -> list[list[int]]:
    followers: list[list[int]] = [[] for _ in case.tasks]
    for n, waits in enumerate(case.preds):
        for p in waits:
            followers[p].append(n)
    return followers


def _gaps(n: int, reached: Iterable[int], towards: Sequence[Sequence[int]], order: Mapping[int, int],
          duration: Sequence[float], backward: bool) -> dict[int, float]:
    """The least time between task `n` and each task of `reached`, all of them before it
    (`backward`, `towards` its followers) or all after it (`towards` its predecessors): the
    longest chain of tasks strictly between."""
    gap = {n: 0.0}
    for m in sorted(reached, key=order.__getitem__, reverse=backward):  # nearest to `n` first
        gap[m] = max(gap[k] + (duration[k] if k != n else 0.0) for k in towards[m] if k in gap)
    return gap


def _owner_heads(case: Case) -> list[float]:
    """Each task's earliest start, also by its owners' work: no earlier than its longest chain
    allows, nor than each owner alone could finish every task it holds among the task's
    predecessors (each no earlier than its own head, followed by the chain from it to the task)."""
    duration = [_duration(case, n) for n in range(len(case.tasks))]
    followers, order = _followers(case), _order(case.preds)
    position = {n: k for k, n in enumerate(order)}
    before: list[set[int]] = [set() for _ in case.tasks]
    head = [0.0] * len(case.tasks)
    for n in order:
        for p in case.preds[n]:
            before[n] |= before[p] | {p}
        floor = float(case.release) if case.horizon[n] == LONG else 0.0
        head[n] = max([floor, *(head[p] + duration[p] for p in case.preds[n])])
        if before[n]:
            gap = _gaps(n, before[n], followers, position, duration, backward=True)
            jobs: dict[str, list[tuple[float, float, float]]] = {}
            for p in before[n]:
                jobs.setdefault(case.tasks[p].owner, []).append((head[p], duration[p], gap[p]))
            head[n] = max(head[n], *map(_jackson, jobs.values()))
    return head


def _tails(case: Case, targets: Set[int], by_owner: bool = False) -> list[float]:
    """Per task, the least work that must follow it before every target is finished (minus
    infinity for a task no target waits for): the longest chain that waits for it and, `by_owner`,
    each owner alone doing every task it holds among those that wait for it (each no earlier than
    the chain from the task allows, followed by its own tail)."""
    duration = [_duration(case, n) for n in range(len(case.tasks))]
    followers, order = _followers(case), _order(case.preds)
    position = {n: k for k, n in enumerate(order)}
    after: list[set[int]] = [set() for _ in case.tasks]
    tail = [0.0 if n in targets else -math.inf for n in range(len(case.tasks))]
    for n in reversed(order):  # whatever waits for a task comes before it
        for f in followers[n]:
            after[n] |= after[f] | {f}
            tail[n] = max(tail[n], tail[f] + duration[f])
        needed = [f for f in after[n] if tail[f] > -math.inf]
        if by_owner and needed:
            gap = _gaps(n, after[n], case.preds, position, duration, backward=False)
            jobs: dict[str, list[tuple[float, float, float]]] = {}
            for f in needed:
                jobs.setdefault(case.tasks[f].owner, []).append((gap[f], duration[f], tail[f]))
            tail[n] = max(tail[n], *map(_jackson, jobs.values()))
    return tail


def _jackson(jobs: Iterable[tuple[float, float, float]]) -> float:
    """The optimum of one owner alone, its tasks given as (head, duration, tail) and free to
    pause: run the started task with the longest tail (Jackson's preemptive rule), and take
    the latest end plus tail."""
    pending = sorted(jobs, reverse=True)  # the next head last
    ready: list[tuple[float, float]] = []  # (-tail, duration left)
    at = latest = 0.0
    while pending or ready:
        if not ready:
            at = max(at, pending[-1][0])
        while pending and pending[-1][0] <= at + 1e-9:
            _, duration, tail = pending.pop()
            heapq.heappush(ready, (-tail, duration))
        negative_tail, left = heapq.heappop(ready)
        run = min(left, (pending[-1][0] if pending else math.inf) - at)
        at += run
        if left - run > 1e-9:
            heapq.heappush(ready, (negative_tail, left - run))
        else:
            latest = max(latest, at - negative_tail)
    return latest


def _bounds(case: Case, chosen: Iterable[int]) -> tuple[int, int]:
    """Two lower bounds on finishing `chosen`. The simple one: the longest chain of
    predecessors, or the owner with the most work among them and everything they wait for.
    The tight one: each owner alone, its tasks no earlier than their owner-aware heads and each
    followed by its owner-aware tail; it is at least the simple one."""
    targets = set(chosen)
    head, tail = _heads(case), _tails(case, targets)
    needed = [n for n in range(len(case.tasks)) if tail[n] > -math.inf]
    chain = max(head[n] + _duration(case, n) for n in targets)
    load = max(sum(_duration(case, n) for n in needed if case.tasks[n].owner == owner)
               for owner in {case.tasks[n].owner for n in needed})
    head, tail = _owner_heads(case), _tails(case, targets, by_owner=True)
    jobs: dict[str, list[tuple[float, float, float]]] = {}
    for n in needed:
        jobs.setdefault(case.tasks[n].owner, []).append((head[n], _duration(case, n), tail[n]))
    alone = max(_jackson(owned) for owned in jobs.values())
    return _whole(max(chain, load)), _whole(max(chain, alone))


def _finish(case: Case, ends: Mapping[int, dt.datetime], chosen: Sequence[int]) -> Finish:
    ours = max(case.result.slots[n].due for n in chosen) + 1
    theirs = _whole(max(_working_days(case, ends[n]) for n in chosen))
    return Finish(ours, theirs, *_bounds(case, chosen))


def compare(case: Case) -> Outcome:
    ends, seconds = run_tj3(case)
    short = [n for n, task in enumerate(case.tasks) if task.horizon == 0]
    return Outcome(case, _finish(case, ends, short), _finish(case, ends, range(len(case.tasks))), seconds)


def outcomes(root: Path = ROOT) -> list[Outcome]:
    playbook = load_playbook(root / "kb", root / "rules")
    tpl = playbook.template("en")
    return [compare(plan_case(playbook, tpl, path)) for path in sorted((root / "examples").glob("*.yaml"))]


def table(results: Sequence[Outcome]) -> list[tuple[str, ...]]:
    columns = ("opsbook", "tj3", "ratio", "bound", "ratio", "tight", "ratio")
    rows: list[tuple[str, ...]] = [("", "", "short", *[""] * 6, "whole", *[""] * 6, "", ""),
                                   ("example", "tasks", *columns, *columns, "opsbook ms", "tj3 s")]
    for r in results:
        rows.append((r.case.name, str(len(r.case.tasks)), *_cells(r.short), *_cells(r.whole),
                     f"{r.case.seconds * 1e3:.1f}", f"{r.tj3_seconds:.1f}"))
    return rows


def _cells(f: Finish) -> tuple[str, ...]:
    return (str(f.opsbook), str(f.tj3), f"{f.vs_tj3():.3f}", str(f.bound), f"{f.vs_bound():.3f}", str(f.tight),
            f"{f.vs_tight():.3f}")


def _summary(figure: str, ratios: Mapping[str, float], baseline: str) -> Row:
    worst = max(ratios, key=lambda name: ratios[name])
    return (figure, f"median {statistics.median(ratios.values()):.3f}x", baseline,
            f"worst {ratios[worst]:.3f}x ({worst})", f"<= {TARGET:g}x")


def taskjuggler_rows(root: Path = ROOT) -> list[Row]:
    """The benchmark's figures: opsbook's finish against TaskJuggler's and against the bound."""
    if shutil.which(TJ3) is None:
        return [("finish vs TaskJuggler", "skipped", "tj3 not found (Debian: apt-get install tj3)", "—", "—")]
    results = outcomes(root)
    version = subprocess.run([TJ3, "--version"], capture_output=True, text=True).stdout.split("\n")[0].strip()
    same = f"{version}, same tasks, {len(results)} examples"
    return [
        _summary("finish vs TaskJuggler: short-horizon work", {r.case.name: r.short.vs_tj3() for r in results}, same),
        _summary("finish vs TaskJuggler: whole plan", {r.case.name: r.whole.vs_tj3() for r in results}, same),
        _summary("finish vs lower bound: short-horizon work", {r.case.name: r.short.vs_bound() for r in results},
                 "longest chain or busiest owner"),
        _summary("finish vs lower bound: whole plan", {r.case.name: r.whole.vs_bound() for r in results},
                 "longest chain or busiest owner"),
        _summary("finish vs tight bound: short-horizon work", {r.case.name: r.short.vs_tight() for r in results},
                 "each owner alone, with owner-aware heads and tails"),
        _summary("finish vs tight bound: whole plan", {r.case.name: r.whole.vs_tight() for r in results},
                 "each owner alone, with owner-aware heads and tails"),
    ]


def main() -> None:
    if shutil.which(TJ3) is None:
        sys.exit("tj3 (TaskJuggler) is not on PATH; install it (Debian: apt-get install tj3) to run this benchmark")
    began = time.perf_counter()
    rows = table(outcomes())
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(" | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    print(f"finish in working days from the first; {time.perf_counter() - began:.1f} s in all")


if __name__ == "__main__":
    main()
