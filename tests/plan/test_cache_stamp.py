"""The package's part of the cache key is a stamp of its files (path, size, modification time):
any edit that Python would run as new code makes a new key, and nothing else does."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.plan import cache


@pytest.fixture
def package(tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "generator"
    shutil.copytree(cache.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    cache.package_digest.cache_clear()
    yield copy
    cache.package_digest.cache_clear()


def _digest(root: Path) -> str:
    cache.package_digest.cache_clear()  # as a new process would
    return cache.package_digest(root)


def _same_size_edit(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:-1] + (b" " if data[-1:] != b" " else b"\n"))


@pytest.mark.parametrize("edited", ["schemas/plan.schema.json", "plan/planner.py", "kb/model.py"])
def test_an_edit_that_keeps_the_size_is_a_new_key(package: Path, edited: str) -> None:
    before = _digest(package)
    info = (package / edited).stat()
    _same_size_edit(package / edited)
    os.utime(package / edited, ns=(info.st_atime_ns, info.st_mtime_ns + 1))  # even a nanosecond later
    assert (package / edited).stat().st_size == info.st_size
    assert _digest(package) != before


def test_new_and_removed_modules_are_new_keys(package: Path) -> None:
    before = _digest(package)
    (package / "plan" / "extra.py").write_text("X = 1\n")
    with_extra = _digest(package)
    (package / "plan" / "extra.py").unlink()
    assert len({before, with_extra}) == 2
    assert _digest(package) == before


def test_bytecode_other_files_and_a_moved_package_keep_the_key(package: Path, tmp_path: Path) -> None:
    before = _digest(package)
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    (package / "notes.txt").write_text("not code\n")
    assert _digest(package) == before
    moved = tmp_path / "elsewhere" / "generator"
    shutil.copytree(package, moved)  # copy2 keeps the modification times
    assert _digest(moved) == before
