"""Rules that set one derived fact to different values and can fire for the same client.

At plan time such a pair refuses that client's plan (meaning/chaining.py); validation finds the pair
beforehand, from the conditions alone. When a condition reads derived facts, whether both
rules can really fire depends on other rules, so the pair is only a warning.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from generator.core.errors import Problem
from generator.rules.kinds import same
from generator.rules.logic import satisfiable
from generator.rules.meaning.results import rule_problem
from generator.rules.model import All, Rule, facts_read


def set_conflicts(rules: Sequence[Rule]) -> Iterator[Problem]:
    derived = {name for rule in rules for name, _ in rule.then.set}
    setters = [(rule, name, value) for rule in rules for name, value in rule.then.set]
    for i, (first, name, value) in enumerate(setters):
        for second, other_name, other_value in setters[i + 1:]:
            if name == other_name and first.id != second.id and not _same(value, other_value):
                yield from _conflict(first, second, name, (value, other_value), derived)


def _conflict(first: Rule, second: Rule, name: str, values: tuple[object, object],
              derived: set[str]) -> Iterator[Problem]:
    conditions = tuple(rule.when for rule in (first, second) if rule.when is not None)
    together = satisfiable(All(conditions)) if conditions else True
    if together is False:
        return
    uncertain = together is None or bool((facts_read(first) | facts_read(second)) & derived)
    where = f" ({first.location[0]}:{first.location[1]})" if first.location and first.location[0] else ""
    can = "may fire" if uncertain else "can fire"
    message = (f"rules {first.id}{where} and {second.id} set fact {name} to different values "
               f"({values[0]!r} and {values[1]!r}) and {can} for the same client, whose plan would then be "
               "refused: make their conditions exclusive, or set one value")
    problem = rule_problem(second.location, message)
    yield Problem(problem.path, problem.line, problem.col, message, "warning" if uncertain else "error")


def _same(a: object, b: object) -> bool:
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return tuple(a) == tuple(b)
    return same(a, b)
