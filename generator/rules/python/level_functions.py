"""The pure-Python back end: each level of rules compiled once to one Python function.

The semantics are the reference evaluator's (`semantics.holds`); what differs is the
cost. Every condition becomes an expression of plain comparisons, each leaf written by its
operator (`Operator.python` in operators.py) with the kind tests that keep comparisons
type-strict, and the rules of one level become one
function that returns the indices of the rules that hold. Chaining is the shared
`chaining.settle`, explanations the shared `proof` closures, so the results are those
of the durable back end (the differential test compares the two on every run).

It needs nothing outside the standard library, so it runs wherever Python does
(durable_rules does not build for every Python version).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence, Set

from generator.rules.meaning.chaining import settle
from generator.rules.meaning.derived_order import schedule
from generator.rules.meaning.match_explainers import Provers
from generator.rules.meaning.results import Evaluation, Firing
from generator.rules.model import Condition, Leaf, Rule, fold
from generator.rules.operators import OPERATORS

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
        self._proofs = Provers(self._rules)

    def evaluate(self, facts: Mapping[str, object]) -> Evaluation:
        rules = self._rules
        outcome = settle(rules, self._levels, facts, self._fire)
        fired = (Firing(rules[i].id, rules[i].layer, self._proofs.matched(i, outcome.facts)) for i in outcome.fired)
        return Evaluation(tuple(fired), outcome.derived)

    def close(self) -> None:
        """Nothing to free: the compiled functions go with the engine."""

    def _fire(self, index: int, facts: Mapping[str, object]) -> Set[int]:
        return set(self._tests[index](facts.get))


class _Source:
    """The text of one level's function, with the values it compares against kept aside as
    constants (never printed into the source), and the helpers it calls named in its scope."""

    def __init__(self) -> None:
        self.constants: list[object] = []
        self.helpers: dict[str, object] = {}

    def constant(self, value: object) -> str:
        self.constants.append(value)
        return f"C[{len(self.constants) - 1}]"

    def helper(self, function: Callable[..., bool]) -> str:
        name = function.__name__
        assert self.helpers.setdefault(name, function) is function, f"two helpers named {name}"
        return name

    def expression(self, cond: Condition) -> str:
        return fold(cond, self.leaf, _joined)

    def leaf(self, leaf: Leaf, negated: bool) -> str:
        test = OPERATORS[leaf.op].python(self, f"get({self.constant(leaf.fact)})", leaf.value)
        return f"(not {test})" if negated else test


def _joined(conjunctive: bool, parts: Iterator[str]) -> str:
    found = list(parts)
    if not found:
        return "True" if conjunctive else "False"
    return "(" + (" and " if conjunctive else " or ").join(found) + ")"


def _compile_level(rules: Sequence[Rule], members: Sequence[int]) -> _LevelTest:
    source = _Source()
    lines = ["def level(get):", "    hits = []"]
    for index in members:
        when = rules[index].when
        test = "True" if when is None else source.expression(when)
        lines.append(f"    if {test}: hits.append({index})")
    lines.append("    return hits")
    scope: dict[str, object] = {**source.helpers, "C": tuple(source.constants)}
    exec(compile("\n".join(lines), "<opsbook rules>", "exec"), scope)  # the source is made above, from checked rules
    return scope["level"]  # type: ignore[return-value]
