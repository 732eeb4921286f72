"""A built site served read-only on 127.0.0.1, on a free port, for the browser that the site
tests, the builder benchmark and the site audit drive (`opsbook site serve` is the author's
live-reloading server instead)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would bury what the caller prints


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """Serve `folder` for as long as the block runs; yields its base URL (ending in /)."""
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
