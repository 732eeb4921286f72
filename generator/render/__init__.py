"""Renderers over one plan object, one module per output format, in a registry."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from generator.core.records import record

if TYPE_CHECKING:  # the CLI reads GROUPINGS from here before any plan exists: keep this import light
    from generator.plan.model import Plan

GROUPINGS = ("window", "phase", "owner")  # how a Markdown plan lists its items; the first is the default


@record
class View:
    """How much of the plan a reader sees, and in what order (formats that read `views`)."""

    group_by: str = GROUPINGS[0]
    window: int | None = None  # only items starting within this many days of the start date


@record
class Format:
    """An output format: its name, file suffix and the module that writes it."""

    name: str
    suffix: str
    module: str  # loaded on first use, so openpyxl stays off the path of other formats
    views: bool = False  # the format lays items out by a View

    def render(self, plan: Plan, view: View | None = None) -> bytes:
        module = importlib.import_module(f"generator.render.{self.module}")
        if self.views:
            with_view: Callable[[Plan, View], bytes] = module.render
            return with_view(plan, view or View())
        func: Callable[[Plan], bytes] = module.render
        return func(plan)


RENDERERS: dict[str, Format] = {
    "md": Format("md", ".md", "markdown", views=True),
    "json": Format("json", ".json", "jsonplan"),
    "csv": Format("csv", ".csv", "csvplan"),
    "ics": Format("ics", ".ics", "ics"),
    "xlsx": Format("xlsx", ".xlsx", "xlsx"),
}


def format_for_path(path: str) -> str | None:
    """The format a file name asks for by its suffix."""
    for fmt in RENDERERS.values():
        if path.lower().endswith(fmt.suffix):
            return fmt.name
    return None
