"""A folder given with --overlay that is no client overlay is one usage error (exit 2), said the same
way by every command that takes --overlay, before any work is done."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

RunCli = Callable[..., tuple[int, str, str]]
ROOT = Path(__file__).parents[2]
FACTS = str(ROOT / "examples" / "coffee-chain.yaml")


def _folder(tmp_path: Path, kind: str) -> Path:
    folder = tmp_path / kind
    if kind == "empty":
        folder.mkdir()
    elif kind == "notes":
        folder.mkdir()
        (folder / "notes.yaml").write_text("meeting: weekly\n", encoding="utf-8")
    elif kind == "rules":
        return ROOT / "rules"
    return folder  # "missing": never made


@pytest.mark.parametrize(("kind", "says"), [
    ("empty", "not an overlay folder: it holds no overlay.yaml and no rule or item files"),
    ("notes", "not an overlay folder: it holds no overlay.yaml and no rule or item files"),
    ("missing", "no such folder: give the folder of one client"),
    ("rules", "the playbook's own rules, which every plan reads already"),
])
def test_site_build_and_plan_refuse_a_folder_that_is_no_overlay_alike(kind: str, says: str, tmp_path: Path,
                                                                       run_cli: RunCli) -> None:
    folder = _folder(tmp_path, kind)
    site = tmp_path / "site"
    built = run_cli("site", "build", "--client", FACTS, "--overlay", str(folder), "-d", str(site))
    planned = run_cli("plan", FACTS, "--overlay", str(folder))
    for code, _, err in (built, planned):
        assert code == 2 and len(err.splitlines()) == 1 and f":1:1: {says}" in err, err
    assert built[2] == planned[2]
    assert not site.exists()
