"""Progress on standard error while a long command runs: a counter on one line that redraws
itself, shown only when standard error is a terminal (piped or logged, nothing is written)."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from typing import TextIO

REDRAW = 0.1  # seconds between redraws: often enough to look alive, rarely enough to cost nothing


class Counter:
    """`label done/total (pct%)` on one line of `stream`; `write` puts other text above it."""

    def __init__(self, label: str, stream: TextIO) -> None:
        self.label, self.stream = label, stream
        self.shown = stream.isatty()
        self.done = self.total = 0
        self.drawn = 0.0
        self.line = ""

    def update(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        now = time.monotonic()
        if self.shown and (now - self.drawn >= REDRAW or done == total):
            self.drawn = now
            self._draw(f"{self.label} {done}/{total} ({100 * done // max(total, 1)}%)")

    def advance(self, n: int) -> None:
        self.update(self.done + n, self.total)

    def write(self, text: str) -> int:
        """Write `text` (a message of the command's) without mixing it into the counter's line."""
        line = self.line
        self.clear()
        self.stream.write(text)
        if line and text.endswith("\n"):
            self._draw(line)
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def clear(self) -> None:
        self._draw("")

    def _draw(self, line: str) -> None:
        if self.shown and (line or self.line):
            self.stream.write("\r\033[K" + line)  # back to the line's start, clear it, draw
            self.stream.flush()
        self.line = line


@contextlib.contextmanager
def counter(label: str, total: int = 0, stream: TextIO | None = None) -> Iterator[Counter]:
    """A counter on `stream` (standard error), cleared away when the work ends."""
    shown = Counter(label, stream or sys.stderr)
    shown.total = total
    try:
        yield shown
    finally:
        shown.clear()
