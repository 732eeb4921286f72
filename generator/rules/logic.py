"""Static reasoning about rule conditions: can a condition ever hold, and does one imply another.

Conditions are put in disjunctive normal form (a list of conjunctions of possibly negated
leaves); a conjunction is contradictory when its tests on one fact leave no value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.rules.model import All, Condition, Leaf, Not

MAX_TERMS = 512


@dataclass(frozen=True)
class Lit:
    leaf: Leaf
    negated: bool = False


Conj = frozenset[Lit]


def dnf(cond: Condition | None, negated: bool = False) -> list[Conj] | None:
    """The condition as alternatives of conjunctions; None when it grows too large."""
    if cond is None:
        return [frozenset()]
    if isinstance(cond, Leaf):
        return [frozenset({Lit(cond, negated)})]
    if isinstance(cond, Not):
        return dnf(cond.child, not negated)
    parts = [dnf(child, negated) for child in cond.children]
    if any(p is None for p in parts):
        return None
    conjunctive = isinstance(cond, All) != negated
    if not conjunctive:
        return [term for part in parts for term in part or ()]
    terms: list[Conj] = [frozenset()]
    for part in parts:
        terms = [a | b for a in terms for b in part or ()]
        if len(terms) > MAX_TERMS:
            return None
    return terms


def _interval(lits: Iterable[Lit]) -> bool:
    """Whether some number passes every comparison (negations flipped)."""
    low, high = float("-inf"), float("inf")
    low_open = high_open = False
    flip = {"lt": "ge", "le": "gt", "gt": "le", "ge": "lt"}
    for lit in lits:
        op = flip[lit.leaf.op] if lit.negated else lit.leaf.op
        value = float(lit.leaf.value)  # type: ignore[arg-type]
        if op in ("gt", "ge") and (value > low or (value == low and op == "gt")):
            low, low_open = value, op == "gt"
        if op in ("lt", "le") and (value < high or (value == high and op == "lt")):
            high, high_open = value, op == "lt"
    return low < high or (low == high and not low_open and not high_open)


def _values(lit: Lit) -> set[object] | None:
    """The values an equality-like literal allows (None: a set it excludes)."""
    leaf = lit.leaf
    listed = set(leaf.value) if isinstance(leaf.value, tuple) else {leaf.value}
    positive = (leaf.op in ("eq", "in")) != lit.negated
    return listed if positive else None


def _requires_absent(lit: Lit) -> bool:
    return lit.leaf.op == "exists" and bool(lit.leaf.value) == lit.negated


def _holds_when_absent(lit: Lit) -> bool:
    # Every leaf but `exists` is false on an absent fact, so only its negation holds.
    return _requires_absent(lit) if lit.leaf.op == "exists" else lit.negated


def _fact_possible(lits: list[Lit]) -> bool:
    if all(_holds_when_absent(lit) for lit in lits):
        return True
    if any(_requires_absent(lit) for lit in lits):
        return False
    numeric = [lit for lit in lits if lit.leaf.op in ("lt", "le", "gt", "ge")]
    if numeric and not _interval(numeric):
        return False
    allowed: set[object] | None = None
    banned: set[object] = set()
    for lit in lits:
        if lit.leaf.op in ("eq", "in", "ne", "not_in"):
            values = _values(lit)
            if values is None:
                banned |= set(lit.leaf.value) if isinstance(lit.leaf.value, tuple) else {lit.leaf.value}
            else:
                allowed = values if allowed is None else allowed & values
    if allowed is not None and not (allowed - banned):
        return False
    must = {lit.leaf.value for lit in lits if lit.leaf.op == "contains" and not lit.negated}
    never = {lit.leaf.value for lit in lits if lit.leaf.op == "contains" and lit.negated}
    for lit in lits:
        if lit.leaf.op == "contains_any" and lit.negated:
            never |= set(lit.leaf.value) if isinstance(lit.leaf.value, tuple) else {lit.leaf.value}
    return not (must & never)


def possible(conj: Conj) -> bool:
    by_fact: dict[str, list[Lit]] = {}
    for lit in conj:
        by_fact.setdefault(lit.leaf.fact, []).append(lit)
    return all(_fact_possible(lits) for lits in by_fact.values())


def satisfiable(cond: Condition | None) -> bool | None:
    """False when no facts can make `cond` hold; None when it is too large to tell."""
    terms = dnf(cond)
    if terms is None:
        return None
    return any(possible(t) for t in terms)


def implies(a: Condition | None, b: Condition | None) -> bool:
    """A sound (not complete) test: every way `a` holds contains a way `b` holds."""
    if b is None:
        return True
    ta, tb = dnf(a), dnf(b)
    if ta is None or tb is None:
        return False
    return all(any(term_b <= term_a for term_b in tb) for term_a in ta if possible(term_a))

