"""What changed between two plans (JSON), and the rule or fact change responsible.

An item changes when what it is changes (priority, owner, dates, effort) and also when only
the reasons behind it change: a rule that now or no longer includes it is a change a reader
must see, with the facts that made the difference. Text from a plan is shown escaped: a title
holding terminal escape sequences must not drive the terminal diff prints to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from generator.plan.diff_input import read_plan
from generator.plan.wording import show

__all__ = ["Change", "as_json", "as_text", "diff_plans", "read_plan"]

FIELDS = ("priority", "owner", "start", "due", "effort_days")
DATES = frozenset({"start", "due"})
STAFFING_FACTS = ("team_size", "team.", "plan_share")
# C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional overrides that
# reorder what a terminal shows.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# What json.dumps leaves raw of those: it escapes C0 controls in strings itself (and indents with \n).
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    id: str
    title: str
    fields: tuple[tuple[str, str, str], ...]  # (field, old, new) for changed items
    causes: tuple[str, ...]


def printable(text: str) -> str:
    """`text` with every character that could act on a terminal written as an escape (`\\x1b`)."""
    return _UNSAFE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), text)


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


def _fields(a: dict[str, Any], b: dict[str, Any]) -> tuple[tuple[str, str, str], ...]:
    """What the item is, changed; a field only one of the plans has (an earlier version's) is no change."""
    return tuple((k, show(a[k]), show(b[k])) for k in FIELDS if k in a and k in b and a[k] != b[k])


def _schedule_causes(names: set[str], a: dict[str, Any], b: dict[str, Any],
                     old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Why an item's owner or dates moved, beyond the rules: the start, the calendar, the team."""
    causes = []
    if names & DATES:
        if old.get("start_date") != new.get("start_date"):
            causes.append(f"start_date: {old.get('start_date')} -> {new.get('start_date')}")
        if "calendar" in old and "calendar" in new and old["calendar"] != new["calendar"]:
            causes.append(f"calendar: {show(old['calendar'].get('country'))} -> {show(new['calendar'].get('country'))}")
        for owner in dict.fromkeys((a["owner"], b["owner"])):
            before, after = old.get("capacity", {}).get(owner), new.get("capacity", {}).get(owner)
            if "capacity" in old and "capacity" in new and before != after:
                causes.append(f"capacity of {owner}: {show(before)} -> {show(after)} person-days a working day")
    if names & {"owner", *DATES}:
        staffing = {f for plan in (old, new) for f in plan.get("facts", {}) if f.startswith(STAFFING_FACTS)}
        causes += _fact_changes(old.get("facts", {}), new.get("facts", {}), staffing)
    return causes


def _changed(a: dict[str, Any], b: dict[str, Any], old: dict[str, Any], new: dict[str, Any]) -> Change | None:
    fields = _fields(a, b)
    before, after = _rules(a), _rules(b)
    causes = _rule_causes([after[r] for r in sorted(set(after) - set(before))], old, new, "now applies")
    causes += _rule_causes([before[r] for r in sorted(set(before) - set(after))], old, new, "no longer applies")
    if not fields and not causes:
        return None
    names = {f for f, _, _ in fields}
    causes += _schedule_causes(names, a, b, old, new)
    if not causes and old.get("kb_digest") != new.get("kb_digest"):
        causes.append("the knowledge base or rules changed")
    if not causes and names <= DATES:
        causes.append("the schedule moved around it: work ahead of it changed")
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
        yield printable(f"{marks[change.kind]} {change.id}  {change.title}")
        for field, old, new in change.fields:
            yield printable(f"    {field}: {old} -> {new}")
        for cause in change.causes:
            yield printable(f"    because {cause}")
    counts = {k: sum(c.kind == k for c in changes) for k in ("added", "removed", "changed")}
    yield f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed"


def as_json(changes: list[Change]) -> str:
    """The changes as JSON; the controls json.dumps leaves raw (DEL, C1, separators, overrides) escaped too."""
    text = json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2)
    return _UNSAFE_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
