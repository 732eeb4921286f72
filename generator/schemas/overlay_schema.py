"""The overlay schema (overlay.yaml), from the definitions the layer loader and the rules schema
use: rule IDs are rule IDs, layer names are `base` or `packs/<name>`, and an override replaces the
parts of a rule's `then` that an overlay may change, each as the rules schema states it."""

from __future__ import annotations

from typing import Any

from generator.kb.model import PRIORITIES
from generator.rules.layer_files import OVERRIDABLE
from generator.schemas.rules_schema import SLUG, action_properties

OVERLAY_ID = "https://opsbook.dev/schemas/overlay.schema.json"
LAYER_NAME = "^(base|packs/[a-z0-9][a-z0-9-]*)$"


def overlay_schema() -> dict[str, Any]:
    then = action_properties()
    rule_ids = {"type": "array", "uniqueItems": True, "items": {"$ref": "#/$defs/slug"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": OVERLAY_ID,
        "title": "opsbook client overlay (overlay.yaml)",
        "description": "How a client's overlay folder changes the rule layers it extends.",
        "type": "object", "additionalProperties": False,
        "properties": {
            "client": {"type": "string", "minLength": 1},
            "extends": {"description": "Rule layers this overlay builds on, in order: `base`, `packs/<name>`.",
                        "type": "array", "minItems": 1, "uniqueItems": True,
                        "items": {"type": "string", "pattern": LAYER_NAME}},
            "disable": {**rule_ids, "description": "Rule IDs of earlier layers that this client does not use."},
            "override": {"description": f"Rule ID -> replacement parts of its `then` ({', '.join(OVERRIDABLE)}).",
                         "type": "object", "propertyNames": {"$ref": "#/$defs/slug"},
                         "additionalProperties": {"type": "object", "additionalProperties": False,
                                                  "minProperties": 1,
                                                  "properties": {key: then[key] for key in OVERRIDABLE}}},
        },
        "$defs": {"slug": {"type": "string", "pattern": SLUG}, "priority": {"enum": list(PRIORITIES)}},
    }
