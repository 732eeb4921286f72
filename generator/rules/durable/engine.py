"""The compiled engine: rules compiled once into durable_rules, then evaluated per client.

Each shard (ruleset) gets one complete fact per evaluation, in its own session, which
is deleted afterwards whatever happens. Every pattern starts with the type test
`t == "c"` (negations stay behind it), and a catch-all rule keeps durable from
refusing a fact nothing else matches. The action of every rule only notes that it
fired (`cap` makes durable hand all of a rule's matches to one call); chaining,
conflicts and explanations happen in Python (meaning/chaining.py, meaning/match_explainers.py).
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Mapping, Sequence, Set
from typing import TYPE_CHECKING

from generator.rules.durable import host as durable_host
from generator.rules.durable.fact_json import fact_json
from generator.rules.meaning.chaining import settle
from generator.rules.meaning.match_explainers import Provers
from generator.rules.meaning.results import Evaluation, Firing, Match, RuleError
from generator.rules.model import Rule

if TYPE_CHECKING:
    # Imported when compiling only: a cached Program starts an engine without them.
    from generator.rules.durable.program import Program, Shard
    from generator.rules.durable.splitting import Budget

__all__ = ["Engine", "Evaluation", "Firing", "Match", "RuleError"]

def _nothing(c: object) -> None:
    """The action durable's own API would run (see host.run for ours)."""


class Engine:
    """The durable_rules back end (see generator.rules.backends)."""

    name = "durable"

    def __init__(self, rules: Sequence[Rule], *, budget: Budget | None = None,
                 program: Program | None = None) -> None:
        """Compile once (or start from a `program` compiled before, e.g. cached); `budget`
        (durable's limits by default) is smaller only in tests."""
        if program is None:
            from generator.rules.durable.compiler import compile_rules
            from generator.rules.durable.splitting import DURABLE

            program = compile_rules(rules, budget or DURABLE)
        self._program: Program = program
        self._sids = itertools.count(1)
        self._levels = [level.level for level in self._program.levels]
        self._proofs = Provers(self._program.rules)
        shards = [shard for level in self._program.levels for shard in level.shards]
        names = durable_host.register("opsbook", [_definition(shard) for shard in shards])
        remaining = iter(names)
        self._names = tuple(tuple(itertools.islice(remaining, len(level.shards))) for level in self._program.levels)
        # Free the rulesets when the engine goes; the callback must not hold the engine.
        self._finalizer = weakref.finalize(self, durable_host.drop, names)

    def evaluate(self, facts: Mapping[str, object]) -> Evaluation:
        rules = self._program.rules
        with durable_host.LOCK:
            outcome = settle(rules, self._levels, facts, self._fire)
        # As in reference.evaluation: each fired rule explained from the final facts.
        fired = (Firing(rules[i].id, rules[i].layer, self._proofs.matched(i, outcome.facts)) for i in outcome.fired)
        return Evaluation(tuple(fired), outcome.derived)

    @property
    def program(self) -> Program:
        """The compiled rulesets: plain data, so a playbook cache can keep them."""
        return self._program

    def rulesets(self) -> list[tuple[Shard, str]]:
        """Each compiled shard with the name durable registered it under: what a
        comparison against durable's own API asserts facts into."""
        return [(shard, name) for level, names in zip(self._program.levels, self._names, strict=True)
                for shard, name in zip(level.shards, names, strict=True)]

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
            raise RuntimeError("the engine is closed: evaluate before close()")  # a misuse by the code, not input
        sid = str(next(self._sids))
        text = fact_json(shard.slots, facts, sid)
        fired: list[int] = []
        owners = shard.owners

        def act(durable_rule: str) -> None:
            rule = owners.get(durable_rule)
            if rule is not None:
                self._on_fire(rule, fired)

        try:
            durable_host.run(name, text, sid, act)
        except Exception as error:
            # The facts and rules were checked before they got here, so a failure now is the engine's
            # (or ours): it goes on as what it is, an internal error, naming the rules for the crash report.
            rules = ", ".join(dict.fromkeys(self._program.rules[p.rule].id for p in shard.pieces))
            error.add_note(f"opsbook: while durable_rules evaluated rules {rules}")
            raise
        return fired

    def _on_fire(self, rule: int, fired: list[int]) -> None:
        """The action of every rule: note that it fired."""
        fired.append(rule)


def _definition(shard: Shard) -> tuple[str, dict[str, durable_host.Action]]:
    return shard.definition, dict.fromkeys(shard.rule_names(), _nothing)
