"""Rule layers: the base rules, optional packs, and client overlays applied in order.

An overlay folder holds `overlay.yaml` (`extends`, `disable`, `override`), its own rule
files, and its own checklist items (`items:`) that exist only for that client.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import OpsbookError, Problem, suggest
from generator.kb import schema
from generator.kb.build import text
from generator.kb.documents import digest, load_all, shown_path, yaml_files
from generator.kb.loader import Document, JsonPath, load_yaml
from generator.kb.model import KB, Item
from generator.rules.check import RuleChecker
from generator.rules.model import Rule, rule_from_data
from generator.rules.ruleset import RuleSet

OVERLAY_FILE = "overlay.yaml"


@dataclass
class _Layer:
    name: str
    docs: list[Document]
    overlay: Document | None = None


def layer_name(folder: Path, rules_dir: Path) -> str:
    try:
        return folder.resolve().relative_to(rules_dir.resolve()).as_posix()
    except ValueError:
        return f"clients/{folder.name}"


def _rule_docs(folder: Path) -> tuple[list[Document], list[Problem]]:
    paths = [p for p in yaml_files(folder) if p.name != OVERLAY_FILE and "tests" not in p.relative_to(folder).parts]
    return load_all(paths)


def _layers(rules_dir: Path, overlays: Sequence[Path]) -> tuple[list[_Layer], list[Problem]]:
    problems: list[Problem] = []
    wanted: list[str] = ["base"]
    clients: list[_Layer] = []
    for folder in overlays:
        if not folder.is_dir():
            problems.append(Problem(shown_path(folder), 1, 1, "overlay folder not found"))
            continue
        overlay = None
        if (folder / OVERLAY_FILE).is_file():
            try:
                overlay = load_yaml(folder / OVERLAY_FILE, shown_path(folder / OVERLAY_FILE))
            except OpsbookError as exc:
                problems.extend(exc.problems)
            else:
                found = schema.check(overlay, "overlay") if overlay.data is not None else []
                problems.extend(found)
                extends = [] if found else (overlay.data or {}).get("extends") or []
                for i, name in enumerate(extends):
                    if not (rules_dir / name).is_dir():
                        where = shown_path(rules_dir)
                        problems.append(overlay.problem(("extends", i), f"rule layer `{name}` not found in {where}"))
                wanted += [e for e in extends if e not in wanted and (rules_dir / e).is_dir()]
                overlay = None if found else overlay  # a refused overlay.yaml changes nothing further
        docs, load_problems = _rule_docs(folder)
        problems.extend(load_problems)
        clients.append(_Layer(layer_name(folder, rules_dir), docs, overlay))
    layers: list[_Layer] = []
    for name in wanted:
        folder = rules_dir / name
        if not folder.is_dir():
            where = shown_path(rules_dir)
            problems.append(Problem(where, 1, 1, f"rule layer `{name}` not found in {where}"))
            continue
        docs, load_problems = _rule_docs(folder)
        problems.extend(load_problems)
        layers.append(_Layer(name, docs))
    return layers + clients, problems


def _client_items(layer: _Layer, kb: KB, problems: list[Problem]) -> list[Item]:
    items: list[Item] = []
    for doc in layer.docs:
        for i, data in enumerate((doc.data or {}).get("items") or []):
            path: JsonPath = ("items", i)
            if data["id"] in kb.item_by_id:
                problems.append(doc.problem(
                    (*path, "id"),
                    f"item ID `{data['id']}` collides with a checklist item of the knowledge base: choose another ID",
                ))
                continue
            step = kb.step_by_id.get(data["step"])
            if step is None:
                problems.append(doc.problem(
                    (*path, "step"), f"unknown step `{data['step']}`{suggest(data['step'], kb.step_by_id)}"
                ))
                continue
            if data["owner"] not in kb.role_by_id:
                problems.append(doc.problem(
                    (*path, "owner"), f"unknown role `{data['owner']}`{suggest(data['owner'], kb.role_by_id)}"
                ))
                continue
            line, col = doc.at(path)
            items.append(Item(id=data["id"], step=step.id, title=text(data["title"]), done_when=text(data["done_when"]),
                              owner=data["owner"], due_days=data["due_days"], cadence=data.get("cadence", "once"),
                              evidence=text(data["evidence"]) if data.get("evidence") else None,
                              depends_on=tuple(data.get("depends_on", ())), sources=(), completion=False,
                              loc=(doc.path, line, col)))
    return items


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
    layers, problems = _layers(rules_dir, overlays)
    for layer in layers:
        valid = []
        for doc in layer.docs:
            found = schema.check(doc, "rules")
            problems.extend(found)
            if not found:
                valid.append(doc)
        layer.docs = valid
    items: list[Item] = []
    for layer in layers:
        items += _client_items(layer, kb, problems)
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
    paths = [Path(doc.path) for layer in layers for doc in layer.docs]
    return RuleSet(tuple(rules), tuple(layer.name for layer in layers), tuple(items), digest(paths))
