"""The compiled engine: rules compiled once into durable_rules, then evaluated per client.

Each shard (ruleset) gets one complete fact per evaluation, in its own session, which
is deleted afterwards whatever happens. Every pattern starts with the type test
`t == "c"` (negations stay behind it); a catch-all rule keeps durable from raising on
a fact nothing else matches. Actions only
record which rule fired (`cap` makes durable hand all of a rule's matches to one
call); chaining, conflicts and explanations happen in Python (chaining.py).
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Mapping, Sequence, Set

from generator.rules import durable_host
from generator.rules.chaining import settle
from generator.rules.compiler import Program, Shard, compile_rules
from generator.rules.wire import fact_json
from generator.rules.model import Rule
from generator.rules.reference import evaluation
from generator.rules.results import Evaluation, Firing, Match, RuleError
from generator.rules.splitting import DURABLE, Budget

__all__ = ["Engine", "Evaluation", "Firing", "Match", "RuleError"]

_CAP = 1000  # more than the alpha paths one pattern can match (compiler limits them)
# Matches every fact, so durable never raises "not handled" (and after that, deleting the
# session corrupts its memory). A catch-all that joins with a fact that never comes,
# which would not even fire, crashes durable the same way.
_CATCH_ALL = {"all": [{"m": {"$ex": {"t": 1}}}]}


class _Sink:
    """Where the actions of one engine report; emptied before each durable call."""

    def __init__(self) -> None:
        self.hits: list[int] = []
        self.failures: list[tuple[int, BaseException]] = []

    def hit(self, rule: int) -> None:
        self.hits.append(rule)


def _action(rule: int, sink: _Sink) -> durable_host.Action:
    # durable needs a function of exactly one parameter (two mean "async"), hence a
    # closure rather than a default argument or functools.partial.
    def run(c: object) -> None:
        try:
            sink.hit(rule)
        except BaseException as error:
            sink.failures.append((rule, error))  # durable would only keep its text
            raise

    return run


def _ignore(c: object) -> None:
    """The catch-all's action: nothing to do."""


class Engine:
    def __init__(self, rules: Sequence[Rule], *, budget: Budget = DURABLE) -> None:
        """Compile once; `budget` (durable's limits by default) is smaller only in tests."""
        self._program: Program = compile_rules(rules, budget)
        self._sink = _Sink()
        self._sids = itertools.count(1)
        shards = [shard for level in self._program.levels for shard in level.shards]
        names = durable_host.register("opsbook", [self._definition(shard) for shard in shards])
        remaining = iter(names)
        self._names = tuple(
            tuple(itertools.islice(remaining, len(lv.shards))) for lv in self._program.levels
        )
        # Free the rulesets when the engine goes; the callback must not hold the engine.
        self._finalizer = weakref.finalize(self, durable_host.drop, names)

    def _definition(self, shard: Shard) -> tuple[dict[str, object], dict[str, durable_host.Action]]:
        definition: dict[str, object] = {"$catch-all": _CATCH_ALL}
        actions: dict[str, durable_host.Action] = {"$catch-all": _ignore}
        for number, piece in enumerate(shard.pieces):
            definition[f"p{number}"] = {"all": [{"m": piece.pattern}], "cap": _CAP}
            actions[f"p{number}"] = _action(piece.rule, self._sink)
        return definition, actions

    def evaluate(self, facts: Mapping[str, object]) -> Evaluation:
        rules, levels = self._program.rules, self._program.levels
        with durable_host.LOCK:
            outcome = settle(rules, [level.level for level in levels], facts, self._fire)
        return evaluation(rules, outcome)

    def close(self) -> None:
        """Free the durable rulesets now rather than when the engine is collected."""
        self._finalizer()

    def _fire(self, index: int, facts: Mapping[str, object]) -> Set[int]:
        level = self._program.levels[index]
        fired = set(level.constant)
        for shard, name in zip(level.shards, self._names[index], strict=True):
            fired.update(self._run(shard, name, facts))
        return fired

    def _run(self, shard: Shard, name: str, facts: Mapping[str, object]) -> list[int]:
        if not self._finalizer.alive:
            raise RuleError("the engine is closed")
        sid = str(next(self._sids))
        text = fact_json(shard.slots, facts, sid)
        sink = self._sink
        sink.hits.clear()
        sink.failures.clear()
        try:
            state = durable_host.assert_fact(name, text)
        except Exception as error:
            raise RuleError(
                f"durable_rules failed on rules {self._rule_ids(shard)}: {error}"
            ) from error
        finally:
            durable_host.delete_state(name, sid)
        if state is not None and "exception" in state:
            raise self._action_error(shard, str(state["exception"]))
        return sink.hits

    def _action_error(self, shard: Shard, message: str) -> RuleError:
        if self._sink.failures:
            rule, error = self._sink.failures[0]
            return RuleError(f"rule {self._program.rules[rule].id}: its action raised {error!r}")
        return RuleError(
            f"durable_rules reported an error for rules {self._rule_ids(shard)}: {message}"
        )

    def _rule_ids(self, shard: Shard) -> str:
        return ", ".join(dict.fromkeys(self._program.rules[p.rule].id for p in shard.pieces))
