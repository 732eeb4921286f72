"""A resource-constrained schedule of one client's plan items, in working days.

Serial list scheduling, the textbook heuristic for resource-constrained project scheduling:
tasks are taken one at a time, most urgent first among those whose predecessors are
placed, and each goes to the earliest time its owner has capacity for it. Urgency is the
task's priority, raised to that of anything that waits for it (an important item's
dependencies inherit its urgency), then its horizon, then the longest chain of work that
waits for it, then the playbook's own order.

Each owner works at `capacity` person-days per working day. Recurring tasks (weekly,
monthly, quarterly) reserve their effort per occurrence as a steady load for the whole
plan, up to `MAX_RECURRING_SHARE` of the owner's capacity; one-off tasks and the first
occurrence of each recurring task share the rest, one after another, a more urgent one
taking the earliest free time (and a task may pause while a more urgent one runs). Time
is continuous inside the scheduler; a task's start is the working day its work begins and
its due date the working day its work ends.

What does not depend on the client is worked out once per playbook: a `Network` of every
task a plan can hold, what waits for what, and an order with everything a task waits for
first. The items of one step are a procedure: where a client's plan leaves one out, a task
that waits for it waits instead for what it waits for (one left out in another step is
simply not waited for). Tasks and steps are numbered together as nodes (a task by its position, a step
after the last task), so that what a task waits for is one list of nodes. `schedule` then
works on the positions of one client's chosen tasks.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple, cast

from generator.core.records import record

MAX_RECURRING_SHARE = 0.5  # recurring work may take at most this share of an owner's time
_EPS = 1e-9
_NOTHING_WAITS = 99  # above every rank and horizon


class Slot(NamedTuple):
    start: int  # working-day index
    due: int
    held_by: int | None  # the predecessor (a chosen task's index) that decided the start, if one did
    waited: bool  # the owner's other work pushed the start later than its predecessors allowed


@record
class Schedule:
    slots: tuple[Slot, ...]  # per chosen task, in the order given
    urgency: tuple[int, ...]  # effective rank per chosen task, after inheritance
    sustained: frozenset[int]  # recurring tasks (chosen indices) whose steady load fits the owner's time
    once_capacity: Mapping[str, float]  # per owner: person-days per working day left for one-off work
    # per chosen task (position) that waits through left-out tasks of its step: the chosen ones it waits for
    bridged: Mapping[int, tuple[int, ...]]


@record
class Network:
    """Every task a plan can hold, by position, and what waits for what: the same for every
    client. A task waits for the tasks in `preds` and for every chosen task of each step in
    `after` (never its own step); steps are numbered from 0, and as nodes from the number
    of tasks on."""

    effort: tuple[float, ...]  # person-days for one occurrence
    horizon: tuple[int, ...]  # 0 = short, 1 = mid, 2 = long
    hint: tuple[int, ...]  # the playbook's own order (due_days), last tie-breaker before position
    period: tuple[int, ...]  # working days between occurrences; 0 for a one-off task
    step: tuple[int, ...]
    preds: tuple[tuple[int, ...], ...]
    after: tuple[tuple[int, ...], ...]
    followers: tuple[tuple[int, ...], ...]  # per task: the tasks whose `preds` name it
    waiters: tuple[tuple[int, ...], ...]  # per step: the tasks whose `after` names it
    order: tuple[int, ...]  # every task after everything it can wait for (a cycle's tasks last)
    place_in_order: tuple[int, ...]  # per task: its place in `order`
    acyclic: bool  # no task waits, through any chain, for itself
    step_node: tuple[int, ...]  # per task: its step's node
    waits: tuple[tuple[int, ...], ...]  # per task: the nodes it waits for, its `preds` then its `after`
    released: tuple[tuple[int, ...], ...]  # per node: the tasks that wait for it (`followers`, then `waiters`)
    procedure: tuple[tuple[int, ...], ...]  # per task: its `preds` in its own step


def network(effort: Sequence[float], horizon: Sequence[int], hint: Sequence[int], period: Sequence[int],
            step: Sequence[int], preds: Sequence[Sequence[int]], after: Sequence[Sequence[int]]) -> Network:
    """The network of these tasks, every argument by position."""
    size, steps = len(step), max(step, default=-1) + 1
    others = [tuple(g for g in waits if g != step[n]) for n, waits in enumerate(after)]
    followers: list[list[int]] = [[] for _ in range(size)]
    waiters: list[list[int]] = [[] for _ in range(steps)]
    members: list[list[int]] = [[] for _ in range(steps)]
    for n in range(size):
        members[step[n]].append(n)
        for p in preds[n]:
            followers[p].append(n)
        for g in others[n]:
            waiters[g].append(n)
    # Kahn's algorithm: a task is in once its preds and every task of the steps it waits for are
    waiting = [len(preds[n]) + sum(len(members[g]) for g in others[n]) for n in range(size)]
    order = [n for n in range(size) if not waiting[n]]
    for n in order:  # grows while it is read
        for f in (*followers[n], *waiters[step[n]]):
            waiting[f] -= 1
            if not waiting[f]:
                order.append(f)
    acyclic = len(order) == size
    if not acyclic:  # a cycle (validation refuses them): its tasks in position order
        order += [n for n in range(size) if waiting[n]]
    place_in_order = [0] * size
    for place, n in enumerate(order):
        place_in_order[n] = place
    released = tuple(map(tuple, followers + waiters))
    waits = tuple((*preds[n], *(size + g for g in others[n])) for n in range(size))
    procedure = tuple(tuple(p for p in preds[n] if step[p] == step[n]) for n in range(size))
    return Network(tuple(effort), tuple(horizon), tuple(hint), tuple(period), tuple(step),
                   tuple(map(tuple, preds)), tuple(others), released[:size], released[size:], tuple(order),
                   tuple(place_in_order), acyclic, tuple(size + g for g in step), waits, released, procedure)


def schedule(net: Network, chosen: Sequence[int], rank: Sequence[int], owner: Sequence[str],
             capacity: Mapping[str, float], long_release: int = 0) -> Schedule:
    """Start and due (working-day indices) of the chosen tasks (positions in `net`, ascending;
    `rank` 0 = critical ... 3 = low, and `owner` per chosen task); see the module's docstring."""
    client = _Client(net, chosen, rank, owner)
    sustained, once = _reserve(client, capacity)
    client.add_tails(once)
    slots = client.place(once, float(long_release))
    index = client.index
    return Schedule(tuple(slots), tuple(map(client.urgency.__getitem__, chosen)),
                    frozenset(index[n] for n in sustained), once, client.bridged)


class _Client:
    """One client's chosen tasks on the network: urgency and horizon raised to those of what
    waits, and the longest chain each holds up. Arrays are by node (what they hold for a task
    that is not chosen, or a step without chosen tasks, means nothing)."""

    def __init__(self, net: Network, chosen: Sequence[int], rank: Sequence[int], owner: Sequence[str]) -> None:
        self.net, self.chosen = net, chosen
        size, nodes = len(net.step), len(net.released)
        index = [-1] * size  # position -> chosen task index; -1 when not chosen
        owners = [""] * size
        urgency = [_NOTHING_WAITS] * nodes
        for t, n in enumerate(chosen):
            index[n] = t
            owners[n] = owner[t]
            urgency[n] = rank[t]
        self.index, self.owner, self.urgency = index, owners, urgency
        self.waits: Sequence[tuple[int, ...]] = net.waits
        self.bridged = self._bridge()
        self.order = sorted(chosen, key=net.place_in_order.__getitem__)  # everything a task waits for first
        self.horizon = [*net.horizon, *[_NOTHING_WAITS] * (nodes - size)]
        self.tail = [0.0] * nodes
        self.duration = [0.0] * size  # working days of one occurrence at the owner's pace (set with the tails)
        self.tails_rise = True  # every task's tail is longer than the tail of anything waiting for it
        self._inherit()

    def _bridge(self) -> dict[int, tuple[int, ...]]:
        """Per chosen task that waits for a left-out task of its own step: the chosen tasks it
        waits for, through that one (and so on). `waits` is the network's own list, copied
        where some task's differ."""
        net, index, procedure = self.net, self.index, self.net.procedure
        bridged: dict[int, tuple[int, ...]] = {}
        for n in self.chosen:
            for p in procedure[n]:
                if index[p] < 0:
                    bridged[n] = self._through(n)
                    break
        if bridged:
            self.waits = waits = list(net.waits)
            for n, through in bridged.items():
                waits[n] = (*through, *waits[n][len(net.preds[n]):])  # then the steps it waits for
        return bridged

    def _through(self, n: int) -> tuple[int, ...]:
        """The chosen tasks `n` waits for, its own and, through each left-out task of its step,
        that one's (and so on)."""
        net, index = self.net, self.index
        found: list[int] = []
        pending, seen = list(reversed(net.preds[n])), {n}
        while pending:
            p = pending.pop()
            if p not in seen:
                seen.add(p)
                if index[p] >= 0:
                    found.append(p)
                elif net.step[p] == net.step[n]:
                    pending.extend(reversed(net.preds[p]))
        return tuple(found)

    def _inherit(self) -> None:
        """Rank and horizon lowered to those of everything that waits for a task (directly or
        through its step): whatever waits for a task comes later in the order. A node without
        chosen tasks is lowered too, and never read."""
        urgency, horizon, step_node, waits = self.urgency, self.horizon, self.net.step_node, self.waits
        for n in reversed(self.order):
            s = step_node[n]
            u = urgency[n] if urgency[n] < urgency[s] else urgency[s]
            h = horizon[n] if horizon[n] < horizon[s] else horizon[s]
            urgency[n], horizon[n] = u, h
            for x in waits[n]:
                if u < urgency[x]:
                    urgency[x] = u
                if h < horizon[x]:
                    horizon[x] = h

    def add_tails(self, once: Mapping[str, float]) -> None:
        """Per task: the longest chain of work that waits for it, itself included, in working
        days at its owners' pace. Among equally urgent tasks the one holding up most work goes
        first (the critical-path rule), which brings the whole plan in sooner."""
        tail, duration, owner, effort = self.tail, self.duration, self.owner, self.net.effort
        step_node, waits = self.net.step_node, self.waits
        for n in reversed(self.order):
            s = step_node[n]
            duration[n] = work = effort[n] / once[owner[n]]
            longest = tail[n] if tail[n] > tail[s] else tail[s]
            tail[n] = total = longest + work
            if total <= longest:  # a task without work (or lost in the rounding)
                self.tails_rise = False
            for x in waits[n]:
                if total > tail[x]:
                    tail[x] = total

    def _urgency_order(self) -> list[int]:
        """The chosen tasks, most urgent first: urgency, horizon, longest tail, the playbook's
        order, position (a stable sort per key, the last key first)."""
        by_rank = sorted(self.chosen, key=self.net.hint.__getitem__)  # `chosen` is in position order
        by_rank.sort(key=self.tail.__getitem__, reverse=True)  # reversed, and still stable
        by_rank.sort(key=self.horizon.__getitem__)
        by_rank.sort(key=self.urgency.__getitem__)
        return by_rank

    def _ready_order(self, by_rank: list[int]) -> list[int]:
        """The tasks in the order they are placed: each time the most urgent of those whose
        predecessors are placed. When the tails rise along every chain (and the network has no
        cycle), that is the urgency order itself, as whatever a task waits for is more urgent."""
        if self.tails_rise and self.net.acyclic:
            return by_rank
        chosen, step_node, pop, push = self.chosen, self.net.step_node, heapq.heappop, heapq.heappush
        unplaced = [0] * len(self.urgency)  # per node: chosen tasks not placed yet
        for n in chosen:
            unplaced[n] = 1
            unplaced[step_node[n]] += 1
        waiting = [0] * len(step_node)  # per task: nodes with chosen tasks it still waits for
        released: dict[int, list[int]] = {}  # per node: the chosen tasks that wait for it
        for n in chosen:
            for x in self.waits[n]:
                if unplaced[x]:
                    waiting[n] += 1
                    released.setdefault(x, []).append(n)
        rank = {n: r for r, n in enumerate(by_rank)}
        heap = [rank[n] for n in chosen if not waiting[n]]  # the ready tasks' ranks
        heapq.heapify(heap)
        order: list[int] = []
        for _ in chosen:
            if not heap:  # a dependency cycle: take the most urgent task left, and never again
                heap.append(min(rank[n] for n in chosen if unplaced[n]))
                waiting[by_rank[heap[0]]] = -1
            n = by_rank[pop(heap)]
            order.append(n)
            s = step_node[n]
            unplaced[n], unplaced[s] = 0, unplaced[s] - 1
            # what waits for the task, and for its step once that is finished, waits for one thing less
            for f in (*released.get(n, ()), *(() if unplaced[s] else released.get(s, ()))):
                waiting[f] -= 1
                if not waiting[f]:
                    push(heap, rank[f])
        return order

    def place(self, once: Mapping[str, float], release_long: float) -> list[Slot]:
        """The tasks placed in `_ready_order`, each at its owner's earliest free time once
        everything it waits for is finished; a step is finished with its last task."""
        net, index, owner, duration, horizon = self.net, self.index, self.owner, self.duration, self.horizon
        step_node, waits = net.step_node, self.waits
        finish = [0.0] * len(self.urgency)  # per node; a task not chosen or not placed finishes at 0
        by: list[int | None] = [None] * len(finish)  # per node: the chosen task that finished it
        lanes: dict[str, list[float]] = {o: [] for o in once}  # per owner: busy time, see `_fill`
        slots: list[Slot | None] = [None] * len(self.chosen)
        new_tuple, floor_of, ceil_of = tuple.__new__, math.floor, math.ceil
        for n in self._ready_order(self._urgency_order()):
            ready, held, bar = 0.0, None, _EPS  # when everything the task waits for is finished, and what did last
            for x in waits[n]:
                if finish[x] > bar:
                    ready, held = finish[x], by[x]
                    bar = ready + _EPS
            if ready < release_long and horizon[n] == 2:  # long-horizon work waits for the release instead
                release, held = release_long, None
            else:
                release = ready
            # a recurring task's first occurrence is placed like one-off work; the rest is its steady load
            lane = lanes[owner[n]]
            if not lane or lane[-1] <= release + _EPS:  # the owner is free from `release` on: the common case
                start, end = release, release + duration[n]
                if lane and release <= lane[-1] + _EPS:
                    lane[-1] = end
                else:
                    lane += (start, end)
            elif lane[-2] <= release + _EPS:  # busy at `release`, free once its last work ends: the next case
                start = lane[-1]
                lane[-1] = end = start + duration[n]
            else:
                start, end = _fill(lane, release, duration[n])
            first = floor_of(start + _EPS)  # a day with any of the task's work in it is one of its days
            due = ceil_of(end - _EPS) - 1
            if due < first:
                due = first
            t = index[n]
            slots[t] = new_tuple(Slot, (first, due, held, start > release + _EPS))
            finish[n] = done = end if end > due else float(due)
            by[n] = t
            s = step_node[n]
            if done > finish[s] or by[s] is None:
                finish[s], by[s] = done, t
        return cast(list[Slot], slots)  # every task is placed


def _reserve(client: _Client, capacity: Mapping[str, float]) -> tuple[set[int], dict[str, float]]:
    """Which recurring tasks get a steady share of their owner's time (most urgent first),
    and the time per working day each owner has left for one-off work."""
    net, owner, urgency = client.net, client.owner, client.urgency
    reserved = dict.fromkeys(capacity, 0.0)
    sustained: set[int] = set()
    recurs = filter(net.period.__getitem__, client.chosen)  # the chosen tasks with a period
    recurring = sorted([(urgency[n], net.horizon[n], net.hint[n], n) for n in recurs])
    for _, _, _, n in recurring:
        rate = net.effort[n] / net.period[n]
        room = capacity.get(owner[n], 0.0) * MAX_RECURRING_SHARE
        if reserved.get(owner[n], 0.0) + rate <= room + _EPS:
            reserved[owner[n]] = reserved.get(owner[n], 0.0) + rate
            sustained.add(n)
    return sustained, {o: capacity[o] - reserved[o] for o in capacity}


def _fill(lane: list[float], release: float, duration: float) -> tuple[float, float]:
    """Give `duration` of an owner's free time from `release` on, earliest first, where the owner
    has work placed after `release` (the work pauses for it), and return the first and last
    moment of the work. `lane` is the owner's busy time as sorted boundaries, start, end, start,
    end, ..., of intervals more than `_EPS` apart; the time taken joins it, and intervals that
    now touch become one."""
    j = bisect.bisect_right(lane, release + _EPS)
    j -= j & 1  # the start of the first interval that ends after `release`
    at, left, begin, start = release, duration, -1, release
    while left > _EPS:  # the gap before lane[j], then the next, ...
        gap = (lane[j] if j < len(lane) else math.inf) - at
        if gap > _EPS:
            take = gap if gap < left else left
            if begin < 0:
                begin, start = j, at
            left -= take
            at += take
        if left > _EPS:  # the gap is full: the work goes on after the interval that closes it
            if lane[j + 1] > at:
                at = lane[j + 1]
            j += 2
    # every gap from `begin` to `j` but the last is now full; the work joins the intervals it touches
    joins_before = begin > 0 and start <= lane[begin - 1] + _EPS
    joins_after = j < len(lane) and lane[j] <= at + _EPS
    lane[begin - joins_before:j + joins_after] = (() if joins_before else (start,)) + (() if joins_after else (at,))
    return start, at
