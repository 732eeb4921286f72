"""Forward chaining over derived facts (`then.set`), shared by the engine and the reference.

Rules are put into levels by dependency: a rule that reads a fact some rule sets comes
after that rule. Rules that depend on each other in a cycle share one level. Each level
is evaluated once against the client's facts plus everything lower levels derived, so
a rule only ever sees facts that are final; a level holding a cycle is re-evaluated
until the facts it derives stop changing. Two fired rules setting one fact to
different values, a rule contradicting a client fact, or a cycle that never settles
is a RuleProblem located at a rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence, Set

from generator.core.records import record
from generator.rules.kinds import kind, same
from generator.rules.meaning.derived_order import Level
from generator.rules.meaning.results import RuleProblem, rule_problem
from generator.rules.model import Rule

# fire(level index, facts) -> indices of the level's rules whose condition holds
Fire = Callable[[int, Mapping[str, object]], Set[int]]
Derived = dict[str, tuple[object, int]]  # fact -> (value, index of the rule that set it)


@record
class Outcome:
    """What chaining settles on: the rules that fired, and the facts with the derived ones added."""

    fired: tuple[int, ...]  # rule indices, ascending (= definition order)
    facts: Mapping[str, object]  # client facts plus derived facts
    derived: tuple[tuple[str, object], ...]


def settle(rules: Sequence[Rule], levels: Sequence[Level], facts: Mapping[str, object], fire: Fire) -> Outcome:
    current = {k: v for k, v in facts.items() if v is not None}
    derived: Derived = {}
    fired: set[int] = set()
    for index, level in enumerate(levels):
        if level.cyclic:
            hits, new = _settle_cycle(rules, index, level, current, derived, fire)
        else:
            hits = fire(index, current)
            new = _derive(rules, hits, current, derived)
        fired.update(hits)
        derived.update(new)
        current.update((name, value) for name, (value, _) in new.items())
    return Outcome(
        fired=tuple(sorted(fired)),
        facts=current,
        derived=tuple(sorted((name, value) for name, (value, _) in derived.items())),
    )


def _settle_cycle(
    rules: Sequence[Rule],
    index: int,
    level: Level,
    facts: Mapping[str, object],
    earlier: Derived,
    fire: Fire,
) -> tuple[Set[int], Derived]:
    new: Derived = {}
    seen: list[tuple[tuple[str, str | None, object], ...]] = [_key(new)]
    for _ in range(len(level.rules) + 2):
        hits = fire(index, {**facts, **{k: v for k, (v, _) in new.items()}})
        new = _derive(rules, hits, facts, earlier)
        key = _key(new)
        if key == seen[-1]:
            return hits, new
        if key in seen:
            break
        seen.append(key)
    names = ", ".join(rules[i].id for i in level.rules)
    first = rules[level.rules[0]]
    raise RuleProblem(rule_problem(
        first.location, f"rules {names} never settle: their derived facts keep changing (a cycle through `not`?)"))


def _derive(rules: Sequence[Rule], hits: Set[int], facts: Mapping[str, object], earlier: Derived) -> Derived:
    new: Derived = {}
    for i in sorted(hits):
        for name, value in rules[i].then.set:
            if name in new and not _same_value(new[name][0], value):
                other = rules[new[name][1]]
                raise RuleProblem(rule_problem(rules[i].location, (
                    f"rules {other.id}{_at(other)} and {rules[i].id} set fact {name} to different values "
                    f"({new[name][0]!r} and {value!r}): make their conditions exclusive, or set one value")))
            if name in facts and not _same_value(facts[name], value):
                source = _rule_named(rules[earlier[name][1]]) if name in earlier else "the client's facts"
                raise RuleProblem(rule_problem(rules[i].location, (
                    f"rule {rules[i].id} sets fact {name} to {value!r}, but {source} already made it {facts[name]!r}")))
            new.setdefault(name, (value, i))
    return new


def _rule_named(rule: Rule) -> str:
    return f"rule {rule.id}{_at(rule)}"


def _at(rule: Rule) -> str:
    """Where the other rule of a conflict stands, for the message (the problem stands at one of them)."""
    return f" ({rule.location[0]}:{rule.location[1]})" if rule.location and rule.location[0] else ""


def _same_value(a: object, b: object) -> bool:
    if kind(a) == kind(b) == "l":
        return tuple(a) == tuple(b)  # type: ignore[arg-type]  # kind "l" is a tuple or list
    return same(a, b)


def _key(derived: Derived) -> tuple[tuple[str, str | None, object], ...]:
    # The kind is part of the key so that True and 1 count as different values.
    return tuple(sorted(((n, kind(v), v) for n, (v, _) in derived.items()), key=lambda t: t[0]))
