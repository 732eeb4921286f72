"""The start-here path: the pages a new employee reads in order, as the start-here page
links them (the operating loop followed by its phases). Pages on it get "previous" and "next"
links along it; other pages along the navigation, within their own language."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence

from generator.site import paths

START = "start-here.md"
_LINK = re.compile(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)")


def reading_path(start_here: str, phase_ids: Sequence[str]) -> list[str]:
    """Language-neutral page paths: the home page, the start-here page, then every page it
    links to in order (each once), the phase pages right after the loop."""
    path = ["index.md", START]
    here = posixpath.dirname(START)
    for target in _LINK.findall(start_here):
        page = posixpath.normpath(posixpath.join(here, target))
        if page not in path:
            path.append(page)
        if page == paths.LOOP:
            path += [p for p in (paths.phase(i) for i in phase_ids) if p not in path]
    return path


def neighbours(path: Sequence[str], page: str) -> tuple[str | None, str | None]:
    """The pages before and after `page` on `path` (None at either end, or off the path)."""
    if page not in path:
        return None, None
    at = path.index(page)
    return (path[at - 1] if at else None), (path[at + 1] if at + 1 < len(path) else None)
