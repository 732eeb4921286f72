"""Finding and loading the YAML files of a folder, and indexing their elements by kind."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import field
from pathlib import Path
from typing import Any

from generator.core.errors import OpsbookError, Problem
from generator.core.records import record
from generator.kb.loader import Document, JsonPath, inside, load_yaml, read_bytes

# Section key of a KB file -> the kind of element its entries are.
KINDS = {"steps": "step", "roles": "role", "kpis": "kpi", "glossary": "term",
         "templates": "template", "facts": "fact", "sections": "section", "handbooks": "handbook"}
YAML_SUFFIXES = (".yaml", ".yml")


def shown_path(path: Path) -> str:
    """A path as the user should see it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def yaml_files(root: Path) -> list[Path]:
    """Every YAML name below the folder `root` (or root itself, when it is a file), sorted.

    Names are listed whatever they turn out to be: a FIFO, a device, a dangling link or a link
    out of the folder is listed too, so that loading refuses it with a located message instead
    of the walk skipping it. Linked folders are walked (their files must still stay inside
    root), each real folder once, so a link loop ends."""
    if not root.is_dir():
        return [root] if os.path.lexists(root) else []
    return sorted(folder / e.name for folder, _, entries in walk(root) for e in entries
                  if e.name.endswith(YAML_SUFFIXES) and not _is_folder(e))


def walk(root: Path, strict: bool = True) -> Iterator[tuple[Path, str, list[os.DirEntry[str]]]]:
    """(folder, its real path, its entries in name order) for `root` and every folder below it.
    Linked folders are followed, each real folder once, so a link loop ends and a folder linked
    twice is read under its first name. A folder that cannot be listed is an error when
    `strict`, else listed as empty (for callers whose loading reports it)."""
    seen: set[str] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        entries = _entries(folder, strict)
        yield folder, real, entries
        stack += (folder / e.name for e in reversed(entries) if _is_folder(e))  # reversed: popped in name order


def _entries(folder: Path, strict: bool) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as listing:
            return sorted(listing, key=lambda entry: entry.name)
    except OSError as exc:  # a folder that cannot be listed must not pass as an empty one
        if not strict:
            return []
        raise OpsbookError(Problem(shown_path(folder), 1, 1, f"cannot read folder: {exc.strerror}")) from None


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop: listed as a file, so loading names it
        return False


def load_all(paths: Iterable[Path], root: Path) -> tuple[list[Document], list[Problem]]:
    """Load the files found in the folder `root`; each must stay inside it (see loader.inside)."""
    docs: list[Document] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            docs.append(load_yaml(path, shown_path(path), root=root))
        except OpsbookError as exc:
            problems.extend(exc.problems)
    return docs, problems


def digest(files: Iterable[tuple[Path, Path]]) -> str:
    """The digest of files, each given with the folder it was found in: name and content, in order."""
    import hashlib  # it loads OpenSSL (2-4 ms): only validating needs it, not a plan from the cache

    sha = hashlib.sha256()
    for path, root in files:
        shown = shown_path(path)
        sha.update(path.name.encode())
        sha.update(read_bytes(inside(path, root, shown), shown))
    return "sha256:" + sha.hexdigest()



@record
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


@record
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
