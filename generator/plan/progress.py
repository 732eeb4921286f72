"""The progress recorded in an earlier plan file (read by each format's reader in render/),
and carrying it into a new plan."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from generator.core.errors import OpsbookError, Problem
from generator.plan.model import Plan, Revision

PREFIX = "cannot read the earlier plan: "


@dataclass(frozen=True)
class Progress:
    ids: tuple[str, ...]  # every item the earlier plan held, in its order
    done: frozenset[str]
    warnings: tuple[Problem, ...] = ()  # ticks that could not be read, each at its line
    revisions: Mapping[str, Revision] = field(default_factory=dict)  # per item, from a calendar file


def progress(ids: Iterable[str], done: Iterable[str], warnings: Iterable[Problem] = ()) -> Progress:
    """Progress with each item once (a calendar may hold one to-do per occurrence)."""
    return Progress(tuple(dict.fromkeys(ids)), frozenset(done), tuple(warnings))


def unreadable(shown: str, line: int, message: str) -> OpsbookError:
    return OpsbookError(Problem(shown, line, 1, PREFIX + message))


def prefixed(exc: OpsbookError) -> OpsbookError:
    """A loader's problem, said as a problem with the earlier plan."""
    return OpsbookError([dataclasses.replace(p, message=PREFIX + p.message) for p in exc.problems])


def lost_tick(shown: str, line: int, message: str) -> Problem:
    """A warning: something at `line` looks like progress but cannot be carried over."""
    return Problem(shown, line, 1, message, severity="warning")


def carry_progress(plan: Plan, earlier: Progress) -> tuple[Plan, tuple[str, ...]]:
    """The plan with earlier ticks kept and the earlier revisions handed on (so a calendar
    counts on each to-do's SEQUENCE), and the earlier items no longer in it."""
    items = tuple(i._replace(done=i.id in earlier.done) for i in plan.items)
    current = {i.id for i in plan.items}
    dropped = tuple(i for i in earlier.ids if i not in current)
    return dataclasses.replace(plan, items=items, revisions=earlier.revisions), dropped
