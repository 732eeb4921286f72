"""Every file a user sees is written here: a temporary file next to the target, then a rename,
under a lock on the target's folder. So an interrupted run leaves the old file intact, two runs
writing the same file never both succeed when one would lose the other's work, and what
cannot be written is a located message. Also: standard output that fails, and safe file names
made from input."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import stat
import sys
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType

from generator.core.errors import OpsbookError, Problem, file_kind

TEMP_MARK = ".opsbook-tmp-"
# `.NAME.opsbook-tmp-XXXXXXXX`: what a killed run (kill -9) leaves behind, recognisably ours.
_TEMP = r"^\..+\.opsbook-tmp-[0-9a-f]{8}$"  # patterns compile on first use (re caches them), not at import
STALE_SECONDS = 3600  # older temp files were left by a killed run, not by a write in progress
LOCK_SECONDS = 60.0  # how long a write waits for another run writing in the same folder
EXISTS = "file exists: add --force to overwrite it"


def write_atomic(path: Path, data: bytes, *, replace: bool = True, exists: str = EXISTS) -> None:
    """Write `data` to `path` as a whole or not at all. With `replace=False` a file that exists
    (also one another run wrote meanwhile) is refused with the message `exists`. Refuses what is
    not a regular file, and a symbolic link leading out of the folder; new files get 0666 minus
    the umask, replaced ones keep their mode. Every OSError is an OpsbookError at `path`."""
    target = Path(path)
    try:
        with _folder_lock(target), interruptible():
            real, mode = _target(target, replace, exists)
            _remove_stale(real.parent)
            _replace_with(real, data, mode)
    except OSError as exc:
        raise OpsbookError(cannot_write(str(target), exc)) from None


def write_atomic_pieces(path: Path, pieces: Iterable[bytes], *, replace: bool = True, exists: str = EXISTS) -> None:
    """`write_atomic` for output made while it is written (a batch of many clients): each piece
    goes to the temporary file as it comes, so memory holds one piece, not the whole output. The
    folder is locked only for the final check and rename: a long run must not keep other runs
    writing in the same folder waiting."""
    target = Path(path)
    try:
        with interruptible():
            real, _ = _target(target, replace, exists)
            tmp = _write_temp(real, pieces)
            try:
                with _folder_lock(target):
                    real, mode = _target(target, replace, exists)  # another run may have written it meanwhile
                    _remove_stale(real.parent)
                    _commit(tmp, real, mode)
            except BaseException:  # refused or interrupted before the rename
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
    except OSError as exc:
        raise OpsbookError(cannot_write(str(target), exc)) from None


def _write_temp(target: Path, pieces: Iterable[bytes]) -> Path:
    """A new temporary file beside `target` holding the pieces, synced to disk."""
    tmp = target.parent / temp_name(target.name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(tmp, flags, 0o666)  # the kernel applies the umask, as for any new file
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def check_target(path: Path, *, replace: bool, exists: str = EXISTS) -> bool:
    """Refuse before any work what `write_atomic` would refuse: a missing folder, a FIFO, a link
    out of the folder, an over-long name and, without `replace`, a file that exists. True when
    `path` is a file that will be replaced. Only to fail early: write_atomic checks again."""
    target = Path(path)
    try:
        os.stat(_folder(target))
        _, mode = _target(target, replace, exists)
    except OSError as exc:
        raise OpsbookError(cannot_write(str(target), exc)) from None
    return mode is not None


def _folder(target: Path) -> Path:
    return target.parent if str(target.parent) else Path(".")


@contextlib.contextmanager
def _folder_lock(target: Path) -> Iterator[None]:
    """An exclusive flock on the target's folder: writers of the same folder take turns, so the
    check that a file is new and the rename that makes it are one step for other opsbook runs."""
    try:
        fd = os.open(_folder(target), os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except PermissionError:  # a folder one may write to but not list (mode -wx): write unlocked
        yield
        return
    try:
        _lock(fd, str(target))
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _lock(fd: int, shown: str) -> None:
    import fcntl  # only writing a file locks its folder: a plan to standard output does not import it

    deadline = time.monotonic() + LOCK_SECONDS
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                message = "cannot write file: another run has been writing in its folder for a minute: try again later"
                raise OpsbookError(Problem(shown, 1, 1, message)) from None
            time.sleep(0.05)
        except OSError as exc:
            if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                return  # a file system without locks (some network mounts): write unlocked
            raise


def _target(target: Path, replace: bool, exists: str) -> tuple[Path, int | None]:
    """The file to replace (a link inside the folder leads to its target) and the mode to keep."""
    info = _lstat(target)
    if info is not None and stat.S_ISLNK(info.st_mode):
        target = _link_target(target)
        info = _lstat(target)
    if info is None:
        return target, None
    if not stat.S_ISREG(info.st_mode):
        message = f"cannot write file: it is {file_kind(info.st_mode)}, not a regular file: choose a file name"
        raise OpsbookError(Problem(str(target), 1, 1, message))
    if not replace:
        raise OpsbookError(Problem(str(target), 1, 1, exists))
    return target, stat.S_IMODE(info.st_mode)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _link_target(link: Path) -> Path:
    """Where a symbolic link leads (a loop is ELOOP), if that is a file of the link's own folder."""
    with contextlib.suppress(FileNotFoundError):  # a dangling link: the file is made where it leads
        os.stat(link)
    real = Path(os.path.realpath(link))
    if real.parent != Path(os.path.realpath(_folder(link))):
        message = ("cannot write file: it is a symbolic link that leads out of its folder: "
                   "remove the link or write elsewhere")
        raise OpsbookError(Problem(str(link), 1, 1, message))
    return real


def _remove_stale(folder: Path) -> None:
    """Delete temporary files of killed runs (only ours, only old ones) next to the target."""
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if re.match(_TEMP, entry.name):
                with contextlib.suppress(OSError):
                    info = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_SECONDS:
                        os.unlink(entry.path)


def temp_name(name: str) -> str:
    """`.NAME.opsbook-tmp-XXXXXXXX`, NAME shortened so the whole stays within 255 bytes."""
    room = 255 - len(f".{TEMP_MARK}") - 8
    short = os.fsencode(name)[:room].decode("utf-8", "ignore") if len(os.fsencode(name)) > room else name
    return f".{short}{TEMP_MARK}{_token()}"


def _replace_with(target: Path, data: bytes, mode: int | None) -> None:
    _commit(_write_temp(target, (data,)), target, mode)


def _commit(tmp: Path, target: Path, mode: int | None) -> None:
    """Rename the finished temporary file over `target`, keeping `target`'s mode if it had one."""
    try:
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; a file system that cannot sync folders is no error."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_FIXES = {
    errno.ENOENT: "create its folder first, or choose another path",
    errno.ENOTDIR: "a part of the path is not a folder: check the path",
    errno.EACCES: "choose a folder you may write to",
    errno.EPERM: "choose a folder you may write to",
    errno.EROFS: "choose a folder on a writable disk",
    errno.ENAMETOOLONG: "choose a shorter file name",
    errno.ENOSPC: "free some disk space and run again",
    errno.EDQUOT: "free some space within your disk quota and run again",
    errno.EFBIG: "write to a disk that takes bigger files",
    errno.EISDIR: "a folder has that name: choose a file name",
    errno.ELOOP: "a symbolic link on the path loops: fix or remove it",
}


def cannot_write(shown: str, exc: OSError, what: str = "file") -> Problem:
    """`path:1:1: cannot write file: <reason>: <fix>` for an OSError while writing."""
    reason = exc.strerror or type(exc).__name__
    fix = _FIXES.get(exc.errno or 0, "check the path and the disk")
    if not shown:
        return Problem("", 0, 0, f"cannot write to standard output: {reason}: {fix}")
    return Problem(shown, 1, 1, f"cannot write {what}: {reason}: {fix}")


def write_private(path: Path, data: bytes) -> None:
    """A new file only its owner may read (a crash report names files and clients); never replaces one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


# ------------------------------------------------------------------ folders
def _token() -> str:
    """Eight random hex digits for a temporary name (secrets.token_hex(4), without importing secrets)."""
    return os.urandom(4).hex()


def _rmtree(path: str | Path, ignore_errors: bool = False) -> None:
    import shutil  # only folder swaps delete trees: not on the path of a plan

    shutil.rmtree(path, ignore_errors=ignore_errors)


# `.NAME.opsbook-new-XXXXXXXX` (a folder being built), `.NAME.opsbook-old-XXXXXXXX` (the one it replaces).
_STAGED = r"^\..+\.opsbook-(new|old)-[0-9a-f]{8}$"


def check_folder(target: Path, marker: str, force: bool, shown: str | None = None) -> None:
    """Refuse to replace `target` when it is not a folder, or holds files and no `marker` (the file
    every folder opsbook builds has), unless `force`: it is then somebody else's folder."""
    shown = shown if shown is not None else str(target)
    info = _lstat(target)
    if info is None:
        return
    if not stat.S_ISDIR(info.st_mode):
        message = f"cannot write the folder: it is {file_kind(info.st_mode)}: choose a folder"
        raise OpsbookError(Problem(shown, 1, 1, message))
    if force or os.path.isfile(target / marker):
        return
    with os.scandir(target) as entries:
        if next(entries, None) is not None:
            message = ("the folder holds files opsbook did not write: choose an empty or new folder, "
                       "or add --force to replace the folder and everything in it")
            raise OpsbookError(Problem(shown, 1, 1, message))


@contextlib.contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """A new empty folder next to `target` to build in; removed if anything fails before it is
    swapped in (an interrupt and SIGTERM included)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_folders(target.parent)
    with interruptible():
        new = target.parent / f".{target.name}.opsbook-new-{_token()}"
        os.mkdir(new, 0o777)  # the umask applies, as for any new folder
        try:
            yield new
        finally:
            if os.path.lexists(new):
                _rmtree(new, ignore_errors=True)


def swap_folder(new: Path, target: Path) -> None:
    """Put `new` in the place of `target`: the old folder is renamed away, the new one renamed in,
    then the old one deleted. Under the parent's lock, so two builds never interleave their renames."""
    with _folder_lock(target):
        old = target.parent / f".{target.name}.opsbook-old-{_token()}"
        moved = os.path.lexists(target)
        if moved:
            os.rename(target, old)
        try:
            os.rename(new, target)
        except BaseException:
            if moved:
                os.rename(old, target)
            raise
    if moved:
        _rmtree(old, ignore_errors=True)


def _remove_stale_folders(parent: Path) -> None:
    """Delete what killed builds left next to the target (only ours, only old ones)."""
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(parent) as entries:
        for entry in entries:
            if re.match(_STAGED, entry.name) and entry.is_dir(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    if now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS:
                        _rmtree(entry.path, ignore_errors=True)


# ------------------------------------------------------------------ signals
@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP end the run as an exception, so `finally` blocks remove
    temporary files; by default these signals kill at once and leave them behind."""
    if not _main_thread():
        yield
        return
    import signal  # only writes that must clean up after themselves install handlers

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}
    for sig, handler in saved.items():
        if handler is signal.SIG_DFL:  # an ignored signal (nohup) stays ignored
            signal.signal(sig, _exit_on_signal)
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _exit_on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # the exit status a shell reports for a killed program


# ------------------------------------------------------------------ standard output
def write_stdout(data: bytes) -> None:
    """Write bytes to standard output; a full disk or a closed pipe is an OpsbookError."""
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except OSError as exc:
        raise stdout_failed(exc) from None


def write_stdout_pieces(pieces: Iterable[bytes]) -> None:
    """Write each piece to standard output as it comes (flushed, so a reader sees progress)."""
    for piece in pieces:
        write_stdout(piece)


def stdout_failed(exc: OSError) -> OpsbookError:
    """The error for standard output that cannot be written: exit code 1, and a message unless the
    reader stopped on purpose (`opsbook plan x | head` closes the pipe early)."""
    return OpsbookError([] if exc.errno == errno.EPIPE else [cannot_write("", exc)])


class _GuardedOut(io.RawIOBase):
    """File descriptor 1 whose failures are OpsbookErrors: code that writes `sys.stdout` itself
    then fails as a user error (`> /dev/full`), and what is still buffered after a failure is
    dropped instead of failing again when Python exits."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd
        self._failed = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        if self._failed:
            return len(data)
        try:
            return os.write(self._fd, data)
        except OSError as exc:
            self._failed = True
            raise stdout_failed(exc) from None


@contextlib.contextmanager
def guarded_stdout() -> Iterator[None]:
    """Inside, the process's real standard output fails as OpsbookError (see _GuardedOut);
    a redirected `sys.stdout` (tests, `contextlib.redirect_stdout`) is left alone."""
    original = sys.__stdout__
    if original is None or sys.stdout is not original:
        yield
        return
    with contextlib.suppress(OSError, ValueError):
        original.flush()
    raw = _GuardedOut(original.fileno())
    sys.stdout = io.TextIOWrapper(io.BufferedWriter(raw), encoding=original.encoding, errors=original.errors,
                                  line_buffering=original.line_buffering)
    try:
        yield
    finally:
        sys.stdout = original


# ------------------------------------------------------------------ file names
MAX_NAME = 64  # characters of a derived file name, before its suffix
_MAX_NAME_BYTES = 180  # and UTF-8 bytes: file systems allow 255, and the suffix needs room
_UNSAFE = r"[^\w-]+"  # \w: letters and digits of every script (CJK too), and `_`
# Names Windows reserves in any folder and with any suffix (`con.md` too).
_RESERVED = r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$"


def safe_filename(text: str) -> str:
    """A file name made from text a user gave (a client's name, a facts file's stem): only
    letters and digits (any script), `-` and `_`; so no path separator, no `..`, no leading
    dot, no NUL; at most MAX_NAME characters; never a Windows reserved name; never empty.
    The caller adds the suffix."""
    flat = re.sub(_UNSAFE, "-", unicodedata.normalize("NFKC", text)).strip("-_")
    name = flat[:MAX_NAME]
    while len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        name = name[:-1]
    name = name.rstrip("-_") or "untitled"
    return f"{name}_" if re.match(_RESERVED, name) else name
