"""Reading the plans `opsbook diff` compares: JSON plans opsbook wrote, by this version or an
earlier one (before plans carried a schedule: `start`, `effort_days`, `capacity`, `calendar`).

Everything refused is a located problem: what is not JSON at all (a Markdown plan) says how
to write a JSON plan, and a date that is no date (`9999-99-99`) is refused where it stands.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from generator.core.errors import OpsbookError, Problem
from generator.kb import schema
from generator.kb.loader import Document, JsonPath, parse_json, parse_yaml, read_text
from generator.plan.model import MAX_PLAN_BYTES

HINT = "write one with `opsbook plan FACTS --format json`"
# Keys a plan of an earlier version may lack; every other key of the plan schema stays required.
SCHEDULE_KEYS = frozenset({"calendar", "capacity"})
SCHEDULE_ITEM_KEYS = frozenset({"start", "effort_days"})


@cache
def plan_schema() -> dict[str, Any]:
    """The plan schema, with the keys plans gained with their schedule made optional."""
    data = copy.deepcopy(schema.load_schema("plan"))
    data["required"] = [key for key in data["required"] if key not in SCHEDULE_KEYS]
    item = data["$defs"]["item"]
    item["required"] = [key for key in item["required"] if key not in SCHEDULE_ITEM_KEYS]
    return data


def read_plan(path: Path) -> dict[str, Any]:
    shown = str(path)
    text = read_text(path, shown, MAX_PLAN_BYTES, "is this a plan opsbook wrote?", "a plan in JSON")
    data = _parse(text, shown)
    if not isinstance(data, dict) or data.get("format") != "opsbook-plan/1" or not isinstance(data.get("items"), list):
        raise OpsbookError(Problem(shown, 1, 1, "not an opsbook plan: make it with `opsbook plan FACTS --format json`"))
    if _problems(Document(shown, data)):  # a damaged plan: read it again, slowly, only to say where
        raise OpsbookError(_problems(_located(text, shown, data)))
    return data


def _parse(text: str, shown: str) -> Any:
    try:
        return parse_json(text, shown)
    except OpsbookError:
        start = text.lstrip()[:1]
        if start and start not in "{[":  # no JSON at all: a Markdown or CSV plan, facts in YAML...
            raise OpsbookError(Problem(shown, 1, 1, f"{Path(shown).name} is not a JSON plan: {HINT}")) from None
        raise


def _problems(doc: Document) -> list[Problem]:
    problems = schema.check(doc, plan_schema())
    return problems or list(_bad_dates(doc))


def _bad_dates(doc: Document) -> Iterator[Problem]:
    """Dates the schema's pattern lets through but no calendar has (`2026-13-45`)."""
    for path in _date_paths(doc.data):
        value = _at(doc.data, path)
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            yield doc.problem(path, f"`{value}` is not a date: write YYYY-MM-DD, as `opsbook plan` does")


def _date_paths(data: dict[str, Any]) -> Iterator[JsonPath]:
    yield ("start_date",)
    if isinstance(data.get("fit"), dict) and "short_horizon_by" in data["fit"]:
        yield ("fit", "short_horizon_by")
    for i, item in enumerate(data["items"]):
        yield from ((("items", i, key)) for key in ("start", "due") if key in item)


def _at(data: Any, path: JsonPath) -> Any:
    for key in path:
        data = data[key]
    return data


def _located(text: str, shown: str, data: dict[str, Any]) -> Document:
    """The plan with the line and column of every value, when the YAML reader can read it."""
    try:
        doc = parse_yaml(text, shown)
    except OpsbookError:
        return Document(shown, data)
    return doc if doc.data == data else Document(shown, data)
