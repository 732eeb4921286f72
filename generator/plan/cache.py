"""A cache of validated playbooks, so a plan starts without re-validating (and without importing
jsonschema) when nothing changed.

It must never answer with a stale or foreign value:
- the key covers the package's own code and schemas (by size and modification time), the cache
  format, the Python that runs (an entry may hold code marshalled in its bytecode format), the
  working directory and every input YAML file (real path and content, symlinks followed), and
  what else the caller says the value depends on, and is taken again after a build so a file
  saved meanwhile is not filed under the key of its old content;
- entries are signed with a per-user secret (keyed BLAKE2b, a MAC by design) and only unpickled (and
  the rule code one may hold only loaded) once the signature verifies, so a damaged or planted
  entry is deleted and rebuilt, and never runs code;
- the folder is capped, least recently used entries going first.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import io
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from typing import TypeVar, cast

try:  # BLAKE2 and compare_digest without OpenSSL, which hashlib and hmac load: 2-4 ms of a cold plan
    from _blake2 import blake2b
    from _operator import _compare_digest as compare_digest
except ImportError:  # a Python built without them
    from hashlib import blake2b
    from hmac import compare_digest  # type: ignore[no-redef]  # the same function, typed apart

try:  # the C unpickler that pickle.loads is: the pickle module around it takes a cache hit ~1 ms to import
    from _pickle import Unpickler as _Unpickler
    from _pickle import loads as _loads
except ImportError:  # a Python without the C accelerator
    from pickle import Unpickler as _Unpickler
    from pickle import loads as _loads

import generator
from generator.kb.documents import YAML_SUFFIXES, walk

T = TypeVar("T")
# Bump when what is cached changes shape, so old entries are never read as new ones.
FORMAT = 8
PACKAGE = Path(generator.__file__).parent
CODE_SUFFIXES = (".py", ".json")

SECRET_FILE = "secret.key"
SECRET_BYTES = 32
MAGIC = b"opsbook-cache\n"
TAG_BYTES = DIGEST_BYTES = 32
ENTRY_SUFFIX = ".entry"
TEMP_PREFIX = ".tmp-"
LEGACY_PATTERN = ("playbook-", ".pickle")  # entries of earlier versions, never read again
# The shipped playbook pickles to about 0.5 MiB: room for every client of a consultant, bounded.
MAX_ENTRIES = 32
MAX_BYTES = 64 * 1024 * 1024
STALE_TEMP_SECONDS = 3600  # older temp files were left by a killed process, not by a write in progress

_MISS = object()


def cache_dir() -> Path:
    base = os.environ.get("OPSBOOK_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "opsbook")
    return Path(base)


def _put(sha: blake2b, *parts: bytes) -> None:
    # Length-prefixed, so no two different sequences of parts hash the same.
    for part in parts:
        sha.update(len(part).to_bytes(8, "big"))
        sha.update(part)


def _file_digest(path: str) -> bytes:
    # Streamed: an input file can be huge by mistake, and the loader refuses it only after this.
    try:
        with open(path, "rb") as handle:
            sha = blake2b(digest_size=DIGEST_BYTES)
            while chunk := handle.read(1 << 16):
                sha.update(chunk)
            return sha.digest()
    except OSError as exc:
        return f"unreadable: {exc.errno}".encode()  # the loader reports it; the key just has to differ


@functools.cache
def package_digest(root: Path) -> str:
    """A digest of the code and schemas of the package at `root`: each file's path (relative: a moved
    checkout keeps its key), size and modification time in nanoseconds. Python itself takes a module's
    cached bytecode as current while its source keeps its size and (whole-second) modification time,
    so this is as strict as what decides which code runs, and stat()ing the ~170 files takes about a
    third of the time reading them whole did (some 2 ms of a cold plan)."""
    sha = blake2b(digest_size=DIGEST_BYTES)
    _stamp_folder(sha, str(root), len(str(root)))
    return sha.hexdigest()


def _stamp_folder(sha: blake2b, folder: str, top: int) -> None:
    for entry in sorted(_entries(folder), key=lambda e: e.name):
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    _stamp_folder(sha, entry.path, top)
            elif entry.name.endswith(CODE_SUFFIXES):
                info = entry.stat()
                _put(sha, os.fsencode(entry.path[top:]), f"{info.st_size} {info.st_mtime_ns}".encode())
        except OSError as exc:  # deleted meanwhile, or unreadable: the key just has to differ
            _put(sha, os.fsencode(entry.path[top:]), f"unreadable: {exc.errno}".encode())


def _entries(folder: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as found:
            return list(found)
    except OSError:
        return []


def _hash_yaml(sha: blake2b, entry: os.DirEntry[str], real_folder: str) -> None:
    try:
        regular = entry.is_file()
        linked = entry.is_symlink()
    except OSError:  # a link loop
        regular = linked = False
    if not regular:  # the loader refuses it: its name alone makes the key miss (reading a FIFO would hang)
        _put(sha, os.fsencode(entry.name), b"not a regular file")
        return
    real = os.path.realpath(entry.path) if linked else os.path.join(real_folder, entry.name)
    _put(sha, os.fsencode(entry.name), os.fsencode(real), _file_digest(entry.path))


def _hash_inputs(sha: blake2b, top: Path) -> None:
    if os.path.isfile(top):
        _put(sha, b"file", os.fsencode(os.path.realpath(top)), _file_digest(str(top)))
        return
    for _, real, entries in walk(top, strict=False):  # the loader reports a folder it cannot read
        _put(sha, b"folder", os.fsencode(real))
        for entry in entries:
            if entry.name.endswith(YAML_SUFFIXES):
                _hash_yaml(sha, entry, real)


def python_identity() -> bytes:
    """The Python running, as far as a cached value can depend on it: its implementation and
    version (the cache tag, as `cpython-311`) and its bytecode magic number, which changes with
    the format of marshalled code."""
    return f"{sys.implementation.name} {sys.implementation.cache_tag}".encode() + b" " + MAGIC_NUMBER


def fingerprint(folders: Sequence[Path], *depends: str) -> str:
    """A digest of everything loading `folders` depends on: the package's code and schemas, the cache
    format, the Python running, the working directory (problems show paths relative to it), what
    `depends` names (the rules engine the value is compiled for), each folder as given and as
    resolved, and every YAML file below it by real path and content."""
    sha = blake2b(digest_size=DIGEST_BYTES)
    _put(sha, str(FORMAT).encode(), package_digest(PACKAGE).encode(), python_identity(), os.getcwdb())
    _put(sha, str(len(depends)).encode(), *(part.encode() for part in depends))
    for folder in folders:
        _put(sha, b"input", os.fsencode(folder), os.fsencode(os.path.realpath(folder)))
        _hash_inputs(sha, folder)
    return sha.hexdigest()


def _discard(path: str | Path) -> None:
    with contextlib.suppress(OSError):  # already gone, or not ours to delete: either way it is not read
        os.unlink(path)


def _temp_file(folder: Path) -> tuple[int, str]:
    """A new file only we can read (mode 0600), named so pruning knows it."""
    import tempfile  # about 3 ms to import, and only writes need it: not on the path of a cache hit

    return tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX)


def _write_atomic(path: Path, data: bytes) -> None:
    """Readers see the old file or the whole new one, never a part."""
    fd, tmp = _temp_file(path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        _discard(tmp)
        raise


def _private(info: os.stat_result) -> bool:
    if not stat.S_ISREG(info.st_mode) or info.st_size != SECRET_BYTES:
        return False
    # Without POSIX owners and modes (Windows), the per-user profile folder is what keeps it private.
    return not hasattr(os, "getuid") or (info.st_uid == os.getuid() and not info.st_mode & 0o077)


def _read_secret(path: Path) -> bytes | None:
    """The secret, if it is a private file of ours: one others could write would let them sign entries."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not _private(os.fstat(fd)):
            return None
        secret = handle.read(SECRET_BYTES + 1)
    return secret if len(secret) == SECRET_BYTES else None


def _new_secret(path: Path) -> bytes:
    import secrets  # only the first run in a folder needs it

    secret = secrets.token_bytes(SECRET_BYTES)
    fd, tmp = _temp_file(path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(secret)
        if os.path.lexists(path):
            os.replace(tmp, path)  # an untrusted or damaged secret: what it signed fails and is rebuilt
        else:
            os.link(tmp, path)  # fails if another process created one first: keep theirs
    finally:
        _discard(tmp)
    return secret


def _secret(folder: Path) -> bytes | None:
    """The signing secret of `folder`, created on first use; None if the folder cannot hold one."""
    path = folder / SECRET_FILE
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return _read_secret(path) or _new_secret(path)
    except FileExistsError:
        return _read_secret(path)  # another process created it between our read and our link
    except OSError:
        return None  # a read-only home still plans, just without the cache


def _entry_path(folder: Path, key: str) -> Path:
    return folder / (blake2b(f"{FORMAT}|{key}".encode(), digest_size=DIGEST_BYTES).hexdigest() + ENTRY_SUFFIX)


def _tag(secret: bytes, path: Path, payload: bytes) -> bytes:
    # The entry's name is signed too, so a valid entry copied under another key is refused.
    mac = blake2b(path.name.encode() + b"\0", key=secret, digest_size=TAG_BYTES)
    mac.update(payload)
    return mac.digest()


def _verified(blob: bytes, path: Path, secret: bytes) -> bytes | None:
    header = len(MAGIC) + TAG_BYTES
    if len(blob) <= header or not blob.startswith(MAGIC):
        return None
    payload = blob[header:]
    return payload if compare_digest(blob[len(MAGIC):header], _tag(secret, path, payload)) else None


def _payload(path: Path, secret: bytes) -> bytes | None:
    """The verified bytes stored at `path`, or None; an entry that cannot be trusted is deleted."""
    try:
        with open(path, "rb") as handle:
            blob = handle.read(MAX_BYTES + 1)
    except OSError:
        return None
    payload = _verified(blob, path, secret)
    if payload is None:
        _discard(path)
    return payload


def _load(path: Path, secret: bytes, read: Callable[[bytes, Path], T]) -> T | object:
    """What `read` makes of the entry at `path`, or _MISS; an entry that cannot be trusted or loaded is deleted."""
    payload = _payload(path, secret)
    if payload is None:
        return _MISS
    try:
        value = read(payload, path)
    except Exception:
        # Signed by us, so not foreign: classes renamed by an upgrade of a dependency, or memory
        # running out, can still fail it in any way. Whatever the cause, building again is right.
        _discard(path)
        return _MISS
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: evicted last
    return value


def _value(payload: bytes, path: Path) -> object:
    return unpickled(payload)


def _parts(payload: bytes, path: Path) -> Iterator[object]:
    """The parts of a stream _pickled_parts wrote, each unpickled when next() asks for it. The count
    is read now, so an entry of another shape is a miss; a later part that fails to load deletes the
    entry (the next run builds it again) and raises."""
    unpickler = _Unpickler(io.BytesIO(payload))
    count = unpickled(unpickler.load)
    if not isinstance(count, int):
        raise TypeError("not an entry of parts")

    def read() -> Iterator[object]:
        for _ in range(count):
            try:
                part = unpickled(unpickler.load)
            except Exception:
                _discard(path)
                raise
            yield part

    return read()


def unpickled(payload: bytes | Callable[[], object]) -> object:
    """The value pickled in `payload` (or what calling it unpickles), read with the garbage collector
    paused: unpickling a playbook makes some hundred thousand objects, none of them garbage, and the
    collections they would trigger on the way about double the time it takes."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return payload() if callable(payload) else _loads(payload)
    finally:
        if was_enabled:
            gc.enable()


def _prune(folder: Path) -> None:
    """Drop entries of earlier versions and temp files of killed processes, then the least recently
    used entries beyond MAX_ENTRIES or MAX_BYTES. Only names this module writes are touched, in case
    OPSBOOK_CACHE points at a folder holding other files."""
    now = time.time()
    entries: list[tuple[int, int, str]] = []
    for entry in _entries(str(folder)):
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue  # deleted meanwhile by another process
        legacy = entry.name.startswith(LEGACY_PATTERN[0]) and entry.name.endswith(LEGACY_PATTERN[1])
        stale = entry.name.startswith(TEMP_PREFIX) and now - info.st_mtime > STALE_TEMP_SECONDS
        if legacy or stale:
            _discard(entry.path)
        elif entry.name.endswith(ENTRY_SUFFIX):
            entries.append((info.st_mtime_ns, info.st_size, entry.path))
    total = 0
    for count, (_, size, path) in enumerate(sorted(entries, reverse=True), 1):
        total += size
        if count > MAX_ENTRIES or total > MAX_BYTES:
            _discard(path)


def _pickled(value: object) -> bytes:
    import pickle  # only a miss writes

    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _pickled_parts(parts: Sequence[object]) -> bytes:
    """The parts as one stream (their count, then each): one pickler, so an object two parts share
    is written once and read back as one object, as if they were pickled together."""
    import pickle

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    for part in (len(parts), *parts):
        pickler.dump(part)
    return buffer.getvalue()


def _store(path: Path, secret: bytes, value: T, pickled: Callable[[T], bytes]) -> None:
    import pickle

    try:
        payload = pickled(value)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return  # the caller still gets its value; the cold-path test notices a cache that never stores
    blob = MAGIC + _tag(secret, path, payload) + payload
    if len(blob) > MAX_BYTES:
        return
    try:
        _write_atomic(path, blob)
        _prune(path.parent)
    except OSError:
        pass  # a full or read-only disk still plans, just without the cache


def cached(key: Callable[[], str], build: Callable[[], T]) -> T:
    """The value stored under `key()`, else `build()`, stored (best effort) only if `key()` is the same
    after building: a file saved during the build must not be filed under the key of its old content."""
    found = _cached(key, build, _value, _pickled)
    return cast(T, found)


def cached_parts(key: Callable[[], str], build: Callable[[], Sequence[object]]) -> Iterator[object]:
    """As cached(), for a value in parts that next() hands out in order: a part nobody asks for is
    never unpickled. Parts share objects as the value built did."""
    found = _cached(key, build, _parts, _pickled_parts)
    return iter(found) if isinstance(found, Sequence) else cast(Iterator[object], found)


def _cached(key: Callable[[], str], build: Callable[[], T], read: Callable[[bytes, Path], object],
            pickled: Callable[[T], bytes]) -> object:
    if os.environ.get("OPSBOOK_NO_CACHE"):
        return build()
    before = key()
    folder = cache_dir()
    secret = _secret(folder)
    if secret is None:
        return build()
    path = _entry_path(folder, before)
    found = _load(path, secret, read)
    if found is not _MISS:
        return found
    value = build()
    if key() == before:
        _store(path, secret, value, pickled)
    return value
