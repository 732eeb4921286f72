"""What an evaluation hands on to the planner; shared by the engine and the reference."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from generator.core.errors import OpsbookError, Problem

if TYPE_CHECKING:
    from generator.kb.loader import Document


class RuleError(Exception):
    """Base of the errors raised while compiling or evaluating rules; names the rule ids."""


class RuleProblem(OpsbookError, RuleError):
    """A rule error that a rule file causes, located at the rule: reported as `path:line:col: message`
    (an OpsbookError), and still caught wherever rule errors are."""


class FactError(RuleError):
    """A client's fact the engine cannot take (beyond its limits): a mistake in the facts, which a
    command that read them from a file reports at the fact there, with `hint` saying how to fix it."""

    def __init__(self, fact: str, reason: str, hint: str) -> None:
        super().__init__(f"fact {fact}: {reason}")
        self.fact = fact
        self.reason = reason
        self.hint = hint

    def __reduce__(self) -> tuple[type[FactError], tuple[str, str, str]]:
        return FactError, (self.fact, self.reason, self.hint)  # as it was made: a batch worker may send it on

    def problem(self, doc: Document) -> Problem:
        """The problem at the fact's value in `doc`, the facts as read (at its top when the fact
        stands nowhere in it, or `doc` keeps no positions)."""
        path = next((p for p in doc.key_marks if ".".join(map(str, p)) == self.fact), ())
        return doc.problem(path, f"fact `{self.fact}` cannot go to the rules engine: {self.reason}: {self.hint}")


def rule_problem(location: tuple[str, int, int] | None, message: str) -> Problem:
    """A problem at a rule's position in its file (no position for rules made in code)."""
    path, line, col = location or ("", 0, 0)
    return Problem(path, line, col, message)


# Named tuples: made per client (per fired rule and per condition that held), and defining one costs a
# cold plan a tenth of what a frozen dataclass with slots did (about 0.6 ms each), which also makes them slower.
class Match(NamedTuple):
    """One leaf condition, with the client's actual value (None when the fact is absent).

    A leaf reached under an odd number of `not`s has its op prefixed with "not ".
    """

    fact: str
    op: str
    value: object
    actual: object


class Firing(NamedTuple):
    """A rule that fired, with the leaves of its condition that matched."""

    rule: str
    layer: str
    matched: tuple[Match, ...]


class Evaluation(NamedTuple):
    """Fired rules in rule definition order; derived facts sorted by name."""

    fired: tuple[Firing, ...]
    derived: tuple[tuple[str, object], ...]
