"""JSON Schema checks of loaded documents, with messages a person can act on."""

from __future__ import annotations

import difflib
import json
import math
from functools import cache
from importlib import resources
from typing import Any

from generator.core.errors import Problem
from generator.kb.loader import Document
from generator.schemas import patterns

SCHEMA_NAMES = ("kb", "rules", "overlay", "ruletests", "facts", "plan")

# Human descriptions of the ID patterns the schemas use.
_PATTERNS = {
    "^[a-z0-9][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)*$":
        "an ID of lowercase letters, digits and `-`, with dots between levels",
    "^[a-z][a-z0-9_]*$": "a snake_case ID (lowercase letters, digits and `_`)",
    "^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*$": "a snake_case name, with dots between levels",
    "^[AB][0-9]+(\\.[0-9]+)*$": "a handbook section ID such as `A1.2` or `B5.1`",
    "^[0-9a-f]{8}$": "8 hexadecimal digits",
    patterns.day(): "a date: write YYYY-MM-DD, as `opsbook plan` does",
}
# How to fill in a required key that is missing, where the key's name alone does not say.
_REQUIRED_HINTS = {
    "effort": "add `effort: N`, the person-days of focused work one occurrence takes (0.25 to 40, "
              "in quarter days; for example `effort: 2`)",
    "staffing": "add `staffing: {dedicated_from: N, covered_by: ROLE}`: from which team size a business "
                "has a person for this role, and which role does its work below that",
}
_TYPES = {"object": "a mapping", "array": "a list", "string": "text", "integer": "a whole number",
          "number": "a number", "boolean": "true or false", "null": "nothing"}


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("generator.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator  # imported here: only validation needs it

    return Draft202012Validator(load_schema(name))


def check(doc: Document, schema: str | dict[str, Any]) -> list[Problem]:
    """Every schema problem of `doc`, located and explained."""
    if isinstance(schema, str):
        validator = _validator(schema)
    else:
        from jsonschema import Draft202012Validator

        validator = Draft202012Validator(schema)
    if doc.data is None:
        keys = ", ".join(f"`{k}`" for k in sorted(validator.schema.get("properties", {})))
        return [doc.problem((), f"the file is empty: expected a mapping with keys such as {keys}")]
    problems = [p for error in validator.iter_errors(doc.data) for p in _problems(doc, error)]
    problems += _not_finite(doc)
    return sorted(set(problems))


def _not_finite(doc: Document) -> list[Problem]:
    """`.nan` and `.inf` pass a schema's minimum and maximum (every comparison with NaN is false),
    and no playbook value means them: each is a problem where it stands."""
    found: list[Problem] = []
    stack: list[tuple[tuple[str | int, ...], Any]] = [((), doc.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack += (((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack += (((*path, i), v) for i, v in enumerate(value))
        elif isinstance(value, float) and not math.isfinite(value):
            found.append(doc.problem(path, f"`{value}` is not a finite number: give a number such as 2"))
    return found


def _describe(value: Any) -> str:
    for kind, name in (("boolean", bool), ("integer", int), ("number", float), ("string", str),
                       ("array", list), ("object", dict)):
        if isinstance(value, name):
            return _TYPES[kind]
    return "nothing" if value is None else type(value).__name__


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


def _problems(doc: Document, error: Any) -> list[Problem]:
    """One problem per unknown key (jsonschema reports them together), else one."""
    path, value = tuple(error.absolute_path), error.instance
    if error.validator == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(error.schema.get("properties", {}))
        return [_unknown_key(doc, path, key, value, allowed) for key in sorted(set(value) - set(allowed))]
    problem = _problem(doc, error)
    return [problem] if problem else []


def _unknown_key(doc: Document, path: tuple[Any, ...], key: str, value: dict[str, Any], allowed: list[str]) -> Problem:
    if not allowed:
        return doc.problem((*path, key), f"unknown key `{key}`", key=True)
    hint = _suggest(key, allowed) or f" (allowed: {', '.join(allowed)})"
    if value.get(key) is None and " " in key:
        hint += "; a comma in unquoted text inside `{...}` starts a new key: put the text in quotes"
    return doc.problem((*path, key), f"unknown key `{key}`{hint}", key=True)


def _problem(doc: Document, error: Any) -> Problem | None:
    path = tuple(error.absolute_path)
    kind, value, expected = error.validator, error.instance, error.validator_value
    if kind == "required":
        # jsonschema reports each missing key as its own error: name the one this error is about.
        missing = [k for k in expected if f"{k!r} is a required property" == error.message]
        key = missing[0] if missing else expected[0]
        hint = f": {_REQUIRED_HINTS[key]}" if key in _REQUIRED_HINTS else ""
        return doc.problem(path, f"missing required key `{key}`{hint}")
    if kind in ("type", "const"):
        wanted = expected if isinstance(expected, list) else [expected]
        names = " or ".join(_TYPES.get(w, str(w)) for w in wanted)
        return doc.problem(path, f"expected {names}, got {_describe(value)} `{_short(value)}`")
    if kind == "enum":
        choices = [str(c) for c in expected]
        hint = _suggest(str(value), choices)
        return doc.problem(path, f"`{_short(value)}` is not one of: {', '.join(choices)}{hint}")
    if kind == "pattern":
        what = _PATTERNS.get(expected, f"text matching {expected}")
        return doc.problem(path, f"`{_short(value)}` is not {what}")
    if kind == "minProperties":
        keys = ", ".join(f"`{k}`" for k in sorted(error.schema.get("properties", {})))
        examples = f" such as {keys}" if keys else ""
        return doc.problem(path, f"needs at least {expected} key{'s' * (expected != 1)}" + examples)
    if kind == "minItems":
        return doc.problem(path, f"needs at least {expected} entr{'y' if expected == 1 else 'ies'}")
    if kind == "minLength":
        return doc.problem(path, "must not be empty")
    if kind == "uniqueItems":
        dupes = sorted({json.dumps(v, ensure_ascii=False) for v in value if value.count(v) > 1})
        return doc.problem(path, f"lists {', '.join(dupes)} more than once")
    if kind in ("minimum", "maximum"):
        if isinstance(value, float) and not math.isfinite(value):
            return None  # reported once, by _not_finite
        word = "below the minimum" if kind == "minimum" else "above the maximum"
        hint = (": effort is the person-days one occurrence takes, from 0.25 to 40; split bigger work "
                "into several items") if path and path[-1] == "effort" else ""
        return doc.problem(path, f"{_short(value)} is {word} {expected}{hint}")
    if kind == "multipleOf":
        return doc.problem(path, f"{_short(value)} is not a multiple of {expected}: round it to the nearest {expected}")
    if kind == "oneOf" and error.schema.get("properties", {}).keys() >= {"all", "any", "not", "fact"}:
        return _condition_shape(doc, path, value)
    if kind == "not" and path and isinstance(value, dict):
        forbidden = [k for k in error.validator_value.get("required", []) if k in value]
        return doc.problem((*path, *forbidden[:1]), _not_message(error), key=bool(forbidden))
    return doc.problem(path, error.message)


def _condition_shape(doc: Document, path: tuple[Any, ...], cond: dict[str, Any]) -> Problem | None:
    """A rule condition of the wrong shape. The rule checker says what is wrong with a condition
    of no or several kinds, or a fact test without exactly one operator; left here is a
    connective (`all`, `any`, `not`) with an operator beside it, which it would not notice."""
    if not isinstance(cond, dict):
        return None  # the `type` error beside this one names what it is
    kinds = [k for k in ("all", "any", "not", "fact") if k in cond]
    if len(kinds) != 1 or kinds == ["fact"]:
        return None
    stray = sorted(set(cond) - {kinds[0]})
    return doc.problem((*path, stray[0]), f"`{stray[0]}` tests a fact, but this condition is `{kinds[0]}`: "
                                          f"put the test in its own `{{fact: ..., {stray[0]}: ...}}`", key=True)


def _not_message(error: Any) -> str:
    forbidden = error.validator_value.get("required", [])
    if forbidden == ["values"]:
        return "`values` is only allowed on enum and list facts: remove it or change `type`"
    return f"keys {', '.join(forbidden)} are not allowed here"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."
