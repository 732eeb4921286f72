"""Building and serving the site in-process with MkDocs, with the playbook's mkdocs.yml,
strict. MkDocs' own messages are passed on to a stream; a failed build is an OpsbookError."""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from generator.core.errors import OpsbookError, Problem
from generator.core.files import cannot_write, check_folder, staged_folder, swap_folder
from generator.kb.documents import shown_path

# In every site opsbook builds: a folder with it may be replaced whole by the next build.
MARKER = ".opsbook-site"
_MARKER_TEXT = "Built by `opsbook site build`: the next build replaces this whole folder.\n"


@dataclass(frozen=True)
class BuildReport:
    site_dir: Path
    pages: int
    seconds: float


class _Plain(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        # Errors are already located lines (`kb/x.yaml:3:5: ...`); warnings say they are.
        prefix = "warning: " if record.levelno == logging.WARNING else ""
        return prefix + record.getMessage()


@contextlib.contextmanager
def mkdocs_messages(level: int = logging.WARNING, stream: TextIO | None = None) -> Iterator[None]:
    """Show MkDocs' log records of `level` and above on `stream` (stderr) while inside."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setLevel(level)
    handler.setFormatter(_Plain())
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(min(level, logger.getEffectiveLevel()))
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


def _mkdocs() -> None:
    if not all(importlib.util.find_spec(name) for name in ("mkdocs", "material", "jieba")):
        raise OpsbookError("the site needs MkDocs, its Material theme and jieba: "
                           "pip install 'opsbook[site]'")


def _failed(config_file: Path, message: str) -> Problem:
    # MkDocs has already logged the located problems; this says what became of the build.
    return Problem(shown_path(config_file), 1, 1, message)


def publish(config: Any, clients: Sequence[Path] | None, overlays: Sequence[Path]) -> None:
    """Make the build publish the plans of `clients` (instead of the config's own list),
    with `overlays`: the hook reads them from `extra.opsbook` (see hook.py)."""
    options = dict((config.extra or {}).get("opsbook") or {})
    if clients:
        options["clients"] = [str(path.resolve()) for path in clients]
    if overlays:
        options["overlays"] = [str(path.resolve()) for path in overlays]
    config.extra["opsbook"] = options


class _Progress:
    """A plugin added to the build's own: `progress(pages built, pages)` as each page is written."""

    def __init__(self, progress: Callable[[int, int], None]) -> None:
        self.progress, self.done, self.total = progress, 0, 0

    def on_nav(self, nav: Any, config: Any, files: Any) -> Any:
        self.total = len(files.documentation_pages())
        self.progress(0, self.total)
        return nav

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        self.done += 1
        self.progress(self.done, self.total)
        return output


def build_site(config_file: Path, site_dir: Path | None = None, clients: Sequence[Path] | None = None,
               overlays: Sequence[Path] = (), force: bool = False,
               progress: Callable[[int, int], None] | None = None) -> BuildReport:
    """Build the site of `config_file` (strict) into `site_dir` (default: its `site_dir`),
    with the plans of `clients` (default: the clients its config names).

    The build goes to a new folder next to the target, which then takes the target's place: a
    failed or interrupted build leaves the earlier site as it was. A target holding files
    opsbook did not build is refused unless `force`. `progress(done, total)` follows the pages."""
    _mkdocs()
    start = time.monotonic()
    config = _load(config_file, site_dir, clients, overlays)
    if progress is not None:
        config.plugins["opsbook-progress"] = _Progress(progress)
    target = Path(config.site_dir).resolve()
    check_folder(target, MARKER, force, shown_path(target))
    try:
        with staged_folder(target) as new:
            _build(config_file, config, new)
            swap_folder(new, target)
    except OSError as exc:
        raise OpsbookError(cannot_write(shown_path(target), exc, "the site folder")) from None
    pages = sum(1 for _ in target.rglob("index.html"))
    return BuildReport(target, pages, time.monotonic() - start)


def _load(config_file: Path, site_dir: Path | None, clients: Sequence[Path] | None, overlays: Sequence[Path]) -> Any:
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        overrides = {"site_dir": str(site_dir.resolve())} if site_dir else {}
        config = load_config(str(config_file), strict=True, **overrides)
    except MkDocsException as exc:
        raise OpsbookError(_failed(config_file, f"site build failed ({exc})")) from None
    publish(config, clients, overlays)
    return config


def _build(config_file: Path, config: Any, folder: Path) -> None:
    """Build the site into `folder` (new and empty) and mark it as opsbook's."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    config["site_dir"] = str(folder)
    try:
        build(config)
    except MkDocsException as exc:
        raise OpsbookError(_failed(config_file, f"site build failed ({exc})")) from None
    (folder / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")


def serve_site(config_file: Path, address: str) -> None:
    """`mkdocs serve` on `address`; rebuilds when the docs, kb/ or rules/ change."""
    _mkdocs()
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    try:
        serve(config_file=str(config_file), dev_addr=address, livereload=True)
    except MkDocsException as exc:
        raise OpsbookError(_failed(config_file, f"site not served ({exc})")) from None
