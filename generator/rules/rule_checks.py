"""Checking rule files against the knowledge base: facts, operators, values, targets."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.core.errors import Problem, suggest
from generator.kb.loader import Document, JsonPath
from generator.kb.model import KB
from generator.rules.operators import NAMES, OPERATORS, applicable

OPS = NAMES
CONNECTIVES = ("all", "any", "not")
# Operators that make sense for each fact type (the operator table says).
OPS_BY_TYPE = {fact_type: applicable(fact_type) for op in OPERATORS.values() for fact_type in op.types}


@dataclass(frozen=True)
class FactType:
    """What a condition may say about one fact path."""

    type: str
    values: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None


def vocabulary(kb: KB, derived: Mapping[str, Any]) -> dict[str, FactType]:
    """Every fact path a rule may test: declared facts, `kpis.<id>`, and derived facts."""
    table: dict[str, FactType] = {}
    for fact in kb.facts:
        if fact.type == "kpis":
            for kpi in kb.kpis:
                table[f"{fact.id}.{kpi.id}"] = FactType("number", min=kpi.min, max=kpi.max)
        else:
            table[fact.id] = FactType(fact.type, fact.value_ids, fact.min, fact.max)
    for name, value in derived.items():
        if name not in table:
            kind = "bool" if isinstance(value, bool) else "number" if isinstance(value, int | float) else "string"
            table[name] = FactType(kind)
    return table


class RuleChecker:
    """Cross-checks the rules of one set of layers; collects problems."""

    def __init__(self, kb: KB, extra_items: set[str]) -> None:
        self.kb = kb
        self.targets = set(kb.step_by_id) | set(kb.item_by_id) | extra_items
        self.problems: list[Problem] = []
        self.facts: dict[str, FactType] = {}

    def run(self, rules: Sequence[tuple[Document, JsonPath]]) -> list[Problem]:
        derived: dict[str, Any] = {}
        for doc, path in rules:
            for name, value in (_get(doc.data, path).get("then", {}).get("set") or {}).items():
                derived.setdefault(name, value)
        self.facts = vocabulary(self.kb, derived)
        seen: dict[str, str] = {}
        for doc, path in rules:
            rule = _get(doc.data, path)
            rid = rule.get("id", "")
            if rid in seen:
                self.problems.append(doc.problem(
                    (*path, "id"),
                    f"duplicate rule ID `{rid}` (first defined at {seen[rid]}): rule IDs are unique across layers",
                ))
            else:
                seen[rid] = f"{doc.path}:{doc.at((*path, 'id'))[0]}"
            if "when" in rule:
                self.problems.extend(self._condition(doc, (*path, "when"), rule["when"]))
            self.problems.extend(self._action(doc, (*path, "then"), rule.get("then") or {}))
        self.problems.extend(self._cycles(rules))
        return self.problems

    def _condition(self, doc: Document, path: JsonPath, cond: dict[str, Any]) -> Iterator[Problem]:
        keys = [k for k in cond if k in CONNECTIVES or k == "fact"]
        if len(keys) != 1:
            what = ", ".join(f"`{k}`" for k in keys) or "nothing"
            yield doc.problem(path, f"a condition has exactly one of `all`, `any`, `not` or `fact`; found {what}")
            return
        key = keys[0]
        if key in ("all", "any"):
            for i, child in enumerate(cond[key]):
                yield from self._condition(doc, (*path, key, i), child)
        elif key == "not":
            yield from self._condition(doc, (*path, "not"), cond["not"])
        else:
            yield from self._leaf(doc, path, cond)

    def _leaf(self, doc: Document, path: JsonPath, cond: dict[str, Any]) -> Iterator[Problem]:
        ops = [k for k in cond if k in OPS]
        if len(ops) != 1 or len(cond) != 2:
            found = ", ".join(f"`{k}`" for k in cond if k != "fact") or "none"
            yield doc.problem(path, f"a fact test has exactly one operator ({', '.join(OPS)}); found {found}")
            return
        name, op, value = cond["fact"], ops[0], cond[ops[0]]
        fact = self.facts.get(name)
        if fact is None:
            yield doc.problem((*path, "fact"), f"unknown fact `{name}`{suggest(name, self.facts)}")
            return
        allowed = OPS_BY_TYPE[fact.type]
        if op not in allowed:
            yield doc.problem(
                (*path, op),
                f"operator `{op}` does not apply to {fact.type} fact `{name}`: use one of {', '.join(sorted(allowed))}",
                key=True,
            )
            return
        yield from self._value(doc, (*path, op), name, fact, op, value)

    def _value(
        self, doc: Document, path: JsonPath, name: str, fact: FactType, op: str, value: Any
    ) -> Iterator[Problem]:
        if OPERATORS[op].presence:
            return  # its value is a flag, not a value of the fact
        values = value if isinstance(value, list) else [value]
        for i, v in enumerate(values):
            where = (*path, i) if isinstance(value, list) else path
            problem = _value_problem(name, fact, v)
            if problem:
                yield doc.problem(where, problem)

    def _action(self, doc: Document, path: JsonPath, then: dict[str, Any]) -> Iterator[Problem]:
        for key in ("include", "exclude"):
            for i, target in enumerate(then.get(key) or []):
                if target not in self.targets:
                    yield doc.problem(
                        (*path, key, i), f"unknown step or item `{target}`{suggest(target, self.targets)}"
                    )
        for name in then.get("set") or {}:
            declared = self.kb.fact_by_id.get(name)
            if (declared is not None and not declared.derived) or name.startswith("kpis."):
                yield doc.problem(
                    (*path, "set", name), f"`{name}` is a client fact: rules may only set derived facts", key=True
                )

    def _cycles(self, rules: Sequence[tuple[Document, JsonPath]]) -> Iterator[Problem]:
        """Derived facts that feed themselves through rules would never settle."""
        edges: dict[str, set[str]] = {}
        where: dict[str, tuple[Document, JsonPath]] = {}
        for doc, path in rules:
            rule = _get(doc.data, path)
            sets = set((rule.get("then") or {}).get("set") or {})
            for fact in _facts_in(rule.get("when") or {}):
                edges.setdefault(fact, set()).update(sets)
            for name in sets:
                where.setdefault(name, (doc, (*path, "then", "set", name)))
        for start in sorted(where):
            trail = _find_cycle(start, edges)
            if trail:
                doc, path = where[start]
                yield doc.problem(
                    path, f"derived facts feed each other and may never settle: {' -> '.join(trail)}", key=True
                )
                return


def _find_cycle(start: str, edges: dict[str, set[str]]) -> list[str]:
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, trail = stack.pop()
        for nxt in sorted(edges.get(node, ())):
            if nxt == start:
                return [*trail, nxt]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*trail, nxt]))
    return []


def _facts_in(cond: dict[str, Any]) -> Iterator[str]:
    if isinstance(cond.get("fact"), str):
        yield cond["fact"]
    for key in ("all", "any"):
        for child in cond.get(key) or []:
            yield from _facts_in(child)
    if isinstance(cond.get("not"), dict):
        yield from _facts_in(cond["not"])


def _show(value: Any) -> str:
    """A value as it is written in YAML (`true`, not Python's `True`)."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _value_problem(name: str, fact: FactType, value: Any) -> str | None:
    shown = _show(value)
    if fact.type in ("enum", "list"):
        if value not in fact.values:
            return (
                f"`{shown}` is not a value of `{name}`{suggest(str(value), fact.values)} "
                f"(allowed: {', '.join(fact.values)})"
            )
    elif fact.type == "bool":
        if not isinstance(value, bool):
            return f"`{name}` is true or false, not `{shown}`"
    elif fact.type in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"`{name}` is a number, not `{shown}`"
        if (fact.min is not None and value < fact.min) or (fact.max is not None and value > fact.max):
            high = fact.max if fact.max is not None else "any"
            return f"{shown} is outside the range of `{name}` ({fact.min} to {high})"
    elif fact.type == "date" and not (isinstance(value, str) and _is_date(value)):
        return f"`{name}` is a date written YYYY-MM-DD, not `{shown}`"
    elif fact.type == "string" and not isinstance(value, str):
        return f"`{name}` is text, not `{shown}`"
    return None


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _get(data: Any, path: JsonPath) -> Any:
    for key in path:
        data = data[key]
    return data
