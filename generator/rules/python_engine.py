"""The pure-Python back end: each level of rules compiled once to one Python function.

The semantics are the reference evaluator's (`semantics.holds`); what differs is the
cost. Every condition becomes an expression of plain comparisons, with the kind tests
that keep comparisons type-strict written out, and the rules of one level become one
function that returns the indices of the rules that hold. Chaining is the shared
`chaining.settle`, explanations the shared `proof` closures, so the results are those
of the durable back end (the differential test compares the two on every run).

It needs nothing outside the standard library, so it runs wherever Python does
(durable_rules does not build for every Python version).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence, Set

from generator.rules.chaining import settle
from generator.rules.model import All, Any_, Condition, Leaf, Not, Rule
from generator.rules.proof import prover
from generator.rules.results import Evaluation, Firing
from generator.rules.semantics import ORDERED, SCALARS, kind, values
from generator.rules.strata import schedule

_COMPARE = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
# one level's compiled test: given the facts' `get`, the indices of its rules that hold
_LevelTest = Callable[[Callable[[str], object]], list[int]]


class PythonEngine:
    """`evaluate(facts)` as the durable back end answers it, in plain Python."""

    name = "python"

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._rules = tuple(rules)
        levels = schedule(self._rules)
        self._levels = list(levels)
        self._tests = [_compile_level(self._rules, level.rules) for level in levels]
        self._proofs = [prover(rule.when) for rule in self._rules]

    def evaluate(self, facts: Mapping[str, object]) -> Evaluation:
        rules = self._rules
        outcome = settle(rules, self._levels, facts, self._fire)
        fired = (Firing(rules[i].id, rules[i].layer, self._proofs[i](outcome.facts)) for i in outcome.fired)
        return Evaluation(tuple(fired), outcome.derived)

    def close(self) -> None:
        """Nothing to free: the compiled functions go with the engine."""

    def _fire(self, index: int, facts: Mapping[str, object]) -> Set[int]:
        return set(self._tests[index](facts.get))


class _Source:
    """The text of one level's function, with the values it compares against kept aside as
    constants (never printed into the source)."""

    def __init__(self) -> None:
        self.constants: list[object] = []

    def constant(self, value: object) -> str:
        self.constants.append(value)
        return f"C[{len(self.constants) - 1}]"

    def expression(self, cond: Condition) -> str:
        if isinstance(cond, Leaf):
            return self.leaf(cond)
        if isinstance(cond, Not):
            return f"(not {self.expression(cond.child)})"
        joiner = " and " if isinstance(cond, All) else " or "
        assert isinstance(cond, All | Any_)
        parts = [self.expression(child) for child in cond.children]
        return "(" + joiner.join(parts) + ")" if parts else ("True" if isinstance(cond, All) else "False")

    def leaf(self, leaf: Leaf) -> str:
        fact = f"get({self.constant(leaf.fact)})"
        if leaf.op == "exists":
            return f"({fact} is not None)" if leaf.value else f"({fact} is None)"
        if leaf.op in _COMPARE:
            wanted = kind(leaf.value)
            kinds = ORDERED if leaf.op in ("lt", "le", "gt", "ge") else SCALARS
            if wanted not in kinds:
                return "False"  # semantics: a leaf comparing two kinds is false
            return f"_cmp_{leaf.op}({fact}, {self.constant(leaf.value)}, {wanted!r})"
        listed = (leaf.value,) if leaf.op == "contains" else values(leaf)
        keyed = self.constant(_keyed(listed))
        if leaf.op == "in":
            return f"_in({fact}, {keyed})"
        if leaf.op == "not_in":
            return f"_not_in({fact}, {keyed})"
        return f"_has_any({fact}, {keyed})"  # contains, contains_any


def _keyed(listed: Iterable[object]) -> frozenset[tuple[str, object]]:
    """Scalar values with their kinds, so that membership is `semantics.same` (True is not 1)."""
    found = set()
    for value in listed:
        k = kind(value)
        if k in SCALARS:
            found.add((k, value))
    return frozenset(found)


def _compile_level(rules: Sequence[Rule], members: Sequence[int]) -> _LevelTest:
    source = _Source()
    lines = ["def level(get):", "    hits = []"]
    for index in members:
        when = rules[index].when
        test = "True" if when is None else source.expression(when)
        lines.append(f"    if {test}: hits.append({index})")
    lines.append("    return hits")
    scope: dict[str, object] = {**_HELPERS, "C": tuple(source.constants)}
    exec(compile("\n".join(lines), "<opsbook rules>", "exec"), scope)  # the source is made above, from checked rules
    return scope["level"]  # type: ignore[return-value]


# The helpers the compiled expressions call: `semantics._TESTS`, with the value's kind known
# when compiling. A kind check before every comparison keeps them type-strict.

def _cmp(symbol: str) -> Callable[[object, object, str], bool]:
    test = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}[symbol]

    def check(actual: object, value: object, wanted: str) -> bool:
        return actual is not None and kind(actual) == wanted and test(actual, value)

    return check


def _in(actual: object, keyed: frozenset[tuple[str, object]]) -> bool:
    k = kind(actual)
    return k in SCALARS and (k, actual) in keyed


def _not_in(actual: object, keyed: frozenset[tuple[str, object]]) -> bool:
    k = kind(actual)
    return k in SCALARS and (k, actual) not in keyed


def _has_any(actual: object, keyed: frozenset[tuple[str, object]]) -> bool:
    if kind(actual) != "l":
        return False
    for item in actual:  # type: ignore[attr-defined]  # kind "l" is a tuple or list
        k = kind(item)
        if k in SCALARS and (k, item) in keyed:
            return True
    return False


_HELPERS: Mapping[str, object] = {
    "_in": _in, "_not_in": _not_in, "_has_any": _has_any,
    **{f"_cmp_{op}": _cmp(symbol) for op, symbol in _COMPARE.items()},
}
