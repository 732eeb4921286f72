"""Finding and reading rule layers: which files of the rules folder and of an overlay folder
are rules, loaded and schema-checked. `opsbook validate` and `opsbook plan` both read rule
folders here (see layers.py), so what one accepts the other accepts too.

A layer folder (rules/base/, rules/packs/<name>/, an overlay) holds rule and item files at
any depth. An overlay folder also holds `overlay.yaml` and its rule test cases (`tests/`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.errors import OpsbookError, Problem
from generator.kb import schema
from generator.kb.documents import load_all, shown_path, yaml_files
from generator.kb.loader import Document, load_yaml

OVERLAY_FILE = "overlay.yaml"
TESTS_FOLDER = "tests"  # rule test cases, in rules/ and in each overlay folder


@dataclass
class Layer:
    name: str
    folder: Path
    docs: list[Document]
    overlay: Document | None = None


def layer_name(folder: Path, rules_dir: Path) -> str:
    try:
        return folder.resolve().relative_to(rules_dir.resolve()).as_posix()
    except ValueError:
        return f"clients/{folder.name}"


def pack_layers(rules_dir: Path) -> list[str]:
    packs = rules_dir / "packs"
    return sorted(f"packs/{p.name}" for p in packs.iterdir() if p.is_dir()) if packs.is_dir() else []


def overlay_folders(rules_dir: Path) -> list[Path]:
    clients = rules_dir / "clients"
    return sorted(p for p in clients.iterdir() if p.is_dir()) if clients.is_dir() else []


def layer_files(folder: Path, overlay: bool) -> tuple[list[Path], list[Problem]]:
    """The rule and item files of one layer folder: every YAML file below it but an overlay's own
    overlay.yaml and tests/. What does not belong in the layer is refused, never skipped."""
    paths: list[Path] = []
    problems: list[Problem] = []
    found = yaml_files(folder)
    nested = {p.parent for p in found if p.name == OVERLAY_FILE and p.parent != folder}
    for path in found:
        parts = path.relative_to(folder).parts
        if overlay and _overlays_own(parts):
            continue
        if not nested.isdisjoint(path.parents):  # a file of an overlay folder inside this one
            if path.name == OVERLAY_FILE and path.parent in nested:  # one problem covers the folder
                problems.append(Problem(shown_path(path), 1, 1, _nested_overlay(folder, path, overlay)))
            continue
        misplaced = _misplaced(folder, parts)
        if misplaced:
            problems.append(Problem(shown_path(path), 1, 1, misplaced))
        else:
            paths.append(path)
    return paths, problems


def _overlays_own(parts: tuple[str, ...]) -> bool:
    """An overlay folder's own overlay.yaml, or one of its rule test cases."""
    return parts == (OVERLAY_FILE,) or (parts[0] == TESTS_FOLDER and len(parts) > 1)


def _misplaced(folder: Path, parts: tuple[str, ...]) -> str | None:
    """Why a file of base or a pack is no rule file of it (what only an overlay folder holds), else None."""
    if parts == (OVERLAY_FILE,):
        return (f"`{OVERLAY_FILE}` belongs in a client overlay folder (rules/clients/<name>/, or one given with "
                f"--overlay); `{shown_path(folder)}` is a rule layer that overlays extend: move the file or remove it")
    if parts[0] == TESTS_FOLDER and len(parts) > 1:
        return (f"a rule layer's `{TESTS_FOLDER}/` folder is not read: rule test cases belong in "
                f"`rules/{TESTS_FOLDER}/` or in `{TESTS_FOLDER}/` of a client overlay folder: move the file there")
    return None


def _nested_overlay(folder: Path, path: Path, overlay: bool) -> str:
    kind = "overlay" if overlay else "rule layer"
    return (f"an overlay folder inside the {kind} `{shown_path(folder)}`, whose files would be read without "
            f"its {OVERLAY_FILE}: give the overlay folder itself (`--overlay {shown_path(path.parent)}`)")


def read_layers(rules_dir: Path, overlays: Sequence[Path] = (), every_pack: bool = False
                ) -> tuple[list[Layer], list[Problem]]:
    """Find, load and schema-check the layers in order: base, the packs (those the overlays extend,
    or every pack), then the overlays."""
    problems: list[Problem] = []
    clients = [layer for folder in overlays if (layer := _client(folder, rules_dir, problems)) is not None]
    wanted = ["base", *(pack_layers(rules_dir) if every_pack else [])]
    for layer in clients:
        wanted += [name for name in _extends(layer.overlay, rules_dir, problems) if name not in wanted]
    layers = [layer for name in wanted if (layer := _shared(rules_dir, name, problems)) is not None]
    for layer in [*layers, *clients]:
        layer.docs = _schema_checked(layer.docs, problems)
    return layers + clients, problems


def _shared(rules_dir: Path, name: str, problems: list[Problem]) -> Layer | None:
    """Base or a pack."""
    folder = rules_dir / name
    if not rules_dir.is_dir():  # said once, for base, rather than once for every layer
        if name == "base":
            message = "rules folder not found: give the playbook's rules/ folder (--rules)"
            problems.append(Problem(shown_path(rules_dir), 1, 1, message))
        return None
    if not folder.is_dir():
        where = shown_path(rules_dir)
        hint = ": every playbook has its base rules in rules/base/" if name == "base" else ""
        problems.append(Problem(where, 1, 1, f"rule layer `{name}` not found in {where}{hint}"))
        return None
    paths, found = layer_files(folder, overlay=False)
    docs, loaded = load_all(paths, folder)
    problems += found + loaded
    return Layer(name, folder, docs)


def _client(folder: Path, rules_dir: Path, problems: list[Problem]) -> Layer | None:
    shown = shown_path(folder)
    if not folder.is_dir():
        problems.append(Problem(shown, 1, 1, "overlay folder not found"))
        return None
    overlay = _overlay_file(folder, problems)
    paths, found = layer_files(folder, overlay=True)
    if not paths and not found and not os.path.lexists(folder / OVERLAY_FILE):
        found.append(Problem(shown, 1, 1, f"not an overlay folder: it holds no {OVERLAY_FILE} and no rule or item "
                                          "files: give the folder of one client, such as rules/clients/<name>"))
    docs, loaded = load_all(paths, folder)
    problems += found + loaded
    return Layer(layer_name(folder, rules_dir), folder, docs, overlay)


def _overlay_file(folder: Path, problems: list[Problem]) -> Document | None:
    """The folder's overlay.yaml, when it has one and it is acceptable. Anything by that name counts:
    a FIFO or a dangling link is refused, not taken for a missing file."""
    path = folder / OVERLAY_FILE
    if not os.path.lexists(path):
        return None
    try:
        overlay = load_yaml(path, shown_path(path), root=folder)
    except OpsbookError as exc:
        problems.extend(exc.problems)
        return None
    found = schema.check(overlay, "overlay") if overlay.data is not None else []
    problems.extend(found)
    return None if found else overlay  # a refused overlay.yaml changes nothing further


def _extends(overlay: Document | None, rules_dir: Path, problems: list[Problem]) -> Iterator[str]:
    if overlay is None:
        return
    for i, name in enumerate((overlay.data or {}).get("extends") or []):
        if (rules_dir / name).is_dir():
            yield name
        else:
            where = shown_path(rules_dir)
            problems.append(overlay.problem(("extends", i), f"rule layer `{name}` not found in {where}"))


def _schema_checked(docs: list[Document], problems: list[Problem]) -> list[Document]:
    valid = []
    for doc in docs:
        found = schema.check(doc, "rules")
        problems.extend(found)
        if not found:
            valid.append(doc)
    return valid
