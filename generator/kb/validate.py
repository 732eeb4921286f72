"""Validating a knowledge-base folder: load every file, check schemas and cross-references,
collect every problem, and build the model when there is no error."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import Problem, errors_only
from generator.kb import schema
from generator.kb.cross_checks import CHECKS, KIND_NAMES
from generator.kb.documents import Index, digest, entries_of, load_all, shown_path, yaml_files
from generator.kb.freeze import build_kb
from generator.kb.loader import Document
from generator.kb.model import KB


@dataclass(frozen=True)
class KbResult:
    kb: KB | None
    problems: tuple[Problem, ...]
    index: Index


def index_documents(docs: list[Document]) -> tuple[Index, list[Problem]]:
    """Index the elements of `docs`; report IDs defined twice."""
    index = Index()
    problems: list[Problem] = []
    for doc in docs:
        for entry in entries_of(doc):
            first = index.add(entry)
            if first is not None and entry.id:
                line, _ = first.doc.at(first.path)
                where = f"{first.doc.path}:{line}"
                problems.append(entry.problem(
                    "id",
                    f"duplicate {KIND_NAMES[entry.kind]} ID `{entry.id}` (first defined at {where}): "
                    "IDs are unique per kind",
                ))
    return index, problems


def validate_kb(kb_dir: Path) -> KbResult:
    paths = yaml_files(kb_dir)
    if not paths:
        problem = Problem(shown_path(kb_dir), 1, 1, "no knowledge-base YAML files found: is this the kb/ folder?")
        return KbResult(None, (problem,), Index())
    docs, problems = load_all(paths, kb_dir)
    valid: list[Document] = []
    for doc in docs:
        found = schema.check(doc, "kb")
        problems.extend(found)
        if not found:
            valid.append(doc)
    index, duplicates = index_documents(valid)
    problems.extend(duplicates)
    checked = {id(doc) for doc in valid}
    for doc in docs:
        if id(doc) not in checked:
            for entry in entries_of(doc):
                index.know(entry)
    for check in CHECKS:
        problems.extend(check(index))
    problems = sorted(set(problems))
    if errors_only(problems) or len(valid) != len(paths):
        return KbResult(None, tuple(problems), index)
    return KbResult(build_kb(index, digest((path, kb_dir) for path in paths)), tuple(problems), index)
