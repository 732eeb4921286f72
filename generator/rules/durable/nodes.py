"""The compiler's intermediate form: durable tests joined by AND / OR, and their cost."""

from __future__ import annotations

import math
from collections.abc import Iterable

from generator.core.records import record
from generator.rules.kinds import kind


@record
class Cost:
    """What a pattern uses of durable's fixed-size tables (see compiler.py)."""

    paths: int  # alpha paths a fact can match at once (each may sit on the stack)
    groups: int  # $and/$or groups (each takes two of a rule's expression slots)
    links: int  # not-exists and OR-join links (each takes a slot in a node's list)
    tests: int  # alpha nodes

    def __add__(self, other: Cost) -> Cost:
        return Cost(
            self.paths + other.paths,
            self.groups + other.groups,
            self.links + other.links,
            self.tests + other.tests,
        )


@record
class Test:
    """One durable comparison of one property with a constant."""

    path: str  # the fact path the property belongs to
    prop: str
    op: str  # eq neq lt lte gt gte ex nex, iany (an item equals), iall (every item differs)
    value: object = 1


@record
class Conj:
    """A conjunction: every child holds."""

    children: tuple[Node, ...]


@record
class Disj:
    """OR. `exclusive`: at most one alternative can hold, and each alternative starts
    with the test that excludes the others (durable then explores only one of them)."""

    children: tuple[Node, ...]
    exclusive: bool = False


Node = Test | Conj | Disj
TRUE: Node = Conj(())
FALSE: Node = Disj(())
TYPE_TEST = Test("", "t", "eq", "c")  # every pattern starts with it (see engine.py)


def conj(nodes: Iterable[Node]) -> Node:
    parts: list[Node] = []
    for node in nodes:
        if node == FALSE:
            return FALSE
        parts.extend(node.children if isinstance(node, Conj) else (node,))
    return parts[0] if len(parts) == 1 else Conj(tuple(parts))


def disj(nodes: Iterable[Node], exclusive: bool = False) -> Node:
    parts: list[Node] = []
    for node in nodes:
        if node == TRUE:
            return TRUE
        if isinstance(node, Disj) and not (node.exclusive or exclusive):
            parts.extend(node.children)  # FALSE (no children) vanishes here too
        elif node != FALSE:
            parts.append(node)
    if not parts:
        return FALSE
    return parts[0] if len(parts) == 1 else Disj(tuple(parts), exclusive or _one_value(parts))


def _one_value(parts: list[Node]) -> bool:
    """Whether the alternatives test one property for different values (`in`, or an
    `any` of `eq`s), so that at most one can hold."""
    seen: set[tuple[str | None, object]] = set()
    prop = parts[0].prop if isinstance(parts[0], Test) else None
    for part in parts:
        if not (isinstance(part, Test) and part.op == "eq" and part.prop == prop):
            return False
        seen.add((kind(part.value), part.value))  # 1 and 1.0 are one value
    return len(seen) == len(parts)


def cost(node: Node) -> Cost:
    if isinstance(node, Test):
        return Cost(1, 0, int(node.op == "nex"), 1)
    parts = [cost(child) for child in node.children]
    group = int(len(parts) > 1)
    links = sum(p.links for p in parts) + (len(parts) if isinstance(node, Disj) else 0)
    if isinstance(node, Conj):
        paths = math.prod(p.paths for p in parts)
    else:
        paths = max((p.paths for p in parts), default=0) if node.exclusive else sum(p.paths for p in parts)
    return Cost(paths, group + sum(p.groups for p in parts), links, sum(p.tests for p in parts))


def to_durable(node: Node) -> object:
    """The durable_rules pattern (a JSON-able structure)."""
    if isinstance(node, Conj):
        return {"$and": [to_durable(child) for child in node.children]}
    if isinstance(node, Disj):
        return {"$or": [to_durable(child) for child in node.children]}
    if node.op == "eq":
        return {node.prop: node.value}
    if node.op == "iany":
        return {"$iany": {node.prop: {"$i": node.value}}}
    if node.op == "iall":
        return {"$iall": {node.prop: {"$neq": {"$i": node.value}}}}
    return {f"${node.op}": {node.prop: node.value}}


def paths(node: Node) -> frozenset[str]:
    if isinstance(node, Test):
        return frozenset((node.path,)) if node.path else frozenset()
    return frozenset().union(*(paths(child) for child in node.children))
