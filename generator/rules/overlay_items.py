"""Checklist items a rule layer adds for one client (`items:` in its rule files).

They join the knowledge base's items, so they are checked as those are: unique IDs, a known
step, owner and dependencies, no dependency cycle and no wait the schedule cannot keep
(kb/checks.py, run over the KB and the layer's items together).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from generator.core.errors import Problem, suggest
from generator.kb.cross_checks import check_cycles
from generator.kb.documents import Entry, Index
from generator.kb.freeze import text
from generator.kb.loader import Document
from generator.kb.model import KB, Item


def client_items(docs: Sequence[Document], kb: KB) -> tuple[list[Item], list[Problem]]:
    """The items of `docs` (schema-valid rule files), and every problem with them."""
    index = _kb_index(kb)
    entries: list[Entry] = []
    problems: list[Problem] = []
    for doc in docs:
        for i, data in enumerate((doc.data or {}).get("items") or []):
            entry = Entry("item", doc, ("items", i), data)
            problems += _references(entry, kb)
            first = index.add(entry)
            if first is not None:
                problems.append(_duplicate(entry, first, kb))
            entries.append(entry)
    problems += check_cycles(index)
    problems += _unknown_dependencies(entries, index)
    return [_item(entry) for entry in entries], problems


def _kb_index(kb: KB) -> Index:
    """The KB's steps and items, reduced to what the dependency checks read. They are valid already,
    so every problem found lands on a client item; their documents are never asked for a position."""
    index = Index()
    for step in kb.steps:
        index.add(Entry("step", Document(step.loc[0], None), (), {"id": step.id, "depends_on": list(step.depends_on)}))
        for item in step.items:
            data = {"id": item.id, "depends_on": list(item.depends_on)}
            index.add(Entry("item", Document(item.loc[0], None), (), data))
    return index


def _references(entry: Entry, kb: KB) -> Iterator[Problem]:
    data = entry.data
    step, owner = data["step"], data["owner"]
    if step not in kb.step_by_id:
        yield entry.problem("step", f"unknown step `{step}`{suggest(step, kb.step_by_id)}")
    elif not entry.id.startswith(step + "."):
        yield entry.problem("id", f"item ID `{entry.id}` must start with its step: `{step}.`")
    if owner not in kb.role_by_id:
        yield entry.problem("owner", f"unknown role `{owner}`{suggest(owner, kb.role_by_id)}")


def _duplicate(entry: Entry, first: Entry, kb: KB) -> Problem:
    if entry.id in kb.item_by_id:
        return entry.problem("id", f"item ID `{entry.id}` collides with a checklist item of the knowledge base: "
                                   "choose another ID")
    line, _ = first.doc.at(first.path)
    return entry.problem("id", f"duplicate item ID `{entry.id}` (first defined at {first.doc.path}:{line}): "
                               "item IDs are unique")


def _unknown_dependencies(entries: list[Entry], index: Index) -> Iterator[Problem]:
    known = index.ids("item")
    for entry in entries:
        for i, dep in enumerate(entry.data.get("depends_on") or []):
            if dep not in known:
                yield entry.problem(("depends_on", i), f"unknown checklist item `{dep}`{suggest(dep, known)}")


def _item(entry: Entry) -> Item:
    data = entry.data
    line, col = entry.doc.at(entry.path)
    return Item(id=data["id"], step=data["step"], title=text(data["title"]), done_when=text(data["done_when"]),
                owner=data["owner"], due_days=data["due_days"], effort=float(data["effort"]),
                cadence=data.get("cadence", "once"), evidence=text(data["evidence"]) if data.get("evidence") else None,
                depends_on=tuple(data.get("depends_on", ())), sources=(), completion=False,
                loc=(entry.doc.path, line, col))
