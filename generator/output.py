"""Writing output files atomically: a temporary file in the same folder, then a rename,
so an interrupted run leaves the old file intact; and safe file names made from input."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


MAX_NAME = 64  # characters of a derived file name, before its suffix
_MAX_NAME_BYTES = 180  # and UTF-8 bytes: file systems allow 255, and the suffix needs room
_UNSAFE = re.compile(r"[^\w-]+")  # \w: letters and digits of every script (CJK too), and `_`
# Names Windows reserves in any folder and with any suffix (`con.md` too).
_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$")


def safe_filename(text: str) -> str:
    """A file name made from text a user gave (a client's name, a facts file's stem): only
    letters and digits (any script), `-` and `_`; so no path separator, no `..`, no leading
    dot, no NUL; at most MAX_NAME characters; never a Windows reserved name; never empty.
    The caller adds the suffix."""
    flat = _UNSAFE.sub("-", unicodedata.normalize("NFKC", text)).strip("-_")
    name = flat[:MAX_NAME]
    while len(name.encode("utf-8")) > _MAX_NAME_BYTES:
        name = name[:-1]
    name = name.rstrip("-_") or "untitled"
    return f"{name}_" if _RESERVED.match(name) else name
