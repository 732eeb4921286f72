"""A compiled program: the durable rulesets ("shards") of a rule set, as plain data.

Kept apart from the compiler so a program cached with a playbook loads without it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

from generator.rules.durable.nodes import Cost
from generator.rules.durable.values import Slot
from generator.rules.meaning.derived_order import Level
from generator.rules.model import Rule


@dataclass(frozen=True)
class Piece:
    """One durable rule: fires rule `rule` when `pattern` (durable JSON form) matches."""

    rule: int
    pattern: object
    cost: Cost
    paths: frozenset[str]


@dataclass(frozen=True)
class Shard:
    pieces: tuple[Piece, ...]
    slots: tuple[Slot, ...]  # the fact paths its pieces read

    def named(self) -> Iterator[tuple[str, Piece]]:
        """Each piece with its durable rule name."""
        return ((f"p{number}", piece) for number, piece in enumerate(self.pieces))

    @cached_property
    def owners(self) -> Mapping[str, int]:
        """The rule (index) of each durable rule name."""
        return MappingProxyType({name: piece.rule for name, piece in self.named()})


@dataclass(frozen=True)
class CompiledLevel:
    level: Level
    constant: tuple[int, ...]  # rules that always fire
    shards: tuple[Shard, ...]


@dataclass(frozen=True)
class Program:
    rules: tuple[Rule, ...]
    levels: tuple[CompiledLevel, ...]
