"""Conditions lowered to durable tests, with `not` compiled away.

durable's own negation depends on fact order, so `not` is pushed down to the leaves
(De Morgan) and each leaf is lowered by its operator to a test and its negation
(operators.py, leaf_nodes.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from generator.rules.durable.nodes import FALSE, TRUE, Node, conj, disj
from generator.rules.durable.values import Slot
from generator.rules.model import Condition, Leaf, fold
from generator.rules.operators import OPERATORS


def lower(cond: Condition | None, slots: Mapping[str, Slot], negated: bool = False) -> Node:
    """The durable form of a condition (or of its negation); LimitError for constants durable cannot hold."""
    if cond is None:
        return FALSE if negated else TRUE

    def leaf(leaf: Leaf, negated: bool) -> Node:
        positive, negative = OPERATORS[leaf.op].lower(slots[leaf.fact], leaf.value)
        return negative if negated else positive

    return fold(cond, leaf, _join, negated)


def _join(conjunctive: bool, parts: Iterator[Node]) -> Node:
    return conj(list(parts)) if conjunctive else disj(list(parts))
