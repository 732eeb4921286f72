"""The clients a build publishes: their facts files (from mkdocs.yml's `extra.opsbook` or
`opsbook site build --client`), planned with the base rules and any overlays, and the page
name each plan gets from its facts file's name (`output.safe_filename`, made unique)."""

from __future__ import annotations

import glob
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from generator.core.errors import OpsbookError, Problem
from generator.core.files import MAX_NAME, safe_filename
from generator.facts.client import load_facts
from generator.kb.documents import shown_path
from generator.kb.model import KB
from generator.plan.playbook import Playbook
from generator.rules.backends import make_engine
from generator.rules.ruleset import RuleSet
from generator.site.page import ClientPlan
from generator.site.page_labels import LANGS

_GLOB = re.compile(r"[*?\[]")


def _unique(name: str, used: set[str]) -> str:
    found, n = name, 1
    while found in used:
        n += 1
        found = f"{name[:MAX_NAME - 4]}-{n}"
    used.add(found)
    return found


def facts_files(root: Path, patterns: Iterable[str]) -> list[Path]:
    """The facts files named by `patterns` (paths or globs, relative to `root`), in order,
    each once. A glob may match nothing; a plain path must exist."""
    found: dict[Path, None] = {}
    problems = []
    for pattern in patterns:
        path = root / pattern
        if _GLOB.search(pattern):
            found.update((Path(p).resolve(), None) for p in sorted(glob.glob(str(path))))
        elif path.is_file():
            found[path.resolve()] = None
        else:
            problems.append(Problem(shown_path(path), 1, 1, "client facts file not found"))
    if problems:
        raise OpsbookError(problems)
    return list(found)


def published_path(path: Path, root: Path) -> str:
    """How the site shows a file: relative to the playbook, or just its name when outside it
    (a published page does not show the builder's folders)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.name


def client_plans(kb: KB, ruleset: RuleSet, files: Sequence[Path], root: Path) -> tuple[ClientPlan, ...]:
    """Each client's plan in both languages; every problem of every facts file is reported."""
    playbook = Playbook(kb, ruleset, make_engine(ruleset.rules))
    used = {"index"}  # plans/index.md is the overview
    plans: list[ClientPlan] = []
    problems: list[Problem] = []
    for path in files:
        try:
            facts = load_facts(path, kb, shown_path(path))
        except OpsbookError as exc:
            problems += exc.problems
            continue
        plan = {lang: playbook.plan(facts, lang) for lang in LANGS}
        plans.append(ClientPlan(_unique(safe_filename(path.stem), used), published_path(path, root), plan))
    if problems:
        raise OpsbookError(problems)
    return tuple(plans)
