"""Cut a condition into durable rules small enough for durable's fixed-size tables.

The rule fires when any piece matches; the engine counts it once.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.rules.durable.nodes import TYPE_TEST, Conj, Cost, Disj, Node, conj, cost, disj
from generator.rules.durable.values import LimitError

# durable_rules 2.0.28 limits, from src/rules/{events,rete,rules}.h (all reproduced):
MAX_STACK = 56  # alpha paths pending at once; >64 fails with error 303 and corrupts memory
MAX_GROUPS = 15  # 32 expression slots per rule, two per $and/$or (error 113)
MAX_LINKS = 120  # not-exists/OR-join links per node: 128 (error 107)
MAX_TESTS = 400  # children per node: 512, and the 512th makes durable loop forever
MAX_PIECES = 256  # per rule; past this the condition is unreasonable


@dataclass(frozen=True)
class Budget:
    """What one durable ruleset may use; a piece must fit on its own."""

    paths: int = MAX_STACK
    groups: int = MAX_GROUPS
    links: int = MAX_LINKS
    tests: int = MAX_TESTS

    def admits(self, used: Cost) -> bool:
        return (
            used.paths <= self.paths
            and used.groups <= self.groups
            and used.links <= self.links
            and used.tests <= self.tests
        )


DURABLE = Budget()


def pattern_cost(node: Node) -> Cost:
    """The cost of the pattern as durable sees it: the type test first, then the node."""
    return cost(conj((TYPE_TEST, node)))


def split(node: Node, budget: Budget = DURABLE) -> list[Node]:
    """Pieces whose OR is `node`, each within budget; LimitError when that is impractical."""
    return _split(node, budget, [0])


def _split(node: Node, budget: Budget, made: list[int]) -> list[Node]:
    if budget.admits(pattern_cost(node)):
        made[0] += 1
        if made[0] > MAX_PIECES:
            raise LimitError(f"the condition needs more than {MAX_PIECES} durable rules; simplify it")
        return [node]
    if isinstance(node, Disj):
        pieces = [p for child in node.children for p in _split(child, budget, made)]
        return _pack(pieces, node.exclusive, budget)
    ors = [i for i, child in enumerate(node.children) if isinstance(child, Disj)] if isinstance(node, Conj) else []
    if not isinstance(node, Conj) or not ors:
        raise LimitError("the condition has too many tests joined by `all`; split the rule")
    # Distribute the AND over its costliest OR: (a or b) and c -> (a and c) or (b and c).
    at = max(ors, key=lambda i: (cost(node.children[i]).paths, cost(node.children[i]).groups))
    before, alternatives, after = node.children[:at], node.children[at], node.children[at + 1 :]
    assert isinstance(alternatives, Disj)
    pieces = [p for alt in alternatives.children for p in _split(conj((*before, alt, *after)), budget, made)]
    # The first test of each piece is the one `before` starts with, so the pieces are
    # no longer "exclusive" in the sense durable needs; pack them as a plain OR.
    return _pack(pieces, False, budget)


def _pack(pieces: list[Node], exclusive: bool, budget: Budget) -> list[Node]:
    """Join neighbouring pieces into ORs while they fit, to keep the number of rules down."""
    packed: list[Node] = []
    group: list[Node] = []
    for piece in pieces:
        if group and not budget.admits(pattern_cost(disj((*group, piece), exclusive))):
            packed.append(disj(group, exclusive))
            group = []
        group.append(piece)
    if group:
        packed.append(disj(group, exclusive))
    return packed
