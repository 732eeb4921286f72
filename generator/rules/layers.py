"""Rule layers: the base rules, optional packs, and client overlays applied in order.

An overlay folder holds `overlay.yaml` (`extends`, `disable`, `override`), its own rule
files, and its own checklist items (`items:`) that exist only for that client. Which files
those are is layer_files.py's; here the layers become the rules in force.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from generator.core.errors import OpsbookError, Problem, suggest
from generator.kb.documents import digest
from generator.kb.loader import Document, JsonPath
from generator.kb.model import KB
from generator.rules.layer_files import Layer, read_layers
from generator.rules.model import Rule, rule_from_data
from generator.rules.overlay_items import client_items
from generator.rules.rule_checks import RuleChecker
from generator.rules.ruleset import RuleSet


def _overlay_problems(overlay: Document, known: set[str], targets: set[str]) -> Iterator[Problem]:
    """Disabling or overriding a rule that no earlier layer defines is a mistake, and so is
    an override that includes or excludes a step or item that does not exist."""
    data: dict[str, Any] = overlay.data or {}
    for i, rid in enumerate(data.get("disable") or []):
        if rid not in known:
            yield overlay.problem(("disable", i), f"cannot disable unknown rule `{rid}`{suggest(rid, known)}")
    for rid, change in (data.get("override") or {}).items():
        if rid not in known:
            yield overlay.problem(("override", rid), f"cannot override unknown rule `{rid}`{suggest(rid, known)}",
                                  key=True)
        for key in ("include", "exclude"):
            for i, target in enumerate(change.get(key) or []):
                if target not in targets:
                    yield overlay.problem(("override", rid, key, i),
                                          f"unknown step or item `{target}`{suggest(target, targets)}")


def _apply_overlay(rules: list[Rule], overlay: Document) -> list[Rule]:
    data: dict[str, Any] = overlay.data or {}
    disabled = set(data.get("disable") or [])
    overrides = data.get("override") or {}
    return [_override(r, overrides[r.id]) if r.id in overrides else r for r in rules if r.id not in disabled]


def _override(rule: Rule, change: dict[str, Any]) -> Rule:
    then = rule.then
    # keys are fields of the rule's `then`, of several types: lists in YAML become the tuples the model holds
    updates: dict[str, Any] = {key: tuple(value) if isinstance(value, list) else value for key, value in change.items()}
    return dataclasses.replace(rule, then=dataclasses.replace(then, **updates))


def _rule_entries(doc: Document) -> list[dict[str, Any]]:
    return list((doc.data or {}).get("rules") or [])


def load_ruleset(rules_dir: Path, kb: KB, overlays: Sequence[Path] = ()) -> RuleSet:
    """The rules of base, the packs the overlays extend, and the overlays, in order."""
    layers, problems = read_layers(rules_dir, overlays)
    return build_ruleset(layers, kb, problems)


def build_ruleset(layers: list[Layer], kb: KB, problems: Iterable[Problem] = ()) -> RuleSet:
    """The rules in force after each overlay changed the layers before it; OpsbookError with every problem."""
    problems = list(problems)
    items, found = client_items([doc for layer in layers for doc in layer.docs], kb)
    problems += found
    located: list[tuple[Document, JsonPath]] = [
        (doc, ("rules", i)) for layer in layers for doc in layer.docs for i in range(len(_rule_entries(doc)))]
    problems += RuleChecker(kb, {i.id for i in items}).run(located)
    known: set[str] = set()
    targets = set(kb.step_by_id) | set(kb.item_by_id) | {i.id for i in items}
    for layer in layers:
        if layer.overlay is not None:
            problems.extend(_overlay_problems(layer.overlay, known, targets))
        known |= {rule["id"] for doc in layer.docs for rule in _rule_entries(doc)}
    if problems:
        raise OpsbookError(sorted(set(problems)))
    rules: list[Rule] = []
    for layer in layers:
        if layer.overlay is not None:
            rules = _apply_overlay(rules, layer.overlay)
        for doc in layer.docs:
            for i, data in enumerate(_rule_entries(doc)):
                line, col = doc.at(("rules", i))
                rules.append(rule_from_data(data, layer.name, (doc.path, line, col)))
    return RuleSet(tuple(rules), tuple(layer.name for layer in layers), tuple(items), _digest(layers))


def _digest(layers: list[Layer]) -> str:
    """The digest of every file the rules came from: an overlay.yaml changes the rules as much as a rule file."""
    return digest((Path(doc.path), layer.folder) for layer in layers
                  for doc in ([layer.overlay] if layer.overlay else []) + layer.docs)
