"""What changed between two plans (JSON), and the rule or fact change responsible."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from generator.errors import OpsbookError, Problem
from generator.kb import schema
from generator.kb.loader import Document, parse_json, parse_yaml, read_text
from generator.plan.model import MAX_PLAN_BYTES
from generator.plan.wording import show


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    id: str
    title: str
    fields: tuple[tuple[str, str, str], ...]  # (field, old, new) for changed items
    causes: tuple[str, ...]


def read_plan(path: Path) -> dict[str, Any]:
    shown = str(path)
    text = read_text(path, shown, MAX_PLAN_BYTES, "is this a plan opsbook wrote?", "a plan in JSON")
    data = parse_json(text, shown)
    if not isinstance(data, dict) or data.get("format") != "opsbook-plan/1" or not isinstance(data.get("items"), list):
        raise OpsbookError(Problem(shown, 1, 1, "not an opsbook plan: make it with `opsbook plan FACTS --format json`"))
    problems = schema.check(Document(shown, data), "plan")
    if problems:  # a damaged plan: read it again, slowly, only to say where
        raise OpsbookError(schema.check(_located(text, shown, data), "plan"))
    return data


def _located(text: str, shown: str, data: dict[str, Any]) -> Document:
    """The plan with the line and column of every value, when the YAML reader can read it."""
    try:
        doc = parse_yaml(text, shown)
    except OpsbookError:
        return Document(shown, data)
    return doc if doc.data == data else Document(shown, data)


def _fact_changes(old: Mapping[str, Any], new: Mapping[str, Any], names: set[str]) -> list[str]:
    out = []
    for name in sorted(names):
        if old.get(name) != new.get(name):
            out.append(f"fact {name}: {show(old.get(name))} -> {show(new.get(name))}")
    return out


def _rule_causes(reasons: list[dict[str, Any]], old: dict[str, Any], new: dict[str, Any], verb: str) -> list[str]:
    causes = []
    for reason in reasons:
        facts = {m["fact"] for m in reason.get("matched", [])}
        changed = _fact_changes(old.get("facts", {}), new.get("facts", {}), facts)
        derived = _fact_changes(old.get("derived", {}), new.get("derived", {}), facts)
        if derived and not changed:
            client = set(old.get("facts", {})) | set(new.get("facts", {}))
            underlying = _fact_changes(old.get("facts", {}), new.get("facts", {}), client)
            derived = [f"{d}, derived from {', '.join(underlying)}" if underlying else d for d in derived]
        layer = reason.get("layer", "")
        new_layer = layer not in old.get("layers", []) or layer not in new.get("layers", [])
        tail = "; ".join(changed + derived) or (f"layer {layer} added or removed" if new_layer else "rules changed")
        causes.append(f"rule {reason['rule']} {verb} ({tail})")
    return causes


def _rules(item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["rule"]: r for r in item.get("because", [])}


def _changed(a: dict[str, Any], b: dict[str, Any], old: dict[str, Any], new: dict[str, Any]) -> Change | None:
    fields = tuple((k, str(a.get(k)), str(b.get(k))) for k in ("priority", "owner", "due") if a.get(k) != b.get(k))
    if not fields:
        return None
    before, after = _rules(a), _rules(b)
    causes = _rule_causes([after[r] for r in sorted(set(after) - set(before))], old, new, "now applies")
    causes += _rule_causes([before[r] for r in sorted(set(before) - set(after))], old, new, "no longer applies")
    names = {f for f, _, _ in fields}
    if "due" in names and old.get("start_date") != new.get("start_date"):
        causes.append(f"start_date: {old.get('start_date')} -> {new.get('start_date')}")
    if names & {"owner", "due"} and old.get("kb_digest") != new.get("kb_digest") and len(causes) == 0:
        causes.append("the knowledge base or rules changed")
    return Change("changed", b["id"], b.get("title", ""), fields, tuple(causes) or ("rules changed",))


def diff_plans(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    before = {i["id"]: i for i in old["items"]}
    after = {i["id"]: i for i in new["items"]}
    excluded = {e["id"]: e for e in new.get("excluded", [])}
    out: list[Change] = []
    for item_id, item in after.items():
        if item_id not in before:
            causes = _rule_causes(item.get("because", []), old, new, "includes it")
            out.append(Change("added", item_id, item.get("title", ""), (), tuple(causes)))
    for item_id, item in before.items():
        if item_id in after:
            continue
        if item_id in excluded:
            causes = _rule_causes(excluded[item_id]["excluded_by"], old, new, "excludes it")
        else:
            causes = _rule_causes(item.get("because", []), old, new, "no longer includes it")
        out.append(Change("removed", item_id, item.get("title", ""), (), tuple(causes)))
    for item_id in before.keys() & after.keys():
        change = _changed(before[item_id], after[item_id], old, new)
        if change:
            out.append(change)
    order = {"added": 0, "removed": 1, "changed": 2}
    return sorted(out, key=lambda c: (order[c.kind], c.id))


def as_text(changes: list[Change]) -> Iterator[str]:
    marks = {"added": "+", "removed": "-", "changed": "~"}
    for change in changes:
        yield f"{marks[change.kind]} {change.id}  {change.title}"
        for field, old, new in change.fields:
            yield f"    {field}: {old} -> {new}"
        for cause in change.causes:
            yield f"    because {cause}"
    counts = {k: sum(c.kind == k for c in changes) for k in ("added", "removed", "changed")}
    yield f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed"


def as_json(changes: list[Change]) -> str:
    return json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2)
