"""The rule test case schema, from the definitions `opsbook rules test` uses: each case's `facts`
is a facts file as the facts schema (facts_schema.py here, from the KB's fact vocabulary) states it,
embedded; expectations name steps, items and rules by their IDs, and priorities by the plan's levels."""

from __future__ import annotations

from functools import cache
from typing import Any

from generator.kb.model import KB, PRIORITIES
from generator.schemas.facts_schema import facts_schema
from generator.schemas.rules_schema import SLUG

RULETESTS_ID = "https://opsbook.dev/schemas/ruletests.schema.json"
FACTS = "facts"  # the $defs entry holding the facts schema
_SLUGS = {"type": "array", "uniqueItems": True, "items": {"$ref": "#/$defs/slug"}}


def ruletests_schema(kb: KB) -> dict[str, Any]:
    facts = facts_schema(kb)
    facts_defs = facts.pop("$defs")
    own = {"slug": {"type": "string", "pattern": SLUG}, "priority": {"enum": list(PRIORITIES)},
           FACTS: {key: value for key, value in facts.items() if key not in ("$schema", "$id")}}
    assert own.keys().isdisjoint(facts_defs), "a facts schema definition shares a name with this schema's own"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": RULETESTS_ID,
        "title": "opsbook rule test cases",
        "description": "Rule test cases (rules/tests/*.yaml, or tests/ inside an overlay folder): facts in, "
                       "expected plan contents out. `opsbook rules test` runs them.",
        "type": "object", "additionalProperties": False, "required": ["cases"],
        "properties": {
            "overlays": {"description": "Overlay folders (relative to this file) applied to every case.",
                         "type": "array", "uniqueItems": True, "items": {"type": "string", "minLength": 1}},
            "cases": {"type": "array", "minItems": 1, "items": _case()},
        },
        "$defs": {**own, **facts_defs},
    }


def _case() -> dict[str, Any]:
    expect = {
        "include": {**_SLUGS, "description": "Steps (all their items) or items the plan holds."},
        "exclude": {**_SLUGS, "description": "Steps (none of their items) or items the plan leaves out."},
        "priority": {"description": "Step or item ID -> the priority its items have.", "type": "object",
                     "propertyNames": {"$ref": "#/$defs/slug"}, "additionalProperties": {"$ref": "#/$defs/priority"}},
        "fired": {**_SLUGS, "description": "Rules that fire."},
        "not_fired": {**_SLUGS, "description": "Rules that do not fire."},
    }
    return {"type": "object", "additionalProperties": False, "required": ["name", "facts", "expect"], "properties": {
        "name": {"type": "string", "minLength": 1},
        "facts": {"$ref": f"#/$defs/{FACTS}"},
        "expect": {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": expect},
    }}


@cache
def case_shape() -> dict[str, Any]:
    """The shipped ruletests schema with each case's facts left to the facts loader, which reads them
    next and says more than a schema can (which fact, which values it takes); the facts schema
    accepts exactly what that loader accepts."""
    from generator.kb.schema import load_schema

    shipped = load_schema("ruletests")
    return {**shipped, "$defs": {**shipped["$defs"], FACTS: {"type": "object"}}}
