"""The rule model: frozen dataclasses built once from schema-validated rule YAML."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar, cast

from generator.core.records import record
from generator.rules.operators import NAMES

Op = str  # a name in the operator table (operators.py)
OPS: tuple[str, ...] = NAMES
T = TypeVar("T")


@record
class Leaf:
    """`{fact: PATH, OP: VALUE}`; list values are tuples, `exists` takes a bool."""

    fact: str
    op: Op
    value: object


@record
class All:
    """`all`: every child condition holds."""

    children: tuple[Condition, ...]


@record
class Any_:
    """`any`: at least one child condition holds."""

    children: tuple[Condition, ...]


@record
class Not:
    """`not`: the child condition does not hold."""

    child: Condition


Condition = Leaf | All | Any_ | Not


@record
class Action:
    """A rule's `then`: items to include or exclude, the priority to raise them to, facts to set."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    priority: str | None = None
    set: tuple[tuple[str, object], ...] = ()


@record
class Rule:
    """A rule of a rule set: when its condition holds, its action applies."""

    id: str
    title_zh: str
    title_en: str
    when: Condition | None
    then: Action
    layer: str = "base"
    location: tuple[str, int, int] | None = None
    # What the rule is for, in words (`description: {zh, en}`); shown in the rule catalogue.
    description_zh: str = ""
    description_en: str = ""


def condition_from_data(data: object) -> Condition:
    """Build a condition from its YAML form; `data` is assumed schema-validated."""
    node = _mapping(data)
    if "all" in node:
        return All(tuple(condition_from_data(child) for child in _items(node["all"])))
    if "any" in node:
        return Any_(tuple(condition_from_data(child) for child in _items(node["any"])))
    if "not" in node:
        return Not(condition_from_data(node["not"]))
    ops = [key for key in node if key in OPS]
    if "fact" not in node or len(ops) != 1:
        raise ValueError(f"not a condition: {data!r}")
    return Leaf(str(node["fact"]), ops[0], freeze(node[ops[0]]))


def rule_from_data(
    data: Mapping[str, object],
    layer: str = "base",
    location: tuple[str, int, int] | None = None,
) -> Rule:
    """Build a rule from the YAML mapping of one rule (id, title, description?, when?, then)."""
    title = _mapping(data.get("title") or {})
    description = _mapping(data.get("description") or {})
    then = _mapping(data.get("then") or {})
    when = data.get("when")
    priority = then.get("priority")
    action = Action(
        include=_strings(then.get("include")),
        exclude=_strings(then.get("exclude")),
        priority=None if priority is None else str(priority),
        set=tuple((str(k), freeze(v)) for k, v in _mapping(then.get("set") or {}).items()),
    )
    return Rule(
        id=str(data["id"]),
        title_zh=str(title.get("zh", "")),
        title_en=str(title.get("en", "")),
        when=None if when is None else condition_from_data(when),
        then=action,
        layer=layer,
        location=location,
        description_zh=str(description.get("zh", "")),
        description_en=str(description.get("en", "")),
    )


def freeze(value: object) -> object:
    """YAML lists become tuples, so conditions stay hashable and immutable."""
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    return value


def fold(cond: Condition, leaf: Callable[[Leaf, bool], T], join: Callable[[bool, Iterator[T]], T],
         negated: bool = False) -> T:
    """The one walk over a condition, with `not` pushed down to the leaves (De Morgan).

    `leaf(leaf, negated)` answers for each leaf, `negated` when it sits under an odd number of
    `not`s; `join(conjunctive, parts)` combines the answers of an `all`/`any`, `conjunctive`
    when the parts are ANDed (an `any` under an odd number of `not`s is). `parts` is lazy, so
    `all(parts)` stops at the first false one.
    """
    if isinstance(cond, Leaf):
        return leaf(cond, negated)
    if isinstance(cond, Not):
        return fold(cond.child, leaf, join, not negated)
    return join(isinstance(cond, All) != negated, (fold(child, leaf, join, negated) for child in cond.children))


def leaves_negated(cond: Condition | None) -> Iterator[tuple[Leaf, bool]]:
    """Every leaf of a condition in the order written, with whether it sits under an odd number of `not`s."""
    if cond is None:
        return iter(())
    return fold(cond, lambda leaf, negated: iter(((leaf, negated),)),
                lambda conjunctive, parts: (found for part in parts for found in part))


def leaves(cond: Condition | None) -> Iterator[Leaf]:
    """Every leaf of a condition, in the order written."""
    return (leaf for leaf, _ in leaves_negated(cond))


def facts_read(rule: Rule) -> frozenset[str]:
    return frozenset(leaf.fact for leaf in leaves(rule.when))


def _mapping(data: object) -> Mapping[str, object]:
    if not isinstance(data, Mapping):
        raise ValueError(f"expected a mapping, got {data!r}")
    return cast(Mapping[str, object], data)


def _items(data: object) -> tuple[object, ...]:
    if not isinstance(data, list | tuple):
        raise ValueError(f"expected a list, got {data!r}")
    return tuple(data)


def _strings(data: object) -> tuple[str, ...]:
    return () if data is None else tuple(str(item) for item in _items(data))
