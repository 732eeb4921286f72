"""A compiled program: the durable rulesets ("shards") of a rule set, as plain data.

Kept apart from the compiler so a program cached with a playbook loads without it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cached_property
from types import MappingProxyType

from generator.core.records import record
from generator.rules.durable.nodes import Cost
from generator.rules.durable.values import Slot, dumps
from generator.rules.meaning.derived_order import Level
from generator.rules.model import Rule

CAP = 1000  # more than the alpha paths one pattern can match (compiler limits them)
# Matches every fact, so durable never answers "not handled" (after which deleting the
# session corrupts its memory). A catch-all that joins with a fact that never comes,
# and so would never fire, crashes durable the same way.
CATCH_ALL_NAME = "$catch-all"
CATCH_ALL = {"all": [{"m": {"$ex": {"t": 1}}}]}


@record
class Piece:
    """One durable rule: fires rule `rule` when `pattern` (durable JSON form) matches."""

    rule: int
    pattern: object
    cost: Cost
    paths: frozenset[str]


@record
class Shard:
    """One durable ruleset: pieces of the rules of one level, and the fact paths they read."""

    pieces: tuple[Piece, ...]
    slots: tuple[Slot, ...]  # the fact paths its pieces read

    def named(self) -> Iterator[tuple[str, Piece]]:
        """Each piece with its durable rule name."""
        return ((f"p{number}", piece) for number, piece in enumerate(self.pieces))

    @cached_property
    def owners(self) -> Mapping[str, int]:
        """The rule (index) of each durable rule name."""
        return MappingProxyType({name: piece.rule for name, piece in self.named()})

    @cached_property
    def definition(self) -> str:
        """The ruleset as the JSON text durable's C core reads: the catch-all, then each piece
        with its cap. Made when compiling, so a cached program starts an engine without it."""
        rules: dict[str, object] = {CATCH_ALL_NAME: CATCH_ALL}
        rules.update((name, {"all": [{"m": piece.pattern}], "cap": CAP}) for name, piece in self.named())
        return dumps(rules)

    def rule_names(self) -> tuple[str, ...]:
        """The names of the durable rules `definition` holds."""
        return (CATCH_ALL_NAME, *(name for name, _ in self.named()))


@record
class CompiledLevel:
    """One chaining level: the rules that always fire, and the shards of the others."""

    level: Level
    constant: tuple[int, ...]  # rules that always fire
    shards: tuple[Shard, ...]


@record
class Program:
    """The rules and their compiled levels, in the order they are evaluated."""

    rules: tuple[Rule, ...]
    levels: tuple[CompiledLevel, ...]
