"""Renderers over one plan object, one module per output format, in a registry."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from generator.plan.model import Plan


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    module: str  # loaded on first use, so openpyxl stays off the path of other formats

    def render(self, plan: Plan) -> bytes:
        func: Callable[[Plan], bytes] = importlib.import_module(f"generator.render.{self.module}").render
        return func(plan)


RENDERERS: dict[str, Format] = {
    "md": Format("md", ".md", "markdown"),
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
