"""Compile rules into durable_rules rulesets ("shards") within durable's limits.

Rules are grouped by chaining level (meaning/derived_order.py); within a level, their pieces
(splitting.py) are packed into shards so that no ruleset exceeds durable's tables and
no fact has more than 255 properties. Rules whose condition is constant never reach
durable: always-true ones fire in Python, never-true ones are dropped. A rule beyond
durable's limits is a RuleProblem located at the rule; every such rule is reported at once.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.core.errors import Problem
from generator.rules.durable.condition_nodes import lower
from generator.rules.durable.nodes import FALSE, TRUE, TYPE_TEST, Cost, Node, conj, paths, to_durable
from generator.rules.durable.program import CompiledLevel, Piece, Program, Shard
from generator.rules.durable.splitting import DURABLE, Budget, pattern_cost, split
from generator.rules.durable.values import LimitError, Slot, check_value
from generator.rules.kinds import kind
from generator.rules.meaning.derived_order import Level, schedule
from generator.rules.meaning.results import RuleProblem, rule_problem
from generator.rules.model import Rule, leaves

MAX_PROPERTIES = 240  # per fact; durable allows 255, `t`, `sid` and `id` included (error 302)


def compile_rules(rules: Sequence[Rule], budget: Budget = DURABLE) -> Program:
    rules = tuple(rules)
    slots = make_slots(rules)
    problems = [problem for rule in rules for problem in _derived_values(rule)]
    levels = tuple(_compile_level(rules, level, slots, budget, problems) for level in schedule(rules))
    if problems:
        raise RuleProblem(sorted(set(problems)))  # a rule cut into pieces is reported once
    for level in levels:
        for shard in level.shards:
            shard.definition  # noqa: B018  (made now, so a cached program carries its text)
    return Program(rules, levels)


def _derived_values(rule: Rule) -> list[Problem]:
    """The facts a rule sets travel to durable like the client's: a value it cannot hold is the rule's problem."""
    problems = []
    for name, value in rule.then.set:
        try:
            check_value(value)
        except LimitError as error:
            problems.append(rule_problem(rule.location, f"rule {rule.id} sets fact {name}: {error.advice()}"))
    return problems


def _compile_level(rules: tuple[Rule, ...], level: Level, slots: dict[str, Slot], budget: Budget,
                   problems: list[Problem]) -> CompiledLevel:
    constant: list[int] = []
    pieces: list[Piece] = []
    for index in level.rules:
        try:
            node = lower(rules[index].when, slots)
            parts = [] if node in (TRUE, FALSE) else split(node, budget)
        except LimitError as error:
            problems.append(rule_problem(rules[index].location, f"rule {rules[index].id}: {error.advice()}"))
            continue
        if node == TRUE:
            constant.append(index)
        pieces += (_piece(index, part) for part in parts)
    return CompiledLevel(level, tuple(constant), _shards(rules, pieces, slots, budget, problems))


def _piece(rule: int, node: Node) -> Piece:
    return Piece(rule, to_durable(conj((TYPE_TEST, node))), pattern_cost(node), paths(node))


def _shards(rules: tuple[Rule, ...], pieces: list[Piece], slots: dict[str, Slot], budget: Budget,
            problems: list[Problem]) -> tuple[Shard, ...]:
    shards: list[Shard] = []
    group: list[Piece] = []
    used, read = Cost(0, 0, 0, 0), frozenset[str]()
    for piece in pieces:
        if _properties(piece.paths, slots) > MAX_PROPERTIES:
            rule = rules[piece.rule]
            message = f"rule {rule.id} reads too many facts in one `all`; split the rule"
            problems.append(rule_problem(rule.location, message))
            continue
        # Groups count per durable rule, not per ruleset: the piece fits on its own.
        own = Cost(piece.cost.paths, 0, piece.cost.links, piece.cost.tests)
        if group and (not budget.admits(used + own) or _properties(read | piece.paths, slots) > MAX_PROPERTIES):
            shards.append(_shard(group, read, slots))
            group, used, read = [], Cost(0, 0, 0, 0), frozenset()
        group.append(piece)
        used, read = used + own, read | piece.paths
    if group:
        shards.append(_shard(group, read, slots))
    return tuple(shards)


def _properties(paths: frozenset[str], slots: dict[str, Slot]) -> int:
    """The most properties a fact can carry for these paths (one value, its hex copy, its flag)."""
    return sum(1 + (slots[p].o is not None) + (slots[p].p is not None) for p in paths)


def _shard(pieces: list[Piece], read: frozenset[str], slots: dict[str, Slot]) -> Shard:
    return Shard(tuple(pieces), tuple(slots[path] for path in sorted(read)))


def make_slots(rules: Sequence[Rule]) -> dict[str, Slot]:
    """Durable property names for every fact path a rule reads."""
    all_leaves = [leaf for rule in rules for leaf in leaves(rule.when)]
    ordered = {leaf.fact for leaf in all_leaves if leaf.op in ("lt", "le", "gt", "ge") and kind(leaf.value) == "s"}
    flagged = {leaf.fact for leaf in all_leaves if leaf.op == "exists"}
    names = _Names()
    slots = {}
    for i, path in enumerate(sorted({leaf.fact for leaf in all_leaves})):
        slots[path] = Slot(
            path,
            s=names.new(f"s{i}"),
            n=names.new(f"n{i}"),
            b=names.new(f"b{i}"),
            l=names.new(f"l{i}"),
            o=names.new(f"o{i}") if path in ordered else None,
            p=names.new(f"p{i}") if path in flagged else None,
        )
    return slots


class _Names:
    """Property names whose durable hashes differ: durable finds a property by its
    32-bit FNV-1a hash alone, so two names with one hash would read each other."""

    def __init__(self) -> None:
        self._taken = {fnv1a(name) for name in ("t", "sid", "id", "$s", "$forward", "$i", "$f")}

    def new(self, name: str) -> str:
        while fnv1a(name) in self._taken:
            name += "_"
        self._taken.add(fnv1a(name))
        return name


def fnv1a(name: str) -> int:
    """durable's property-name hash (src/rules/json.c, getStringAndHash)."""
    value = 0x811C9DC5
    for byte in name.encode("utf-8"):
        value = ((value ^ (byte if byte < 128 else byte | 0xFFFFFF00)) * 16777619) & 0xFFFFFFFF
    return value
