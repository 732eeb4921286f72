"""A resource-constrained schedule of one client's plan items, in working days.

Serial list scheduling, the textbook heuristic for resource-constrained project scheduling:
tasks are taken one at a time, most urgent first among those whose predecessors are
placed, and each goes to the earliest time its owner has capacity for it. Urgency is the
task's priority, raised to that of anything that waits for it (an important item's
dependencies inherit its urgency), then its horizon, then the playbook's own order.

Each owner works at `capacity` person-days per working day. Recurring tasks (weekly,
monthly, quarterly) reserve their effort per occurrence as a steady load for the whole
plan, up to `MAX_RECURRING_SHARE` of the owner's capacity; one-off tasks and the first
occurrence of each recurring task share the rest, one after another, a more urgent one
taking the earliest free time (and a task may pause while a more urgent one runs). Time
is continuous inside the scheduler; a task's start is the working day its work begins and
its due date the working day its work ends.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

MAX_RECURRING_SHARE = 0.5  # recurring work may take at most this share of an owner's time
_EPS = 1e-9
_NOTHING_WAITS = 99  # above every rank and horizon


class Task(NamedTuple):
    effort: float  # person-days for one occurrence
    owner: str
    rank: int  # 0 = critical ... 3 = low
    horizon: int  # 0 = short, 1 = mid, 2 = long
    hint: int  # the playbook's own order (due_days), last tie-breaker before position
    period: int  # working days between occurrences; 0 for a one-off task
    preds: tuple[int, ...]  # tasks (indices) that must be finished before this one starts
    group: int  # the task's step
    after: tuple[int, ...]  # steps all of whose tasks must be finished before this one starts


class Slot(NamedTuple):
    start: int  # working-day index
    due: int
    held_by: int | None  # the predecessor that decided the start, if one did
    waited: bool  # the owner's other work pushed the start later than its predecessors allowed


@dataclass(frozen=True)
class Schedule:
    slots: tuple[Slot, ...]
    urgency: tuple[int, ...]  # effective rank per task, after inheritance
    sustained: frozenset[int]  # recurring tasks whose steady load fits the owner's time
    once_capacity: Mapping[str, float]  # per owner: person-days per working day left for one-off work


class _Graph:
    """Tasks and their steps as one graph: a step is a node that every task waiting for the step
    points to and that points to the step's tasks, so "wait for every item of that step" costs
    one edge per step, not one per item."""

    def __init__(self, tasks: Sequence[Task]) -> None:
        self.size = size = len(tasks)
        members: dict[int, list[int]] = {}
        for n, task in enumerate(tasks):
            members.setdefault(task.group, []).append(n)
        node = {group: size + k for k, group in enumerate(members)}
        # what each node waits for: tasks and step nodes (steps with no task in the plan are ignored)
        self.waits: list[tuple[int, ...]] = [
            (*t.preds, *(node[g] for g in t.after if g in node and g != t.group)) for t in tasks]
        self.waits += [tuple(m) for m in members.values()]
        self.followers: list[list[int]] = [[] for _ in self.waits]
        for n, waits in enumerate(self.waits):
            for p in waits:
                self.followers[p].append(n)
        self.order = self._topological()

    def _topological(self) -> list[int]:
        """Nodes with everything they wait for first (Kahn's algorithm); should the waits form a
        cycle, its nodes follow in index order."""
        waiting = [len(w) for w in self.waits]
        order = [n for n, count in enumerate(waiting) if not count]
        for n in order:  # grows while it is read
            for f in self.followers[n]:
                waiting[f] -= 1
                if not waiting[f]:
                    order.append(f)
        if len(order) < len(waiting):
            order += [n for n, count in enumerate(waiting) if count]
        return order


def schedule(tasks: Sequence[Task], capacity: Mapping[str, float], long_release: int = 0) -> Schedule:
    """Start and due (working-day indices) of every task; see the module's docstring."""
    graph = _Graph(tasks)
    urgency, horizon = _inherit(tasks, graph, graph.order)
    sustained, once = _reserve(tasks, capacity, urgency)
    tail = _tails(tasks, graph, graph.order, once)
    busy: dict[str, list[tuple[float, float]]] = {owner: [] for owner in capacity}
    finish = [0.0] * len(graph.waits)  # a step node's finish: its last task's
    last: list[int | None] = [None] * len(graph.waits)  # the task that finished last (a step node's)
    slots: list[Slot | None] = [None] * len(tasks)
    waits, release_long = graph.waits, float(long_release)
    for n in _by_urgency(tasks, graph, [(urgency[n], horizon[n], -tail[n], t.hint, n) for n, t in enumerate(tasks)],
                         finish, last):
        task = tasks[n]
        ready, held = 0.0, None  # when everything the task waits for is finished, and what finished last
        for p in waits[n]:
            if finish[p] > ready + _EPS and last[p] is not None:
                ready, held = finish[p], last[p]
        floor = release_long if horizon[n] == 2 else 0.0
        release = ready if ready > floor else floor
        # a recurring task's first occurrence is placed like one-off work; the rest is its steady load
        start, end = _place(busy.setdefault(task.owner, []), release, task.effort / once[task.owner])
        first = math.floor(start + _EPS)  # a day with any of the task's work in it is one of its days
        due = max(first, math.ceil(end - _EPS) - 1)
        slots[n] = Slot(first, due, held if ready >= floor else None, start > release + _EPS)
        finish[n], last[n] = (end if end > due else float(due)), n
    return Schedule(tuple(s for s in slots if s is not None), tuple(urgency[: len(tasks)]), frozenset(sustained),
                    once)


def _inherit(tasks: Sequence[Task], graph: _Graph, order: Sequence[int]) -> tuple[list[int], list[int]]:
    """Rank and horizon raised to those of everything that waits for a task."""
    unset = [_NOTHING_WAITS] * (len(graph.waits) - graph.size)  # a step node is as urgent as what waits for it
    urgency = [t.rank for t in tasks] + unset
    horizon = [t.horizon for t in tasks] + unset
    for n in reversed(order):  # whatever waits for a node comes before it
        for p in graph.waits[n]:
            if urgency[n] < urgency[p]:
                urgency[p] = urgency[n]
            if horizon[n] < horizon[p]:
                horizon[p] = horizon[n]
    return urgency, horizon


def _tails(tasks: Sequence[Task], graph: _Graph, order: Sequence[int], once: Mapping[str, float]) -> list[float]:
    """Per task: the longest chain of work that waits for it, itself included, in working days at
    its owners' pace. Among equally urgent tasks the one holding up most work goes first (the
    critical-path rule), which brings the whole plan in sooner."""
    tail = [0.0] * len(graph.waits)
    for n in reversed(order):  # whatever waits for a node comes before it
        own = tasks[n].effort / once[tasks[n].owner] if n < len(tasks) else 0.0
        tail[n] += own
        for p in graph.waits[n]:
            if tail[n] > tail[p]:
                tail[p] = tail[n]
    return tail


def _reserve(tasks: Sequence[Task], capacity: Mapping[str, float],
             urgency: Sequence[int]) -> tuple[set[int], dict[str, float]]:
    """Which recurring tasks get a steady share of their owner's time (most urgent first),
    and the time per working day each owner has left for one-off work."""
    reserved = dict.fromkeys(capacity, 0.0)
    sustained: set[int] = set()
    recurring = sorted((urgency[n], t.horizon, t.hint, n) for n, t in enumerate(tasks) if t.period)
    for *_, n in recurring:
        task = tasks[n]
        rate = task.effort / task.period
        room = capacity.get(task.owner, 0.0) * MAX_RECURRING_SHARE
        if reserved.get(task.owner, 0.0) + rate <= room + _EPS:
            reserved[task.owner] = reserved.get(task.owner, 0.0) + rate
            sustained.add(n)
    return sustained, {owner: capacity[owner] - reserved[owner] for owner in capacity}


def _by_urgency(tasks: Sequence[Task], graph: _Graph, key: Sequence[tuple[int, int, float, int, int]],
                finish: list[float], last: list[int | None]) -> Iterator[int]:
    """The tasks in the order they are placed: the most urgent ready task each time. A step
    node is finished (with its last task's finish) once its tasks are placed."""
    size = len(tasks)
    waiting = [len(w) for w in graph.waits]
    followers = graph.followers
    heap = [key[n] for n in range(size) if not waiting[n]]
    heapq.heapify(heap)
    done = [False] * len(graph.waits)
    placed = 0
    while placed < size:
        if not heap:  # a dependency cycle: take the most urgent task left
            heap = [min(key[n] for n in range(size) if not done[n])]
        n = heapq.heappop(heap)[-1]
        if done[n]:
            continue
        done[n] = True
        placed += 1
        yield n  # the caller places it and sets finish[n]
        _release(n, followers, waiting, done, key, heap, finish, last, size)


def _release(node: int, followers: Sequence[list[int]], waiting: list[int], done: list[bool],
             key: Sequence[tuple[int, int, float, int, int]], heap: list[tuple[int, int, float, int, int]],
             finish: list[float], last: list[int | None], size: int) -> None:
    todo = [node]
    while todo:
        n = todo.pop()
        for f in followers[n]:
            waiting[f] -= 1
            if f >= size:  # a step node: finished when its last task is
                if finish[n] > finish[f] or last[f] is None:
                    finish[f], last[f] = finish[n], last[n]
                if not waiting[f]:
                    done[f] = True
                    todo.append(f)
            elif not waiting[f] and not done[f]:
                heapq.heappush(heap, key[f])


def _place(busy: list[tuple[float, float]], release: float, duration: float) -> tuple[float, float]:
    """Fill the owner's free time from `release` on with `duration` of work; return the first
    and last moment of work, and mark the time taken in `busy` (sorted, disjoint intervals)."""
    if not busy or busy[-1][1] <= release + _EPS:  # the owner is free from `release` on
        end = release + duration
        if busy and release <= busy[-1][1] + _EPS:
            busy[-1] = (busy[-1][0], end)
        else:
            busy.append((release, end))
        return release, end
    pieces: list[tuple[float, float]] = []
    at, left, i = release, duration, 0
    while i < len(busy) and busy[i][1] <= at + _EPS:
        i += 1
    while left > _EPS:
        gap_end = busy[i][0] if i < len(busy) else math.inf
        if gap_end - at > _EPS:
            take = min(left, gap_end - at)
            pieces.append((at, at + take))
            left -= take
            at += take
        if left > _EPS:
            at = max(at, busy[i][1])
            i += 1
    _mark(busy, pieces)
    return pieces[0][0], pieces[-1][1]


def _mark(busy: list[tuple[float, float]], pieces: list[tuple[float, float]]) -> None:
    """Add the pieces (each in a gap of `busy`) and join intervals that now touch."""
    for piece in pieces:
        i = bisect.bisect_left(busy, piece)
        busy.insert(i, piece)
        if i + 1 < len(busy) and busy[i + 1][0] <= busy[i][1] + _EPS:
            busy[i] = (busy[i][0], busy.pop(i + 1)[1])
        if i > 0 and busy[i][0] <= busy[i - 1][1] + _EPS:
            busy[i - 1] = (busy[i - 1][0], busy.pop(i)[1])
