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

from generator.core.errors import OpsbookError, Problem, UsageProblem, suggest
from generator.kb import schema
from generator.kb.documents import load_all, shown_path, yaml_files
from generator.kb.loader import Document, load_yaml

OVERLAY_FILE = "overlay.yaml"
TESTS_FOLDER = "tests"  # rule test cases, in rules/ and in each overlay folder
OVERRIDABLE = ("priority", "include", "exclude")  # the parts of a rule's `then` an overlay's `override` replaces


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


def is_overlay_folder(folder: Path, rules_dir: Path) -> bool:
    """A folder with an overlay.yaml (anything by that name), or one of rules/clients/."""
    return os.path.lexists(folder / OVERLAY_FILE) or _same(folder.parent, rules_dir / "clients")


def _same(a: Path, b: Path) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


def layer_folders(rules_dir: Path) -> list[Path]:
    """The folders of every rule layer there is: base, each pack, each client overlay (those there)."""
    folders = [rules_dir / "base", *(rules_dir / name for name in pack_layers(rules_dir)), *overlay_folders(rules_dir)]
    return [folder for folder in folders if folder.is_dir()]


def test_folders(rules_dir: Path) -> list[Path]:
    """Where rule test cases live: rules/tests/ and the tests/ of each overlay folder (those there)."""
    folders = [rules_dir / TESTS_FOLDER, *(folder / TESTS_FOLDER for folder in overlay_folders(rules_dir))]
    return [folder for folder in folders if folder.is_dir()]


def rule_layer_of(path: Path, rules_dir: Path) -> Path | None:
    """The layer folder (base, a pack, an overlay) that `path` is a rule, item or overlay file of;
    None for anything else, such as the test cases in an overlay's tests/."""
    for folder in path.absolute().parents:
        if _same(folder, rules_dir):
            return None
        if is_overlay_folder(folder, rules_dir):
            return None if path.absolute().relative_to(folder).parts[0] == TESTS_FOLDER else folder
        if _same(folder, rules_dir / "base") or _same(folder.parent, rules_dir / "packs"):
            return folder
    return None


def tests_overlay(path: Path, rules_dir: Path) -> Path | None:
    """The overlay folder whose tests/ holds the test case file `path`, or None."""
    for folder in path.absolute().parents:
        if folder.name == TESTS_FOLDER and is_overlay_folder(folder.parent, rules_dir):
            return folder.parent
    return None


def disabled_rules(overlays: Sequence[Path]) -> set[str]:
    """The rules the overlays disable: known rules still, though no plan of theirs fires them. Read
    from overlay files a loaded playbook has checked already."""
    found: set[str] = set()
    for folder in overlays:
        path = folder / OVERLAY_FILE
        data = load_yaml(path, shown_path(path), root=folder).data if path.is_file() else None
        found |= set(data.get("disable") or []) if isinstance(data, dict) else set()
    return found


def not_an_overlay(folder: Path, rules_dir: Path) -> str | None:
    """Why `folder`, given as a client overlay, is none, and what to give instead; None for an overlay."""
    give = "give the folder of one client, such as rules/clients/<name>"
    if not folder.is_dir():
        clients = [shown_path(f) for f in overlay_folders(rules_dir)]
        return f"no such folder{suggest(shown_path(folder), clients) or f': {give}'}"
    if os.path.lexists(folder / OVERLAY_FILE):
        return None
    if _same(folder, rules_dir) or _same(folder, rules_dir / "base"):
        return f"the playbook's own rules, which every plan reads already: {give}"
    if _same(folder.parent, rules_dir / "packs"):
        return (f"a pack, which client overlays extend: name it in the client's {OVERLAY_FILE} "
                f"(`extends: [base, packs/{folder.name}]`) and {give}")
    found = yaml_files(folder)
    nested = sorted(p.parent for p in found if p.name == OVERLAY_FILE)
    if any(_holds_rules(p, folder) for p in found if _outside(p, nested)):
        return None
    if nested:
        return f"a folder of overlay folders: give one of them (`--overlay {shown_path(nested[0])}`)"
    return (f"not an overlay folder: it holds no {OVERLAY_FILE} and no rule or item files (YAML with `rules:` "
            f"or `items:`): {give}")


def check_overlays(folders: Sequence[Path], rules_dir: Path) -> None:
    """A UsageProblem for the first folder given as a client overlay that is none."""
    for folder in folders:
        why = not_an_overlay(folder, rules_dir)
        if why:
            raise UsageProblem(Problem(shown_path(folder), 1, 1, why))


def _outside(path: Path, folders: Sequence[Path]) -> bool:
    return all(folder not in path.parents for folder in folders)


def _holds_rules(path: Path, root: Path) -> bool:
    """Whether a file reads as a rule file; one the loader refuses counts, so that its problem is told."""
    try:
        data = load_yaml(path, shown_path(path), root=root).data
    except OpsbookError:
        return True
    return isinstance(data, dict) and not {"rules", "items"}.isdisjoint(data)


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


def misplaced(path: Path, layer: Path) -> str | None:
    """Why a file below the layer folder of base or a pack is no rule file of it, else None."""
    return _misplaced(layer, path.absolute().relative_to(layer.absolute()).parts)


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
    or every pack), then the overlays. A folder in `overlays` that is no overlay is a UsageProblem."""
    check_overlays(overlays, rules_dir)
    problems: list[Problem] = []
    clients = [_client(folder, rules_dir, problems) for folder in overlays]
    wanted = ["base", *(pack_layers(rules_dir) if every_pack else [])]
    for client in clients:
        wanted += [name for name in _extends(client.overlay, rules_dir, problems) if name not in wanted]
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


def _client(folder: Path, rules_dir: Path, problems: list[Problem]) -> Layer:
    overlay = _overlay_file(folder, problems)
    paths, found = layer_files(folder, overlay=True)
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
            where, known = shown_path(rules_dir), ["base", *pack_layers(rules_dir)]
            problems.append(overlay.problem(("extends", i),
                                            f"rule layer `{name}` not found in {where}{suggest(name, known)}"))


def _schema_checked(docs: list[Document], problems: list[Problem]) -> list[Document]:
    valid = []
    for doc in docs:
        found = schema.check(doc, "rules")
        problems.extend(found)
        if not found:
            valid.append(doc)
    return valid
