"""Finding and loading the YAML files of a folder, and indexing their elements by kind."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import OpsbookError, Problem
from generator.kb.loader import Document, JsonPath, load_yaml

# Section key of a KB file -> the kind of element its entries are.
KINDS = {"steps": "step", "roles": "role", "kpis": "kpi", "glossary": "term",
         "templates": "template", "facts": "fact", "sections": "section", "handbooks": "handbook"}


def shown_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def yaml_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_all(paths: list[Path]) -> tuple[list[Document], list[Problem]]:
    docs: list[Document] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            docs.append(load_yaml(path, shown_path(path)))
        except OpsbookError as exc:
            problems.extend(exc.problems)
    return docs, problems


def digest(paths: list[Path]) -> str:
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.name.encode())
        sha.update(path.read_bytes())
    return "sha256:" + sha.hexdigest()



@dataclass
class Entry:
    """One element (a step, a role, ...) where it stands in its document."""

    kind: str
    doc: Document
    path: JsonPath
    data: dict[str, Any]

    @property
    def id(self) -> str:
        value = self.data.get("id")
        return value if isinstance(value, str) else ""

    def problem(self, key: str | tuple[str | int, ...], message: str, severity: str = "error") -> Problem:
        rel = (key,) if isinstance(key, str) else key
        return self.doc.problem((*self.path, *rel), message, severity=severity)


@dataclass
class Index:
    """Every element of every valid document, by kind and by ID (first definition wins)."""

    entries: dict[str, list[Entry]] = field(default_factory=dict)
    by_id: dict[str, dict[str, Entry]] = field(default_factory=dict)

    def add(self, entry: Entry) -> Entry | None:
        """Index an entry; return the earlier entry of the same kind and ID, if any."""
        self.entries.setdefault(entry.kind, []).append(entry)
        table = self.by_id.setdefault(entry.kind, {})
        if entry.id in table:
            return table[entry.id]
        table[entry.id] = entry
        return None

    def of(self, kind: str) -> list[Entry]:
        return self.entries.get(kind, [])

    def ids(self, kind: str) -> dict[str, Entry]:
        return self.by_id.get(kind, {})

    def know(self, entry: Entry) -> None:
        """Make an element's ID known without checking the element (its file has schema
        problems of its own), so other files' references to it do not fail as well."""
        if entry.id:
            self.by_id.setdefault(entry.kind, {}).setdefault(entry.id, entry)


def entries_of(doc: Document) -> Iterator[Entry]:
    data = doc.data
    if not isinstance(data, dict):
        return
    if isinstance(data.get("phase"), dict):
        yield Entry("phase", doc, ("phase",), data["phase"])
    for key, kind in KINDS.items():
        elements = data.get(key)
        for i, element in enumerate(elements if isinstance(elements, list) else []):
            if isinstance(element, dict):
                yield Entry(kind, doc, (key, i), element)
                items = element.get("items") if kind == "step" else None
                for j, item in enumerate(items if isinstance(items, list) else []):
                    if isinstance(item, dict):
                        yield Entry("item", doc, (key, i, "items", j), item)
