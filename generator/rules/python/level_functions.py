"""The pure-Python back end: each level of rules compiled once to one Python function.

The semantics are the reference evaluator's (`semantics.holds`); what differs is the
cost. Every condition becomes an expression of plain comparisons, each leaf written by its
operator (`Operator.python` in operators.py) with the kind tests that keep comparisons
type-strict, and the rules of one level become one function that returns the indices of the
rules that hold. Chaining is the shared `chaining.settle`, explanations the shared `proof`
closures, made only for the rules that fire, so the results are those of the durable back end
(the differential test compares the two on every run).

The levels are compiled in one `compile()` into a `Compiled` record, the code marshalled and the
values it compares against pickled beside it: the playbook cache keeps it, so a cached plan
compiles no rule. (Compiling the explanations as well was measured: it spared a cached plan about
0.2 ms, for a compilation three to four times as long and some 200 KB more in the cache entry.)

It needs nothing outside the standard library, so it runs wherever Python does
(durable_rules does not build for every Python version).
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from functools import cache
from importlib.util import MAGIC_NUMBER
from types import CodeType, FunctionType

from generator.core.records import record
from generator.rules.meaning.chaining import settle
from generator.rules.meaning.derived_order import Level, schedule
from generator.rules.meaning.match_explainers import Provers
from generator.rules.meaning.results import Evaluation, Firing
from generator.rules.model import Condition, Leaf, Rule, fold
from generator.rules.operators import OPERATORS

# one level's compiled test: given the facts' `get`, the indices of its rules that hold
_LevelTest = Callable[[Callable[[str], object]], list[int]]


@record
class Compiled:
    """A rule set compiled for this back end, as data the playbook cache keeps: the chaining
    levels, the code of each level's test (marshalled), the values they compare against and the
    names of the operators' helpers they call. Marshal's format is the compiling Python's own
    (`python`, its bytecode magic number): another Python compiles the rules again."""

    levels: tuple[Level, ...]
    constants: tuple[object, ...]
    helpers: tuple[str, ...]
    tests: bytes  # marshal of the code of each level's test, in level order
    python: bytes = MAGIC_NUMBER

    def runs_here(self) -> bool:
        """Whether this Python can run the code: marshalled in its format, calling helpers it has."""
        return self.python == MAGIC_NUMBER and _helpers().keys() >= set(self.helpers)


class PythonEngine:
    """`evaluate(facts)` as the durable back end answers it, in plain Python; from `compiled`
    (compile_rules of the same rules, e.g. cached) where this Python can run its code."""

    name = "python"

    def __init__(self, rules: Sequence[Rule], compiled: Compiled | None = None) -> None:
        self._rules = tuple(rules)
        if compiled is None or not compiled.runs_here():
            compiled = compile_rules(self._rules)
        self._levels = compiled.levels
        self._tests = _functions(compiled)
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


def compile_rules(rules: Sequence[Rule], levels: Sequence[Level] | None = None) -> Compiled:
    """The rules compiled, in chaining `levels` (derived_order.schedule(rules) unless given)."""
    rules = tuple(rules)
    levels = tuple(schedule(rules) if levels is None else levels)
    source = _Source()
    lines: list[str] = []
    for number, level in enumerate(levels):
        lines += _level_source(f"level{number}", rules, level.rules, source)
    # one compile() for every level: their functions' code objects are the module code's constants
    module = compile("\n".join(lines), "<opsbook rules>", "exec")  # the source is made above, from checked rules
    code = {c.co_name: c for c in module.co_consts if isinstance(c, CodeType)}
    tests = tuple(code[f"level{number}"] for number in range(len(levels)))
    return Compiled(levels, tuple(source.constants), tuple(source.helpers), marshal.dumps(tests))


def _functions(compiled: Compiled) -> list[_LevelTest]:
    """The level tests of a Compiled record that runs here."""
    helpers = _helpers()
    scope = {**{name: helpers[name] for name in compiled.helpers}, "C": compiled.constants}
    return [FunctionType(code, scope) for code in marshal.loads(compiled.tests)]


@cache
def _helpers() -> dict[str, Callable[..., bool]]:
    """Each operator's helper, by the name compiled code calls it: they are closures operators.py
    makes, which pickle cannot name, so a Compiled record keeps their names. Asking each operator
    to write a number leaf finds them all (a name missing here makes the record compile again)."""
    probe = _Source()
    for operator in OPERATORS.values():
        operator.python(probe, "x", 0)
    return probe.helpers


class _Source:
    """The text of the functions, with the values they compare against kept aside as constants
    (never printed into the source), and the helpers they call named in their scope."""

    def __init__(self) -> None:
        self.constants: list[object] = []
        self.helpers: dict[str, Callable[..., bool]] = {}

    def constant(self, value: object) -> str:
        self.constants.append(value)
        return f"C[{len(self.constants) - 1}]"

    def helper(self, function: Callable[..., bool]) -> str:
        name = function.__name__
        assert self.helpers.setdefault(name, function) is function, f"two helpers named {name}"
        return name

    def expression(self, cond: Condition) -> str:
        return fold(cond, self.leaf, self.join)

    def leaf(self, leaf: Leaf, negated: bool) -> str:
        test = OPERATORS[leaf.op].python(self, f"get({self.constant(leaf.fact)})", leaf.value)
        return f"(not {test})" if negated else test

    def join(self, conjunctive: bool, parts: Iterator[str]) -> str:
        found = list(parts)
        if not found:
            return "True" if conjunctive else "False"
        return "(" + (" and " if conjunctive else " or ").join(found) + ")"


def _level_source(name: str, rules: Sequence[Rule], members: Sequence[int], source: _Source) -> list[str]:
    lines = [f"def {name}(get):", "    hits = []"]
    for index in members:
        when = rules[index].when
        test = "True" if when is None else source.expression(when)
        lines.append(f"    if {test}: hits.append({index})")
    return [*lines, "    return hits"]
