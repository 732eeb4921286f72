"""A cache of validated playbooks, keyed by the content of every input file, so a plan
starts without re-validating (and without importing jsonschema) when nothing changed."""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import generator

T = TypeVar("T")
# Bump when what is cached changes shape, so old entries are never read as new ones.
FORMAT = 3


def cache_dir() -> Path:
    base = os.environ.get("OPSBOOK_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "opsbook")
    return Path(base)


def fingerprint(folders: Sequence[Path]) -> str:
    """A digest of the YAML files below `folders`, the working directory and the package version."""
    sha = hashlib.sha256(f"{generator.__version__}|{FORMAT}|{os.getcwd()}".encode())
    for folder in folders:
        sha.update(str(folder.resolve()).encode())
        if not folder.is_dir():
            continue
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                if name.endswith((".yaml", ".yml")):
                    path = os.path.join(root, name)
                    sha.update(path.encode())
                    with open(path, "rb") as handle:
                        sha.update(handle.read())
    return sha.hexdigest()


def cached(key: str, build: Callable[[], T]) -> T:
    """The value stored under `key`, else build it and store it (best effort)."""
    if os.environ.get("OPSBOOK_NO_CACHE"):
        return build()
    path = cache_dir() / f"playbook-{key[:32]}.pickle"
    try:
        with open(path, "rb") as handle:
            value: T = pickle.load(handle)
            return value
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home still plans, just without the cache
    return value
