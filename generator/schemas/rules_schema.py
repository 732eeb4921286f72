"""The rule-file schema, from the operator table (generator/rules/operators.py) and the shape the
rule checker holds conditions to: a condition is exactly one of `all`, `any`, `not`, or a fact
test of `fact` and exactly one operator."""

from __future__ import annotations

from typing import Any

from generator.kb.model import CADENCES, PRIORITIES
from generator.rules.operators import schema_properties

RULES_ID = "https://opsbook.dev/schemas/rules.schema.json"
SLUG = "^[a-z0-9][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)*$"
FACT_PATH = "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$"
CONNECTIVES = ("all", "any", "not")
_SLUGS = {"type": "array", "uniqueItems": True, "items": {"$ref": "#/$defs/slug"}}


def rules_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": RULES_ID,
        "title": "opsbook rule file",
        "description": "Declarative rules that turn facts about a client into plan items. Files in rules/base/, "
                       "rules/packs/<name>/ and client overlays.",
        "type": "object", "additionalProperties": False, "minProperties": 1,
        "properties": {
            "rules": {"type": "array", "items": {"$ref": "#/$defs/rule"}},
            "items": {"description": "Overlay only: checklist items that exist only for this client, attached "
                                     "to a KB step.", "type": "array", "items": {"$ref": "#/$defs/client_item"}},
        },
        "$defs": {
            "slug": {"type": "string", "pattern": SLUG},
            "fact_path": {"type": "string", "pattern": FACT_PATH},
            "text": {"type": "object", "additionalProperties": False, "required": ["zh", "en"], "properties": {
                "zh": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1},
                "en_src": {"type": "string", "pattern": "^[0-9a-f]{8}$"}}},
            "scalar": {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]},
            "scalars": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/scalar"}},
            "priority": {"enum": list(PRIORITIES)},
            "condition": condition(),
            "action": _action(),
            "rule": _rule(),
            "client_item": _client_item(),
        },
    }


def condition() -> dict[str, Any]:
    """A condition: its keys, each operator's value as the operator table gives it, and the shape."""
    connective = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}}
    properties = {"all": connective, "any": connective, "not": {"$ref": "#/$defs/condition"},
                  "fact": {"$ref": "#/$defs/fact_path"}, **schema_properties()}
    one_of = [{"required": [key], "properties": {key: True}, "maxProperties": 1} for key in CONNECTIVES]
    one_of.append({"description": "A fact test: `fact` and exactly one operator.", "required": ["fact"],
                   "properties": {"fact": True, **{key: False for key in CONNECTIVES}},
                   "minProperties": 2, "maxProperties": 2})
    return {"type": "object", "description": "Exactly one of `all`, `any`, `not`, or a fact test.",
            "additionalProperties": False, "properties": properties, "oneOf": one_of}


def _action() -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "minProperties": 1, "properties": action_properties()}


def action_properties() -> dict[str, Any]:
    """The parts of a rule's `then`; references are to `#/$defs/slug`, `#/$defs/priority` and
    `#/$defs/fact_path`, which a schema using them defines."""
    return {
        "include": {**_SLUGS, "description": "Step IDs (all their items) or checklist item IDs."},
        "exclude": {**_SLUGS, "description": "Step or item IDs removed from the plan; wins over include."},
        "priority": {"$ref": "#/$defs/priority"},
        "set": {"description": "Derived facts other rules can match.", "type": "object", "minProperties": 1,
                "propertyNames": {"$ref": "#/$defs/fact_path"}, "additionalProperties": {"$ref": "#/$defs/scalar"}},
    }


def _rule() -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False, "required": ["id", "title", "then"], "properties": {
        "id": {"$ref": "#/$defs/slug"}, "title": {"$ref": "#/$defs/text"},
        "description": {"$ref": "#/$defs/text"}, "when": {"$ref": "#/$defs/condition"},
        "then": {"$ref": "#/$defs/action"},
        "sources": {"type": "array", "items": {"type": "string", "pattern": "^[AB][0-9]+(\\.[0-9]+)*$"}},
    }}


def _client_item() -> dict[str, Any]:
    return {"type": "object", "additionalProperties": False,
            "required": ["id", "step", "title", "done_when", "owner", "due_days", "effort"], "properties": {
                "id": {"$ref": "#/$defs/slug"}, "step": {"$ref": "#/$defs/slug"}, "title": {"$ref": "#/$defs/text"},
                "done_when": {"$ref": "#/$defs/text"}, "owner": {"$ref": "#/$defs/slug"},
                "due_days": {"type": "integer", "minimum": 0, "maximum": 1095},
                "effort": {"description": "Person-days of focused work for one occurrence, in quarter days.",
                           "type": "number", "minimum": 0.25, "maximum": 40},
                "cadence": {"enum": list(CADENCES)}, "evidence": {"$ref": "#/$defs/text"},
                "depends_on": _SLUGS}}
