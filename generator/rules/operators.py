"""The condition operators, each defined once: everything else about an operator comes from here.

An `Operator` says which fact types it applies to, what its value looks like (its JSON
Schema), what it means (`test`), how each back end runs it (a Python expression for the
pure-Python engine, durable tests for durable_rules), how it is said to people (a symbol
for plans, a phrase in Chinese and English for the site), which values of a fact the
why-not search tries, and what static reasoning (logic.py) may assume about it. The rule
schema, the checker, both back ends, the wording and the why-not search read `OPERATORS`;
adding an operator means adding an entry here and its tests.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol, cast

from generator.core.records import record
from generator.kb.model import Fact, Kpi
from generator.rules.durable import leaf_nodes as durable
from generator.rules.durable.leaf_nodes import Lowered
from generator.rules.durable.values import Slot
from generator.rules.kinds import ORDERED, SCALARS, keyed, kind, listed, same

Words = tuple[str, str]  # (zh, en); `{v}` stands for the value in words


class Source(Protocol):
    """What a Python expression is written with: constants and helpers are named, never inlined."""

    def constant(self, value: object) -> str: ...

    def helper(self, function: Callable[..., bool]) -> str: ...


@record
class Subject:
    """What the why-not search knows of the fact a leaf tests."""

    current: object  # the client's value, None when absent
    fact: Fact | None  # its declaration, None for KPIs and undeclared derived facts
    kpi: Kpi | None = None  # the KPI of `kpis.<id>`


@record
class Operator:
    """A condition operator: the fact types it applies to, its value's schema and its test."""

    name: str
    types: frozenset[str]  # the fact types it applies to (kb fact `type`)
    schema: Mapping[str, object]  # JSON Schema of its value in a rule file
    test: Callable[[object, object], bool]  # test(actual, value); actual is None when the fact is absent
    python: Callable[[Source, str, object], str]  # expression over the fact's expression `fact`
    lower: Callable[[Slot, object], Lowered]  # durable tests for the leaf and its negation
    says: Words  # the leaf holds
    show: Callable[[str, object, object, bool], str]  # `fact = actual > value` (negated when the bool says)
    tries: Callable[[object, Subject], Iterator[object]]  # values of the fact to try, making it true or false
    symbol: str | None = None  # in plans and explanations (`>`, `∈`)
    opposite: str | None = None  # the operator that holds exactly when this one fails on a given fact
    says_not: Words | None = None  # the leaf fails (when there is no opposite to say it)
    # What static reasoning (logic.py) may assume:
    bound: tuple[str, bool] | None = None  # ("low"|"high", open): a numeric bound
    allows: bool | None = None  # True: the fact is one of the listed values; False: none of them
    requires: str | None = None  # "all"|"any": a list fact has all / any of the listed items
    presence: bool = False  # tests only whether the fact is given (its value is a flag, not a fact value)


# What each operator means. An absent fact (None) has no kind, so only `exists` holds on it.

def _compare(test: Callable[[Any, Any], bool], kinds: frozenset[str]) -> Callable[[object, object], bool]:
    def check(actual: object, value: object) -> bool:
        k = kind(actual)
        return k in kinds and k == kind(value) and test(actual, value)

    return check


def _in(actual: object, value: object) -> bool:
    return any(same(actual, v) for v in listed(value))


def _not_in(actual: object, value: object) -> bool:
    return kind(actual) in SCALARS and not _in(actual, value)


def _contains_any(actual: object, value: object) -> bool:
    if kind(actual) != "l":
        return False
    items = cast(Sequence[object], actual)  # kind "l" is a tuple or list
    return any(same(item, v) for v in listed(value) for item in items)


def _contains(actual: object, value: object) -> bool:
    return _contains_any(actual, (value,))


def _exists(actual: object, value: object) -> bool:
    return (actual is not None) == bool(value)


# The same meanings for the pure-Python engine: the value's kind is known when compiling,
# and listed values are keyed by kind, so membership is one set lookup.

def _kind_is(symbol: str, name: str) -> Callable[[object, object, str], bool]:
    test: Callable[[Any, Any], bool] = {"==": operator.eq, "!=": operator.ne, "<": operator.lt,
                                        "<=": operator.le, ">": operator.gt, ">=": operator.ge}[symbol]

    def check(actual: object, value: object, wanted: str) -> bool:
        return actual is not None and kind(actual) == wanted and test(actual, value)

    check.__name__ = f"_cmp_{name}"
    return check


def _python_compare(name: str, symbol: str, kinds: frozenset[str]) -> Callable[[Source, str, object], str]:
    helper = _kind_is(symbol, name)

    def expression(src: Source, fact: str, value: object) -> str:
        wanted = kind(value)
        if wanted not in kinds:
            return "False"  # a leaf comparing two kinds is false
        return f"{src.helper(helper)}({fact}, {src.constant(value)}, {wanted!r})"

    return expression


def _in_keyed(actual: object, keys: frozenset[tuple[str, object]]) -> bool:
    k = kind(actual)
    return k in SCALARS and (k, actual) in keys


def _not_in_keyed(actual: object, keys: frozenset[tuple[str, object]]) -> bool:
    k = kind(actual)
    return k in SCALARS and (k, actual) not in keys


def _has_any_keyed(actual: object, keys: frozenset[tuple[str, object]]) -> bool:
    if kind(actual) != "l":
        return False
    for item in actual:  # type: ignore[attr-defined]  # kind "l" is a tuple or list
        k = kind(item)
        if k in SCALARS and (k, item) in keys:
            return True
    return False


def _python_keyed(helper: Callable[..., bool], one: bool = False) -> Callable[[Source, str, object], str]:
    def expression(src: Source, fact: str, value: object) -> str:
        keys = keyed((value,) if one else listed(value))
        return f"{src.helper(helper)}({fact}, {src.constant(keys)})"

    return expression


def _python_exists(src: Source, fact: str, value: object) -> str:
    return f"({fact} is not None)" if value else f"({fact} is None)"


# How a leaf is said in a plan: `kpis.complaint_rate = 0.068 > 0.03`.

def show_value(value: object) -> str:
    """A value as plans show it: `true`, `[a, b]`, `3` for 3.0, `—` for none."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    if isinstance(value, float) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return "—" if value is None else str(value)


def _show_compare(symbol: str) -> Callable[[str, object, object, bool], str]:
    def show(fact: str, value: object, actual: object, negated: bool) -> str:
        return f"{fact} = {show_value(actual)} {symbol} {show_value(value)}"

    return show


def _show_equal(fact: str, value: object, actual: object, negated: bool) -> str:
    return f"{fact} = {show_value(actual)}"


def _show_contains(fact: str, value: object, actual: object, negated: bool) -> str:
    wanted = value if isinstance(value, list | tuple) else [value]
    have = actual if isinstance(actual, list | tuple) else []
    if negated:
        return f"{fact} = {show_value(have)} ∌ {show_value(wanted if len(wanted) > 1 else wanted[0])}"
    common = [v for v in wanted if v in have]
    return f"{fact} ∋ {show_value(common if len(common) > 1 else common[0] if common else wanted)}"


def _show_exists(fact: str, value: object, actual: object, negated: bool) -> str:
    return f"{fact} {'exists' if bool(value) != negated else 'absent'}"


# The values of a fact the why-not search tries for a leaf: ones that make it hold, and ones
# that make it fail.

def _try_listed(value: object, subject: Subject) -> Iterator[object]:
    values = listed(value)
    yield from values
    yield from _others(values, subject.fact)  # what `ne` and `not_in` need, the fact given or not


def _try_items(value: object, subject: Subject) -> Iterator[object]:
    have = tuple(subject.current) if isinstance(subject.current, tuple) else ()
    for v in listed(value):
        yield tuple(sorted({*have, str(v)}))
        yield tuple(x for x in have if x != v)


def _try_near(value: object, subject: Subject) -> Iterator[object]:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return
    integer = subject.fact is not None and subject.fact.type == "integer"
    step = 1 if integer else max(abs(value) * 0.01, 0.001)
    for candidate in (value, value + step, value - step):
        yield int(candidate) if integer else round(float(candidate), 6)


def _try_presence(value: object, subject: Subject) -> Iterator[object]:
    yield None
    yield from _given(subject.fact, subject.kpi)


def _others(values: Sequence[object], fact: Fact | None) -> Iterator[object]:
    """Values of the fact other than the listed ones: its declared values, the other truth
    value, or a number next to the listed ones."""
    if fact is not None and fact.values:
        yield from (o for o in fact.value_ids if o not in values)
    elif (fact is not None and fact.type == "bool") or any(isinstance(v, bool) for v in values):
        yield from (b for b in (True, False) if b not in values)
    elif fact is not None and fact.type in ("integer", "number"):
        numbers = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        step = 1.0 if fact.type == "integer" else 0.05
        for candidate in (max(numbers, default=0.0) + step, min(numbers, default=0.0) - step):
            if (fact.min is None or candidate >= fact.min) and (fact.max is None or candidate <= fact.max):
                yield int(candidate) if fact.type == "integer" else round(candidate, 6)


def _given(fact: Fact | None, kpi: Kpi | None) -> Iterator[object]:
    """A value that gives a fact that is not given (for `exists: true`): a KPI's warning level,
    a fact's first declared value, true, or its lowest number."""
    if kpi is not None:
        yield float(kpi.warning if kpi.warning is not None else kpi.min)
    if fact is None:
        return
    if fact.values:
        yield (fact.value_ids[0],) if fact.type == "list" else fact.value_ids[0]
    elif fact.type == "bool":
        yield True
    elif fact.type in ("integer", "number"):
        low = fact.min if fact.min is not None else 0
        yield int(low) if fact.type == "integer" else float(low)


# The table.

_SCALAR = {"$ref": "#/$defs/scalar"}
_SCALARS = {"$ref": "#/$defs/scalars"}
_ORDERED = {"anyOf": [{"type": "number"}, {"type": "string"}]}  # no union `type`: ajv strict refuses it
_EQUALITY = frozenset({"enum", "string", "bool", "integer", "number", "date"})
_ORDER = frozenset({"integer", "number", "date"})
_MEMBER = frozenset({"enum", "string", "integer"})
_LIST = frozenset({"list"})


def _comparison(name: str, symbol: str, durable_op: str, opposite: str, says: Words,
                bound: tuple[str, bool] | None = None, allows: bool | None = None) -> Operator:
    kinds = ORDERED if bound else SCALARS
    python_symbol = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}[name]
    return Operator(
        name, _ORDER if bound else _EQUALITY, _ORDERED if bound else _SCALAR,
        _compare(getattr(operator, name), kinds), _python_compare(name, python_symbol, kinds),
        lambda slot, value: durable.compare(slot, durable_op, value), says,
        _show_equal if name == "eq" else _show_compare(symbol), _try_near if bound else _try_listed,
        symbol=symbol, opposite=opposite, bound=bound, allows=allows)


OPERATORS: Mapping[str, Operator] = {op.name: op for op in (
    _comparison("eq", "=", "eq", "ne", ("为 {v}", "is {v}"), allows=True),
    _comparison("ne", "≠", "neq", "eq", ("不为 {v}", "is not {v}"), allows=False),
    _comparison("lt", "<", "lt", "ge", ("小于 {v}", "is below {v}"), bound=("high", True)),
    _comparison("le", "≤", "lte", "gt", ("不大于 {v}", "is at most {v}"), bound=("high", False)),
    _comparison("gt", ">", "gt", "le", ("大于 {v}", "is above {v}"), bound=("low", True)),
    _comparison("ge", "≥", "gte", "lt", ("不小于 {v}", "is at least {v}"), bound=("low", False)),
    Operator("in", _MEMBER, _SCALARS, _in, _python_keyed(_in_keyed),
             lambda slot, value: durable.one_of(slot, listed(value)), ("属于 {v}", "is one of {v}"),
             _show_compare("∈"), _try_listed, symbol="∈", opposite="not_in", allows=True),
    Operator("not_in", _MEMBER, _SCALARS, _not_in, _python_keyed(_not_in_keyed),
             lambda slot, value: durable.none_of(slot, listed(value)), ("不属于 {v}", "is none of {v}"),
             _show_compare("∉"), _try_listed, symbol="∉", opposite="in", allows=False),
    Operator("contains", _LIST, _SCALAR, _contains, _python_keyed(_has_any_keyed, one=True),
             lambda slot, value: durable.has_any(slot, (value,)), ("包含 {v}", "includes {v}"),
             _show_contains, _try_items, says_not=("不包含 {v}", "does not include {v}"), requires="all"),
    Operator("contains_any", _LIST, _SCALARS, _contains_any, _python_keyed(_has_any_keyed),
             lambda slot, value: durable.has_any(slot, listed(value)),
             ("包含 {v} 中的任一项", "includes any of {v}"), _show_contains, _try_items,
             says_not=("不包含 {v} 中的任何一项", "includes none of {v}"), requires="any"),
    Operator("exists", _EQUALITY | _LIST, {"type": "boolean"}, _exists, _python_exists,
             lambda slot, value: durable.present(slot, bool(value)), ("已填写", "is given"),
             _show_exists, _try_presence, says_not=("未填写", "is not given"), presence=True),
)}
NAMES: tuple[str, ...] = tuple(OPERATORS)


def applicable(fact_type: str) -> frozenset[str]:
    """The operators a fact of this type may be tested with."""
    return frozenset(name for name, op in OPERATORS.items() if fact_type in op.types)


def says(name: str, negated: bool) -> Words:
    """The phrase of a leaf that holds (or, negated, fails on a given fact)."""
    op = OPERATORS[name]
    if not negated:
        return op.says
    if op.opposite is not None:
        return OPERATORS[op.opposite].says
    assert op.says_not is not None, f"operator {name} has neither an opposite nor words for failing"
    return op.says_not


def shown(fact: str, op: str, value: object, actual: object) -> str:
    """A leaf as a plan shows it; `op` may carry a "not " prefix (a leaf under an odd number of `not`s)."""
    negated = op.startswith("not ")
    found = OPERATORS[op.removeprefix("not ")]
    if negated and found.opposite is not None:
        found, negated = OPERATORS[found.opposite], False
    return found.show(fact, value, actual, negated)


def schema_properties() -> dict[str, object]:
    """The operator part of a condition's JSON Schema (`properties`), in table order."""
    return {name: dict(op.schema) for name, op in OPERATORS.items()}
