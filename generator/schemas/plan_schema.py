"""The plan schema (`opsbook-plan/1`), from the vocabularies the planner and the JSON writer use:
strict (no key the writer does not write), with dates that are calendar days."""

from __future__ import annotations

from typing import Any

from generator.facts.client import LANGS
from generator.kb.model import DOMAINS, HORIZONS, PHASES, PRIORITIES
from generator.plan.model import FORMAT
from generator.schemas import patterns

PLAN_ID = "https://opsbook.dev/schemas/plan.schema.json"
_TEXT = {"type": "string"}
_TEXTS = {"type": "array", "items": _TEXT}
_DATE = {"$ref": "#/$defs/date"}


def _record(required: list[str], properties: dict[str, Any], **about: Any) -> dict[str, Any]:
    """An object with exactly these keys (those in `required` always there)."""
    return {"type": "object", **about, "additionalProperties": False, "required": required, "properties": properties}


def _map(values: dict[str, Any], **about: Any) -> dict[str, Any]:
    """An object whose keys are ids (owners, facts) and whose values all look alike."""
    return {"type": "object", **about, "additionalProperties": values}


def plan_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": PLAN_ID,
        "title": f"opsbook plan ({FORMAT})",
        "description": "A tailored, dated, owned and explained action plan for one client.",
        **_record(["format", "client", "start_date", "lang", "layers", "kb_digest", "calendar", "capacity", "items"],
                  _top()),
        "$defs": {"date": {"type": "string", "format": "date", "pattern": patterns.day()},
                  "priority": {"enum": list(PRIORITIES)}, "reason": _reason(), "item": _item()},
    }


def _top() -> dict[str, Any]:
    return {
        "format": {"const": FORMAT},
        "client": _record(["name"], {"name": _TEXT, "note": _TEXT}),
        "start_date": _DATE,
        "lang": {"enum": list(LANGS)},
        "layers": {"type": "array", "minItems": 1, "items": _TEXT},
        "kb_digest": {"type": "string", "pattern": "^sha256:[0-9a-f]{64}$"},
        "facts": _map({}, description="The normalised facts the plan was made from (flat, dotted names)."),
        "derived": _map({}, description="Facts the rules derived."),
        "calendar": _record(["country"], {"country": {"type": "string", "pattern": "^[A-Z]{2}$"}},
                            description="The working-day calendar the schedule follows: weekends, public holidays "
                                        "and adjusted working days of the country."),
        "capacity": _map({"type": "number", "exclusiveMinimum": 0},
                         description="Person-days of plan work per working day, per owner (people behind the role "
                                     "times their share of time)."),
        "staffing": _record(["share", "people"], {
            "share": {"type": "number", "exclusiveMinimum": 0, "maximum": 1,
                      "description": "Share of each person's working day given to plan work."},
            "people": _map({"type": "integer", "minimum": 1})}, description="How the capacity was worked out."),
        "fit": _record(["short_horizon_by", "late_short_work", "recurring_beyond_capacity"], {
            "short_horizon_by": {**_DATE, "description": "Short-horizon work belongs before this working day "
                                                          "(90 days after the start)."},
            "late_short_work": _map({"type": "number", "minimum": 0}, description=(
                "Per owner: person-days of short-horizon work that only fits after short_horizon_by.")),
            "recurring_beyond_capacity": {**_TEXTS, "description": (
                "Recurring items whose steady load does not fit their owner's time: their first occurrence is "
                "scheduled, later ones need more people or a slower cadence.")}},
            description="What does not fit the team's time."),
        "targets": {"type": "array", "description": (
            "KPI targets (plans of earlier versions may lack this key): for each KPI a rule in the plan flagged "
            "(compared with a level and found on its bad side), the client's value, the level to reach (the far "
            "side of the strictest level flagged), the date to reach it by (the due date of the latest one-off "
            "work that rule put in the plan for the KPI) and the rule. Soonest first."), "items": _target()},
        "items": {"type": "array", "items": {"$ref": "#/$defs/item"}},
        "excluded": {"type": "array", "items": _record(["id", "excluded_by"], {
            "id": _TEXT, "title": _TEXT,
            "excluded_by": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/reason"}}})},
    }


def _target() -> dict[str, Any]:
    return _record(["kpi", "current", "op", "target", "date", "item", "rule", "layer", "title"], {
        "kpi": {**_TEXT, "description": "The KPI's id (`kpis.<id>` in the facts)."},
        "current": {"type": ["number", "null"],
                    "description": "The client's current value; null when the facts do not give it."},
        "op": {"enum": ["ge", "gt", "le", "lt"],
               "description": "How the value should compare with `target`: ge means at least the target."},
        "target": {"type": "number"},
        "date": {**_DATE, "description": "A working day of the schedule: the due date of `item`."},
        "item": {**_TEXT, "description": "The plan item whose due date is the date."},
        "rule": {**_TEXT, "description": "The rule whose level is the target."},
        "layer": _TEXT,
        "title": {**_TEXT, "description": "The rule's title, in the plan's language."},
    })


def _reason() -> dict[str, Any]:
    matched = _record(["fact", "op", "value", "actual"], {"fact": _TEXT, "op": _TEXT, "value": {}, "actual": {}})
    return _record(["rule", "layer", "matched"], {"rule": _TEXT, "layer": _TEXT, "title": _TEXT,
                                                  "matched": {"type": "array", "items": matched}})


def _item() -> dict[str, Any]:
    return _record(
        ["id", "step", "phase", "domain", "title", "owner", "priority", "horizon", "start", "due", "effort_days",
         "recurrence", "depends_on", "kpis", "because", "done"],
        {"id": _TEXT, "step": _TEXT, "step_title": _TEXT, "phase": {"enum": list(PHASES)},
         "domain": {"enum": list(DOMAINS)}, "title": _TEXT, "done_when": _TEXT,
         "owner": {**_TEXT, "description": "The role that really does the work for this client (after staffing "
                                           "fallbacks)."},
         "owner_title": _TEXT,
         "owner_role": {**_TEXT, "description": "The playbook's role for the item, only where the real owner "
                                                "covers for it."},
         "owner_role_title": _TEXT,
         "priority": {"$ref": "#/$defs/priority"}, "horizon": {"enum": list(HORIZONS)},
         "start": {**_DATE, "description": "The working day work on the item begins."},
         "due": _DATE,
         "effort_days": {"type": "number", "minimum": 0,
                         "description": "Person-days of focused work for one occurrence."},
         "recurrence": {"type": ["string", "null"],
                        "description": "How the item repeats (an iCalendar RRULE such as FREQ=WEEKLY), or null."},
         "depends_on": _TEXTS, "kpis": _TEXTS,
         "because": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/reason"}},
         "done": {"type": "boolean"}})
