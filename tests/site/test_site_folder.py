"""`opsbook site build -d DIR` builds next to DIR and then swaps the new site in: files of
somebody else's are never deleted without --force, and a failed or interrupted build leaves
the earlier site whole."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sitetools import ROOT

RunCli = Callable[..., tuple[int, str, str]]
MARKER = ".opsbook-site"


@pytest.fixture
def playbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini KB and rules with the shipped site sources, as in test_build.py."""
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "site", tmp_path / "site")
    shutil.copytree(ROOT / "tests" / "validate" / "minikb", tmp_path / "kb")
    shutil.copytree(ROOT / "tests" / "validate" / "minirules", tmp_path / "rules")
    os.symlink(ROOT / "generator", tmp_path / "generator")  # the hook, as mkdocs.yml names it
    monkeypatch.setenv("OPSBOOK_HOME", str(tmp_path))
    return tmp_path


def _siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if ".opsbook-" in p.name)


def test_a_folder_of_someone_elses_is_refused(playbook: Path, run_cli: RunCli) -> None:
    out = playbook / "out"
    out.mkdir()
    (out / "thesis.docx").write_text("three years of work")
    code, _, err = run_cli("site", "build", "-d", str(out))
    assert code == 1 and "Traceback" not in err
    assert ":1:1: the folder holds files opsbook did not write: choose an empty or new folder, or add --force" in err
    assert (out / "thesis.docx").read_text() == "three years of work"
    assert _siblings(out) == []


def test_force_replaces_it_and_a_built_site_is_rebuilt_without_force(playbook: Path, run_cli: RunCli) -> None:
    out = playbook / "out"
    out.mkdir()
    (out / "old.html").write_text("old")
    assert run_cli("site", "build", "-d", str(out), "--force")[0] == 0
    assert (out / MARKER).is_file() and (out / "index.html").is_file() and not (out / "old.html").exists()
    code, _, err = run_cli("site", "build", "-d", str(out))
    assert code == 0, err
    assert (out / "index.html").is_file() and _siblings(out) == []


def test_an_empty_or_new_folder_needs_no_force(playbook: Path, run_cli: RunCli) -> None:
    (playbook / "empty").mkdir()
    assert run_cli("site", "build", "-d", str(playbook / "empty"))[0] == 0
    assert run_cli("site", "build", "-d", str(playbook / "new" / "site"))[0] == 0
    assert (playbook / "new" / "site" / MARKER).is_file()


def test_an_interrupted_rebuild_keeps_the_earlier_site(playbook: Path, run_cli: RunCli,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = playbook / "out"
    assert run_cli("site", "build", "-d", str(out))[0] == 0
    before = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    import mkdocs.commands.build

    build_page = mkdocs.commands.build._build_page
    built: list[str] = []

    def interrupted(page, *args, **kwargs):  # type: ignore[no-untyped-def]
        if len(built) == 3:  # some pages are written when the user presses Ctrl-C
            raise KeyboardInterrupt
        built.append(page.file.src_uri)
        return build_page(page, *args, **kwargs)

    monkeypatch.setattr(mkdocs.commands.build, "_build_page", interrupted)
    code, _, _ = run_cli("site", "build", "-d", str(out))
    assert code != 0 and len(built) == 3
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == before
    assert _siblings(out) == []

