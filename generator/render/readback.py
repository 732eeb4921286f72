"""Reading the ticks back from a plan file opsbook wrote earlier (`plan -o FILE --update`):
each format's reader sits beside its writer here, and this module picks one."""

from __future__ import annotations

import importlib
from pathlib import Path

from generator.core.errors import OpsbookError
from generator.kb.loader import read_text
from generator.plan.model import MAX_PLAN_BYTES
from generator.plan.progress import Progress, prefixed, unreadable

TOO_BIG = "is this a plan opsbook wrote? use --force to overwrite it"
_TEXT_READERS = {"md": "read_md", "json": "read_json", "ics": "read_ics"}


def _bytes(path: Path, shown: str) -> bytes:
    size = path.stat().st_size
    if size > MAX_PLAN_BYTES:
        raise unreadable(shown, 1, f"file is {size:,} bytes; the limit is {MAX_PLAN_BYTES:,} (16 MiB): {TOO_BIG}")
    return path.read_bytes()


def read_progress(path: Path, fmt: str, shown: str) -> Progress:
    """The items of the earlier plan at `path`, which of them are ticked, and warnings for
    ticks that could not be read."""
    if fmt in ("csv", "xlsx"):
        from generator.render import read_tables

        data = _bytes(path, shown)
        return read_tables.read_xlsx(data, shown) if fmt == "xlsx" else read_tables.read_csv(data, shown)
    try:
        text = read_text(path, shown, MAX_PLAN_BYTES, TOO_BIG, f"a plan in {fmt}")
    except OpsbookError as exc:
        raise prefixed(exc) from None
    reader = importlib.import_module(f"generator.render.{_TEXT_READERS[fmt]}")
    result: Progress = reader.read(text, shown)
    return result
