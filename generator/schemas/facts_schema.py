"""The facts schema, derived from the KB's fact vocabulary and from the very definitions the facts
loader (generator/facts/client.py) normalises with: what one accepts, the other accepts.

A facts file may leave any question unanswered (`null`), write a choice as people do
(`Food Service`), a yes/no as `yes` or `是`, a number as text (`"20"`), one choice where a list is
expected; the schema says so, with patterns rather than a looser type."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from generator.facts.client import BOOL_WORDS, HIDDEN_CHARACTERS, MAP_TYPES, MAX_NUMBER, NUMBER_TEXT, _countries
from generator.kb.loader import control_character
from generator.kb.model import KB, Fact
from generator.schemas import patterns

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"
FACTS_ID = "https://opsbook.dev/schemas/facts.schema.json"
_INTEGER_TEXT = r"[+-]?(?:[0-9]+(?:\.0*)?|\.0+)"  # a whole number as text: no fraction but zeros
_NULL = {"type": "null"}


def facts_schema(kb: KB) -> dict[str, Any]:
    """A JSON Schema for facts files, made from the fact vocabulary."""
    props: dict[str, Any] = {}
    defs: dict[str, Any] = {}
    for fact in kb.facts:
        if fact.derived:
            continue
        *groups, last = fact.id.split(".")
        target = props
        for part in groups:
            group = target.setdefault(part, {"type": "object", "additionalProperties": False, "properties": {}})
            if fact.required:
                group.setdefault("required", []).append(last)
            target = group["properties"]
        target[last] = _fact_schema(fact, kb, defs)
    required = sorted({f.id.split(".")[0] for f in kb.facts if f.required and not f.derived})
    return {"$schema": SCHEMA_URI, "$id": FACTS_ID, "title": "opsbook client facts",
            "description": "A client's facts file (YAML or JSON), as `opsbook plan` reads it. Leave a question "
                           "unanswered with an empty value; choices are matched without regard to case.",
            "type": "object", "additionalProperties": False, "required": required, "properties": props,
            "$defs": dict(sorted(defs.items()))}


def _fact_schema(fact: Fact, kb: KB, defs: dict[str, Any]) -> dict[str, Any]:
    about = {"title": fact.label.en, "description": fact.help.en}
    core = _value_schema(fact, kb, defs)
    if fact.required:
        return {**about, **core}
    return {**about, "anyOf": [_NULL, core]}


def _value_schema(fact: Fact, kb: KB, defs: dict[str, Any]) -> dict[str, Any]:
    kind = fact.type
    if kind == "string":
        return {"type": "string", "pattern": f"^[^{_refused_text()[1:-1]}]*$"}
    if kind == "enum":
        return _choice(fact.value_ids)
    if kind == "list":
        one = _choice(fact.value_ids)
        return {"anyOf": [one, {"type": "array", "items": one}]}
    if kind == "bool":
        words = [patterns.folded(w) for flag in (True, False) for w in BOOL_WORDS[flag]]
        return {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": patterns.trimmed("|".join(words))}]}
    if kind in ("integer", "number"):
        return number_ref(defs, kind == "integer", fact.min, fact.max)
    if kind == "date":
        return {"type": "string", "format": "date", "pattern": patterns.DAY}
    if kind == "country":
        codes = sorted(_countries())
        return {"type": "string", "pattern": patterns.trimmed("|".join(patterns.ascii_folded(c) for c in codes)),
                "examples": ["CN", "US", "DE"]}
    if kind in MAP_TYPES:
        return _kpis(kb, defs) if kind == "kpis" else _team(kb, defs)
    raise ValueError(f"fact type {kind} has no schema")


def _choice(values: tuple[str, ...]) -> dict[str, Any]:
    """A choice as the loader reads it: trimmed, any case, `-` or spaces for `_`."""
    gap = f"(?:_|(?:{patterns.space()}|\\x2d)+)"
    alts = ["".join(gap if c == "_" else patterns.folded(c) for c in value) for value in values]
    return {"type": "string", "pattern": patterns.trimmed("|".join(alts)), "examples": list(values)}


def number_schema(integer: bool, low: float | None, high: float | None) -> dict[str, Any]:
    """A number within [low, high] (and within ±2**53), as a number or as decimal text."""
    lowest = max(Decimal(repr(low)), Decimal(-MAX_NUMBER)) if low is not None else Decimal(-MAX_NUMBER)
    highest = min(Decimal(repr(high)), Decimal(MAX_NUMBER)) if high is not None else Decimal(MAX_NUMBER)
    grammar = _INTEGER_TEXT if integer else NUMBER_TEXT.pattern
    text = {"type": "string", "allOf": [{"pattern": patterns.trimmed(p)} for p in (
        grammar, patterns.number_at_least(lowest), patterns.number_at_most(highest))]}
    number = {"type": "integer" if integer else "number", "minimum": _plain(lowest), "maximum": _plain(highest)}
    return {"anyOf": [number, text]}


def number_ref(defs: dict[str, Any], integer: bool, low: float | None, high: float | None) -> dict[str, Any]:
    """A reference to number_schema(...) in `defs`, which many facts and KPIs share."""
    name = f"{'integer' if integer else 'number'}-from-{_fmt(low)}-to-{_fmt(high)}"
    defs.setdefault(name, number_schema(integer, low, high))
    return {"$ref": f"#/$defs/{name}"}


def _fmt(bound: float | None) -> str:
    return "any" if bound is None else f"{Decimal(repr(bound)).normalize():f}".replace("-", "minus")


def _plain(bound: Decimal) -> int | float:
    return int(bound) if bound == int(bound) else float(bound)


def _kpis(kb: KB, defs: dict[str, Any]) -> dict[str, Any]:
    props = {k.id: {"title": k.name.en, "anyOf": [_NULL, number_ref(defs, False, k.min, k.max)]} for k in kb.kpis}
    return {"type": "object", "additionalProperties": False, "properties": props}


def _team(kb: KB, defs: dict[str, Any]) -> dict[str, Any]:
    """People per role, of whom at least one role has somebody (unless every answer is blank)."""
    people, somebody_ = number_ref(defs, True, 0, 100_000), number_ref(defs, True, 1, 100_000)
    props = {r.id: {"title": r.title.en, "anyOf": [_NULL, people]} for r in kb.roles}
    somebody = [{"required": [r.id], "properties": {r.id: somebody_}} for r in kb.roles]
    return {"type": "object", "additionalProperties": False, "properties": props,
            "anyOf": [{"additionalProperties": _NULL}, *somebody]}


def _refused_text() -> str:
    """The characters a text fact refuses: control characters and invisible or line-breaking ones."""
    return patterns.refused_characters(
        lambda c: control_character(c) is not None or HIDDEN_CHARACTERS.search(c) is not None)

