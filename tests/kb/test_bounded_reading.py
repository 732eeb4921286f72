"""Every input is read by one bounded reader: regular files only, at most limit + 1 bytes
whatever the file says its size is, broken links named as such; and files found in a folder
stay inside it, so a link to /etc/passwd is refused without a word of what it holds."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from generator.core.errors import OpsbookError
from generator.kb.loader import inside, load_yaml, read_bytes, read_text

CORPUS = Path(__file__).parents[1] / "corpus" / "base"
SECRET = "root:x:0:0"


def test_the_limit_holds_for_a_file_whose_size_says_nothing() -> None:
    maps = Path("/proc/self/maps")  # a regular file of size 0 that holds hundreds of bytes
    if not maps.is_file() or maps.stat().st_size:
        pytest.skip("needs Linux /proc")
    with pytest.raises(OpsbookError, match="file is more than 10 bytes; the limit is 10"):
        read_bytes(maps, "maps", limit=10)


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.symlink_to("/dev/zero"), "cannot read file: it is a character device, not a regular file"),
    (lambda p: p.mkdir(), "cannot read file: it is a folder, not a regular file"),
    (lambda p: p.symlink_to("nowhere.yaml"), "cannot read file: a dangling symbolic link"),
    (lambda p: p.symlink_to(p.name), "cannot read file: a symbolic link loop"),
])
def test_what_is_not_a_regular_file_is_named(tmp_path: Path, make, message: str) -> None:
    path = tmp_path / "f.yaml"
    make(path)
    with pytest.raises(OpsbookError) as caught:
        read_text(path, "f.yaml")
    assert str(caught.value).startswith(f"f.yaml:1:1: {message}")


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "ov"
    (folder / "sub").mkdir(parents=True)
    (folder / "items.yaml").write_text("items: []\n")
    (folder / "sub" / "up.yaml").symlink_to("../items.yaml")  # inside: fine
    (folder / "passwd.yaml").symlink_to("/etc/passwd")
    (tmp_path / "other.yaml").write_text("rules: []\n")
    (folder / "other.yaml").symlink_to("../other.yaml")
    return folder


def test_links_inside_the_folder_are_followed(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert inside(folder / "sub" / "up.yaml", folder) == (folder / "items.yaml").resolve()
    assert load_yaml(folder / "sub" / "up.yaml", "ov/sub/up.yaml", root=folder).data == {"items": []}


@pytest.mark.parametrize("name", ["passwd.yaml", "other.yaml"])
def test_links_out_of_the_folder_are_refused_unread(tmp_path: Path, name: str) -> None:
    folder = _folder(tmp_path)
    with pytest.raises(OpsbookError) as caught:
        load_yaml(folder / name, f"ov/{name}", root=folder)
    assert str(caught.value).startswith(f"ov/{name}:1:1: cannot read file: it is a symbolic link that leads out of")
    assert SECRET not in str(caught.value)


def test_a_linked_folder_is_read_as_a_folder_of_its_own(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (tmp_path / "pack").symlink_to(folder)
    assert load_yaml(tmp_path / "pack" / "items.yaml", root=tmp_path / "pack").data == {"items": []}


# ------------------------------------------------------------------ walking an overlay folder
@pytest.fixture
def workspace(mini_playbook: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(CORPUS / "ov", mini_playbook / "ov")
    shutil.copy(CORPUS / "facts.yaml", mini_playbook / "facts.yaml")
    monkeypatch.chdir(mini_playbook)
    return mini_playbook


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.symlink_to("/etc/passwd"), "cannot read file: it is a symbolic link that leads out of `ov`"),
    (lambda p: os.mkfifo(p), "cannot read file: it is a FIFO (named pipe), not a regular file"),
    (lambda p: p.symlink_to("nowhere.yaml"), "cannot read file: a dangling symbolic link"),
])
def test_an_overlay_file_that_cannot_be_read_is_refused(workspace: Path, run_cli, make, message: str) -> None:
    make(workspace / "ov" / "f.yaml")
    code, out, err = run_cli("plan", "facts.yaml", "--kb", "kb", "--rules", "rules", "--overlay", "ov")
    assert code == 1 and f"ov/f.yaml:1:1: {message}" in err
    assert SECRET not in out + err
