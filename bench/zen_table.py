"""opsbook against GoRules zen-engine, a rules engine with a Rust core, on the same rules.

    .venv/bin/pip install -r bench/requirements.txt   # zen-engine, for this benchmark only
    .venv/bin/python bench/zen_table.py

The playbook's rules become one zen decision table (hit policy `collect`): a row per rule,
whose one cell is the rule's condition written as a zen expression and whose output is the
rule's ID. A derived fact (`then: set`) is replaced in the conditions that read it by the
conditions of the rules that set it, so one pass of the table gives what opsbook's chaining
gives. Before any timing, every example's rows that zen collects are checked to be exactly
the rules opsbook fires for it: the comparison is between equivalent work.

zen is timed on its own evaluation of the table only (facts already in its input form);
opsbook on evaluate + plan + schedule (`Playbook.plan`), once with the default back end and
once with the pure-Python (compiled) one. Runs are interleaved so both see the same machine.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import median_time  # noqa: E402

from generator.facts.client import ClientFacts, load_facts  # noqa: E402
from generator.plan.playbook import Playbook, load_playbook  # noqa: E402
from generator.rules.backends import make_engine  # noqa: E402
from generator.rules.model import Condition, Leaf, Rule, fold  # noqa: E402
from generator.rules.operators import OPERATORS  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
Row = tuple[str, str, str, str, str]


def _literal(value: object) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    if isinstance(value, dt.date):
        value = value.isoformat()
    return json.dumps(value, ensure_ascii=False)


class Table:
    """The rules as one zen decision table, and the facts as its input."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = rules
        self.setters: dict[str, list[Rule]] = {}
        for rule in rules:
            for fact, _ in rule.then.set:
                self.setters.setdefault(fact, []).append(rule)
        self.fields: dict[str, str] = {}  # fact path -> the input field zen reads (paths hold dots and dashes)

    def field(self, fact: str) -> str:
        return self.fields.setdefault(fact, f"f{len(self.fields)}")

    def expression(self, cond: Condition | None, seen: frozenset[str] = frozenset()) -> str:
        if cond is None:
            return "true"
        return fold(cond, lambda leaf, negated: self._leaf(leaf, negated, seen), _joined)

    def _leaf(self, leaf: Leaf, negated: bool, seen: frozenset[str]) -> str:
        test = self._derived(leaf, seen) if leaf.fact in self.setters else self._given(leaf)
        return f"not ({test})" if negated else test

    def _given(self, leaf: Leaf) -> str:
        x, v = self.field(leaf.fact), _literal(leaf.value)
        symbol = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}.get(leaf.op)
        if symbol:
            return f"({x} != null and {x} {symbol} {v})"
        if leaf.op == "in":
            return f"({x} != null and {x} in {v})"
        if leaf.op == "not_in":
            return f"({x} != null and not ({x} in {v}))"
        if leaf.op in ("contains", "contains_any"):
            listed = v if leaf.op == "contains_any" else f"[{v}]"
            return f"({x} != null and some({x}, # in {listed}))"
        if leaf.op == "exists":
            return f"({x} != null)" if leaf.value else f"({x} == null)"
        raise ValueError(f"no zen expression for operator {leaf.op}")

    def _derived(self, leaf: Leaf, seen: frozenset[str]) -> str:
        """A leaf on a fact rules set: true when set (every setter sets `true`), absent otherwise."""
        if leaf.fact in seen:
            raise ValueError(f"derived fact {leaf.fact} depends on itself")
        values = {value for rule in self.setters[leaf.fact] for fact, value in rule.then.set if fact == leaf.fact}
        if values != {True}:
            raise ValueError(f"derived fact {leaf.fact} is set to {values}; only `true` is translated")
        inner = seen | {leaf.fact}
        is_set = "(" + " or ".join(self.expression(r.when, inner) for r in self.setters[leaf.fact]) + ")"
        test = OPERATORS[leaf.op].test
        when_set, when_absent = test(True, leaf.value), test(None, leaf.value)
        if when_set and when_absent:
            return "true"
        if when_set:
            return is_set
        return f"not {is_set}" if when_absent else "false"

    def decision(self) -> dict[str, object]:
        """The JDM graph: input -> one collect table with a row per rule -> output."""
        rows = [{"_id": f"r{n}", "when": self.expression(rule.when), "rule": _literal(rule.id)}
                for n, rule in enumerate(self.rules)]
        table = {"hitPolicy": "collect", "inputs": [{"id": "when", "name": "condition", "field": ""}],
                 "outputs": [{"id": "rule", "name": "rule", "field": "rule"}], "rules": rows}
        at = {"x": 0, "y": 0}
        return {"nodes": [{"id": "in", "type": "inputNode", "name": "facts", "position": at},
                          {"id": "rules", "type": "decisionTableNode", "name": "rules", "position": at,
                           "content": table},
                          {"id": "out", "type": "outputNode", "name": "fired", "position": at}],
                "edges": [{"id": "e1", "type": "edge", "sourceId": "in", "targetId": "rules"},
                          {"id": "e2", "type": "edge", "sourceId": "rules", "targetId": "out"}]}

    def facts(self, values: Mapping[str, object]) -> dict[str, object]:
        """One client's facts in the table's input form."""
        found: dict[str, object] = {}
        for fact, name in self.fields.items():
            value = values.get(fact)
            if isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, dt.date):
                value = value.isoformat()
            found[name] = value
        return found


def _joined(conjunctive: bool, parts: object) -> str:
    found = list(parts)  # type: ignore[call-overload]
    if not found:
        return "true" if conjunctive else "false"
    return "(" + (" and " if conjunctive else " or ").join(found) + ")"


def zen_rows(root: Path = ROOT, runs: int = 30) -> list[Row]:
    try:
        import zen
    except ImportError:
        return [("opsbook vs zen-engine", "skipped: zen-engine is not installed", "", "",
                 "pip install -r bench/requirements.txt")]
    default = load_playbook(root / "kb", root / "rules")
    playbooks = {"default": default,
                 "python": Playbook(default.kb, default.ruleset, make_engine(default.ruleset.rules, name="python"))}
    table = Table(default.ruleset.rules)
    decision = zen.ZenEngine().create_decision(json.dumps(table.decision(), ensure_ascii=False))
    clients = [load_facts(path, default.kb) for path in EXAMPLES]
    inputs = [table.facts(facts.values) for facts in clients]
    for facts, given in zip(clients, inputs, strict=True):  # the same rules fire, or nothing is timed
        theirs = {row["rule"] for row in decision.evaluate(given)["result"]}
        ours = {firing.rule for firing in default.evaluate(facts).fired}
        if theirs != ours:
            raise AssertionError(f"{facts.name}: zen fires {sorted(theirs ^ ours)} differently from opsbook")
    times: dict[str, list[float]] = {"zen": [], "default": [], "python": []}

    def plan(playbook: Playbook, facts: ClientFacts) -> Callable[[], object]:
        return lambda: playbook.plan(facts, "zh")

    for _ in range(3):  # warm
        for facts, given in zip(clients, inputs, strict=True):
            decision.evaluate(given)
            for playbook in playbooks.values():
                playbook.plan(facts, "zh")
    for _ in range(runs):
        for facts, given in zip(clients, inputs, strict=True):
            times["zen"].append(median_time(lambda given=given: decision.evaluate(given), 1))
            for name, playbook in playbooks.items():
                times[name].append(median_time(plan(playbook, facts), 1))
    zen_ms = statistics.median(times["zen"]) * 1e3
    rows: list[Row] = []
    for name, target in (("default", "<= 0.5x"), ("python", "<= 0.2x")):
        ours = statistics.median(times[name]) * 1e3
        engine = default.engine.name if name == "default" else "python"
        rows.append((f"one client, warm: evaluate + plan + schedule ({engine} engine)", f"{ours:.3f} ms",
                     f"zen-engine evaluates the same {len(table.rules)} rules as one table, {zen_ms:.3f} ms",
                     f"{ours / zen_ms:.2f}x", target))
    return rows


def main() -> None:
    for row in zen_rows():
        print(" | ".join(row))


if __name__ == "__main__":
    main()
