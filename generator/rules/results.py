"""What an evaluation hands on to the planner; shared by the engine and the reference."""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import OpsbookError, Problem


class RuleError(Exception):
    """Base of the errors raised while compiling or evaluating rules; names the rule ids."""


class RuleProblem(OpsbookError, RuleError):
    """A rule error that a rule file causes, located at the rule: reported as `path:line:col: message`
    (an OpsbookError), and still caught wherever rule errors are."""


def rule_problem(location: tuple[str, int, int] | None, message: str) -> Problem:
    """A problem at a rule's position in its file (no position for rules made in code)."""
    path, line, col = location or ("", 0, 0)
    return Problem(path, line, col, message)


@dataclass(frozen=True, slots=True)
class Match:
    """One leaf condition, with the client's actual value (None when the fact is absent).

    A leaf reached under an odd number of `not`s has its op prefixed with "not ".
    """

    fact: str
    op: str
    value: object
    actual: object


@dataclass(frozen=True, slots=True)
class Firing:
    rule: str
    layer: str
    matched: tuple[Match, ...]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Fired rules in rule definition order; derived facts sorted by name."""

    fired: tuple[Firing, ...]
    derived: tuple[tuple[str, object], ...]
