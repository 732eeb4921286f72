"""Static reasoning about rule conditions: can a condition ever hold, and does one imply another.

Conditions are put in disjunctive normal form (a list of conjunctions of possibly negated
leaves); a conjunction is contradictory when its tests on one fact leave no value.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from generator.rules.kinds import listed
from generator.rules.model import Condition, Leaf, fold
from generator.rules.operators import OPERATORS, Operator

MAX_TERMS = 512


@dataclass(frozen=True)
class Lit:
    leaf: Leaf
    negated: bool = False

    @property
    def operator(self) -> Operator:
        return OPERATORS[self.leaf.op]


Conj = frozenset[Lit]


def dnf(cond: Condition | None, negated: bool = False) -> list[Conj] | None:
    """The condition as alternatives of conjunctions; None when it grows too large."""
    if cond is None:
        return [frozenset()]
    return fold(cond, lambda leaf, negated: [frozenset({Lit(leaf, negated)})], _terms, negated)


def _terms(conjunctive: bool, found: Iterator[list[Conj] | None]) -> list[Conj] | None:
    parts = list(found)
    if any(p is None for p in parts):
        return None
    if not conjunctive:
        return [term for part in parts for term in part or ()]
    terms: list[Conj] = [frozenset()]
    for part in parts:
        terms = [a | b for a in terms for b in part or ()]
        if len(terms) > MAX_TERMS:
            return None
    return terms


def _interval(lits: Iterable[Lit]) -> bool:
    """Whether some number passes every bound (negations flipped to their opposites)."""
    low, high = float("-inf"), float("inf")
    low_open = high_open = False
    for lit in lits:
        op = OPERATORS[str(lit.operator.opposite)] if lit.negated else lit.operator
        assert op.bound is not None, "only bounds reach here"
        side, is_open = op.bound
        value = float(lit.leaf.value)  # type: ignore[arg-type]
        if side == "low" and (value > low or (value == low and is_open)):
            low, low_open = value, is_open
        if side == "high" and (value < high or (value == high and is_open)):
            high, high_open = value, is_open
    return low < high or (low == high and not low_open and not high_open)


def _requires_absent(lit: Lit) -> bool:
    return lit.operator.presence and bool(lit.leaf.value) == lit.negated


def _holds_when_absent(lit: Lit) -> bool:
    return lit.operator.test(None, lit.leaf.value) != lit.negated


def _members_possible(lits: list[Lit]) -> bool:
    """Whether some value is allowed by every `eq`/`in` and banned by no `ne`/`not_in` (negations flipped)."""
    allowed: set[object] | None = None
    banned: set[object] = set()
    for lit in lits:
        if lit.operator.allows is None:
            continue
        values = set(listed(lit.leaf.value))
        if lit.operator.allows != lit.negated:
            allowed = values if allowed is None else allowed & values
        else:
            banned |= values
    return allowed is None or bool(allowed - banned)


def _items_possible(lits: list[Lit]) -> bool:
    """Whether no list item is both required and ruled out, and each `contains_any` has an item left."""
    must: set[object] = set()
    never: set[object] = set()
    some_of: list[set[object]] = []
    for lit in lits:
        requires, values = lit.operator.requires, listed(lit.leaf.value)
        if requires == "all" and not lit.negated:
            must |= set(values)
        elif requires == "any" and not lit.negated:
            some_of.append(set(values))
        elif lit.negated and (requires == "any" or (requires == "all" and len(values) == 1)):
            never |= set(values)
    return not (must & never) and all(values - never for values in some_of)


def _fact_possible(lits: list[Lit]) -> bool:
    if all(_holds_when_absent(lit) for lit in lits):
        return True
    if any(_requires_absent(lit) for lit in lits):
        return False
    numeric = [lit for lit in lits if lit.operator.bound is not None]
    if numeric and not _interval(numeric):
        return False
    return _members_possible(lits) and _items_possible(lits)


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

