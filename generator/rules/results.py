"""What an evaluation hands on to the planner; shared by the engine and the reference."""

from __future__ import annotations

from dataclasses import dataclass


class RuleError(Exception):
    """Base of the errors raised while compiling or evaluating rules; names the rule ids."""


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
