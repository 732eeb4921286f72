"""A loaded playbook: the validated KB, the rules in force and their compiled engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, cast

from generator.core.errors import OpsbookError
from generator.core.records import record
from generator.facts.client import LANGS, ClientFacts
from generator.kb.model import KB, deferred, split
from generator.plan.cache import cached_parts, fingerprint
from generator.plan.model import Plan
from generator.plan.planner import Catalogue, Template, build_plan, catalogue, template
from generator.rules.backends import RulesEngine, chosen, compile_for, make_engine
from generator.rules.meaning.results import Evaluation
from generator.rules.ruleset import RuleSet

if TYPE_CHECKING:
    from generator.rules.durable.program import Program
    from generator.rules.python.level_functions import Compiled

    # What the cache keeps of a validated playbook, in parts read as they are needed: the KB but its
    # DEFERRED part (kb/model.py), the rules and their compilation for the engine the entry is for
    # (durable's program, or the pure-Python back end's code; the engine starts from it); then the
    # plan template of each language in LANGS; then the KB's DEFERRED part.
    Needed = tuple[tuple[tuple[str, ...], dict[str, object]], RuleSet, Program | Compiled]


@record
class Playbook:
    """A loaded playbook: the validated KB, the rules in force and the engine that runs them."""

    kb: KB
    ruleset: RuleSet
    engine: RulesEngine
    templates: dict[str, Template] = field(default_factory=dict, compare=False, repr=False)
    # The template of a language in LANGS when the cache holds it (load_playbook), read when first asked for.
    stored: Callable[[str], Template] | None = field(default=None, compare=False, repr=False)

    @cached_property
    def catalogue(self) -> Catalogue:
        """The checklist items plans can hold (KB and overlay items), built once."""
        return catalogue(self.kb, self.ruleset.items)

    def evaluate(self, facts: ClientFacts) -> Evaluation:
        return self.engine.evaluate(facts.values)

    def template(self, lang: str) -> Template:
        if lang not in self.templates:
            stored = self.stored if lang in LANGS else None
            self.templates[lang] = stored(lang) if stored is not None else template(self.kb, self.ruleset, lang)
        return self.templates[lang]

    def plan(self, facts: ClientFacts, lang: str = "zh", start: dt.date | None = None) -> Plan:
        begin = start or facts.start_date or dt.date.today()
        return build_plan(self.template(lang), self.ruleset, self.evaluate(facts), facts, begin)


def load_kb(kb_dir: Path) -> KB:
    from generator.kb.validate import validate_kb  # only when the cache cannot answer

    result = validate_kb(kb_dir)
    if result.kb is None:
        raise OpsbookError([p for p in result.problems if p.severity == "error"])
    return result.kb


def _validated(kb_dir: Path, rules_dir: Path, overlays: Sequence[Path], engine: str) -> tuple[object, ...]:
    from generator.rules.layers import load_ruleset

    kb = load_kb(kb_dir)
    ruleset = load_ruleset(rules_dir, kb, overlays)
    # The templates are cached with the rest: working one out takes a cold plan about 3 ms, reading
    # it from the cache about a fifth of that (its texts are the KB's own strings, stored once).
    templates = [template(kb, ruleset, lang) for lang in LANGS]
    order, now, rest = split(kb)
    return ((order, now), ruleset, compile_for(ruleset.rules, engine)), *templates, rest


def load_playbook(kb_dir: Path, rules_dir: Path, overlays: Sequence[Path] = ()) -> Playbook:
    """Validate and load everything a plan needs; raise OpsbookError with every problem.
    A playbook validated before, with the same files, comes from the cache."""
    folders = [kb_dir, rules_dir, *overlays]
    engine = chosen()  # an entry holds the rules compiled for one engine: each engine has its own
    parts = cached_parts(lambda: fingerprint(folders, engine), lambda: _validated(kb_dir, rules_dir, overlays, engine))
    (order, now), ruleset, compiled = cast("Needed", next(parts))
    stored = _Stored(parts)
    kb = deferred(order, now, stored.rest)
    return Playbook(kb, ruleset, make_engine(ruleset.rules, compiled, engine), {}, stored.template)


class _Stored:
    """The parts of a playbook's cache entry after the first, read in order as they are first asked
    for: a Chinese plan never reads the English template, and no plan reads the KB's DEFERRED part."""

    def __init__(self, parts: Iterator[object]) -> None:
        self._parts = parts
        self._read: list[object] = []

    def _part(self, index: int) -> object:
        while len(self._read) <= index:
            self._read.append(next(self._parts))
        return self._read[index]

    def template(self, lang: str) -> Template:
        return cast(Template, self._part(LANGS.index(lang)))

    def rest(self) -> dict[str, object]:
        return cast("dict[str, object]", self._part(len(LANGS)))
