"""Facts about one client: checked against the KB's fact vocabulary and normalised to the
declared types before any rule sees them."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from generator.core.errors import OpsbookError, Problem, suggest
from generator.core.records import record
from generator.kb.loader import Document, JsonPath, control_character, parse_yaml, read_text
from generator.kb.model import KB, Fact

if TYPE_CHECKING:
    from decimal import Decimal

FactValue = str | int | float | bool | tuple[str, ...]
COUNTRY_EXAMPLES = "CN, US, DE, JP or GB"
MAX_NUMBER = 2**53  # beyond this, numbers lose precision in JSON readers and the rules engine
LATEST_DATE = dt.date(2999, 12, 31)  # a schedule from later would run past the last date Python holds
# Characters YAML allows but that must not reach a name shown in a plan: NEL and the Unicode line
# and paragraph separators (calendars and editors break lines there), zero-width characters and
# the bidirectional controls (they reorder what a reader sees).
HIDDEN_CHARACTERS = re.compile("[\x85\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Facts given as a mapping of ids to numbers, flattened to `kpis.<id>` and `team.<role>`.
MAP_TYPES = ("kpis", "team")
# What a yes/no fact accepts as text besides true and false, after trimming and lower-casing.
BOOL_WORDS = {True: ("true", "yes", "y", "是"), False: ("false", "no", "n", "否")}
# A number given as text (`team_size: "20"`, from a form or a spreadsheet): plain decimals only,
# no exponent, no `_`, no other digits than 0-9, so that the facts schema can say the same.
NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
LANGS = ("zh", "en")  # the values of the `lang` fact, and of every command's --lang
DEFAULT_LANG = "zh"


@record
class ClientFacts:
    """Normalised facts, flat: `industry`, `channels`, `kpis.complaint_rate`, `client.name`..."""

    values: Mapping[str, FactValue]
    source: str = "<facts>"

    @property
    def name(self) -> str:
        return str(self.values.get("client.name", ""))

    @property
    def start_date(self) -> dt.date | None:
        raw = self.values.get("start_date")
        return dt.date.fromisoformat(raw) if isinstance(raw, str) else None

    @property
    def lang(self) -> str | None:
        """The plan language the facts ask for (`lang: en`), if any."""
        raw = self.values.get("lang")
        return raw if isinstance(raw, str) and raw in LANGS else None


def plan_lang(facts: ClientFacts, given: str | None = None) -> str:
    """The language to write a plan in: `given` (the command's --lang) when there is one, else
    the facts' `lang` (the interview records the language it was answered in), else Chinese."""
    return given or facts.lang or DEFAULT_LANG


def load_facts(path: Path, kb: KB, shown: str | None = None) -> ClientFacts:
    """Read, check and normalise a YAML or JSON facts file; raise OpsbookError on any problem."""
    return facts_from_document(facts_document(path, shown), kb)


def facts_document(path: Path, shown: str | None = None) -> Document:
    """A YAML or JSON facts file read and parsed, not yet checked against the vocabulary."""
    shown = shown if shown is not None else str(path)
    return _parse(read_text(path, shown), shown, path.suffix.lower() == ".json")


def facts_from_data(data: Any, kb: KB, shown: str = "<facts>") -> ClientFacts:
    """Check facts given as plain data (a batch line, a rule test case)."""
    return facts_from_document(Document(shown, data), kb)


def facts_from_document(doc: Document, kb: KB) -> ClientFacts:
    if not isinstance(doc.data, dict):
        got = "an empty file" if doc.data is None else f"`{type(doc.data).__name__}`"
        raise OpsbookError(doc.problem((), f"expected a mapping of facts (industry: ..., stage: ...), got {got}"))
    values: dict[str, FactValue] = {}
    problems: list[Problem] = []
    vocabulary = {f.id: f for f in kb.facts}
    for name, path, raw in _flatten(doc.data, vocabulary):
        problems.extend(_one(doc, kb, vocabulary, name, path, raw, values))
    for fact in kb.facts:
        if fact.required and fact.id not in values and not any(p.message.startswith(f"`{fact.id}`") for p in problems):
            choices = f": one of {', '.join(fact.value_ids)}" if fact.values else ""
            problems.append(doc.problem((), f"missing required fact `{fact.id}`{choices}"))
    problems.extend(_team_works(doc, values))
    if problems:
        raise OpsbookError(sorted(problems))
    return ClientFacts(MappingProxyType(dict(sorted(values.items()))), doc.path)


def _team_works(doc: Document, values: Mapping[str, FactValue]) -> Iterator[Problem]:
    """A `team` that names people must name at least one: somebody has to do the plan's work."""
    team = {k: v for k, v in values.items() if k.startswith("team.")}
    if team and not any(isinstance(v, int) and v > 0 for v in team.values()):
        yield doc.problem(("team",), "`team` gives nobody any work (every role has 0 people): give at least one "
                                     "role 1 or more people, or leave `team` out to staff roles from `team_size`")


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object's pairs as a dict; a key given twice is a ValueError (json keeps the last silently)."""
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate key")
    return dict(pairs)


def _parse(text: str, shown: str, is_json: bool) -> Document:
    try:
        return parse_yaml(text, shown)
    except OpsbookError as exc:
        if not is_json or not exc.problems[0].message.startswith("YAML syntax error"):
            raise  # what the YAML reading refuses in JSON text (a control character, a duplicate key...) stands
        as_yaml = exc
    try:
        return Document(shown, json.loads(text, object_pairs_hook=unique_keys))
    except json.JSONDecodeError as exc:
        raise OpsbookError(Problem(shown, exc.lineno, exc.colno, f"JSON syntax error: {exc.msg}")) from None
    except (ValueError, RecursionError):
        raise as_yaml from None  # a duplicate key or too deep nesting: the YAML reading says where


def _flatten(
    data: Mapping[str, Any], vocabulary: Mapping[str, Fact], prefix: JsonPath = ()
) -> Iterator[tuple[str, JsonPath, Any]]:
    """(dotted name, path in the document, value) of every fact, nested keys joined by dots."""
    for key, value in data.items():
        path = (*prefix, key)
        name = ".".join(str(k) for k in path)
        is_group = (
            isinstance(value, dict) and name not in vocabulary and any(f.startswith(name + ".") for f in vocabulary)
        )
        is_map = isinstance(value, dict) and name in vocabulary and vocabulary[name].type in MAP_TYPES
        if is_group:
            yield from _flatten(value, vocabulary, path)
        elif is_map:
            for key, number in value.items():
                yield f"{name}.{key}", (*path, key), number
        else:
            yield name, path, value


def _one(
    doc: Document,
    kb: KB,
    vocabulary: Mapping[str, Fact],
    name: str,
    path: JsonPath,
    raw: Any,
    out: dict[str, FactValue],
) -> Iterator[Problem]:
    fact = vocabulary.get(name)
    if name.startswith("team.") and fact is None:
        role = name[5:]
        if role not in kb.role_by_id:
            hint = suggest(role, kb.role_by_id) or f" (roles: {', '.join(kb.role_by_id)})"
            yield doc.problem(path, f"unknown role `{role}` in `team`{hint}", key=True)
            return
        fact = Fact(name, "integer", kb.role_by_id[role].title, kb.role_by_id[role].summary, (), 0, 100_000,
                    False, False, (), False)
    if name.startswith("kpis.") and fact is None:
        kpi = kb.kpi_by_id.get(name[5:])
        if kpi is None:
            yield doc.problem(path, f"unknown KPI `{name[5:]}`{suggest(name[5:], kb.kpi_by_id)}", key=True)
            return
        fact = Fact(name, "number", kpi.name, kpi.definition, (), kpi.min, kpi.max, False, False, (), False)
    if fact is None:
        known = [f for f in vocabulary if not vocabulary[f].derived]
        yield doc.problem(path, f"unknown fact `{name}`{suggest(name, known)}", key=True)
        return
    if fact.derived:
        yield doc.problem(path, f"`{name}` is derived by the rules, not given: remove it", key=True)
        return
    if raw is None:
        return  # an unanswered question: the fact is absent
    value, problem = normalise(fact, raw)
    if problem:
        yield doc.problem(path, f"`{name}` {problem}")
    elif value is not None:
        out[name] = value


def _written(raw: Any) -> str:
    """A value as the user wrote it in YAML or JSON (`true`, not Python's `True`)."""
    return raw if isinstance(raw, str) else json.dumps(raw, ensure_ascii=False)


@lru_cache(maxsize=1024)  # a batch gives the same few answers over and over
def _as_choice(raw: str) -> str:
    return re.sub(r"[\s\-]+", "_", raw.strip().lower())


def normalise(fact: Fact, raw: Any) -> tuple[FactValue | None, str | None]:
    """(value in its declared type, None) or (None, what is wrong with it)."""
    kind = fact.type
    if kind == "string":
        if not isinstance(raw, str):
            return None, f"expects text, got `{_written(raw)}`"
        code = control_character(raw)
        if code:
            return None, f"contains control character {code}: remove it"
        hidden = HIDDEN_CHARACTERS.search(raw)
        if hidden:
            return None, (f"contains U+{ord(hidden.group()):04X}, an invisible, line-breaking or text-direction "
                          "character that would change how the text shows in plans and calendars: remove it")
        return raw.strip(), None
    if kind == "enum":
        return _enum(fact, raw)
    if kind == "list":
        items = raw if isinstance(raw, list) else [raw]
        chosen: list[str] = []
        for item in items:
            value, problem = _enum(fact, item)
            if problem:
                return None, problem
            chosen.append(str(value))
        return tuple(sorted(set(chosen))), None
    if kind == "bool":
        return _bool(raw)
    if kind in ("integer", "number"):
        return _number(fact, raw)
    if kind == "date":
        day = iso_day(raw) if isinstance(raw, str) else None
        if day is None:
            return None, f"expects a date as YYYY-MM-DD, got `{_written(raw)}`"
        if day > LATEST_DATE:
            return None, f"{day.isoformat()} is too late: give a date up to {LATEST_DATE.isoformat()}"
        return day.isoformat(), None
    if kind == "country":
        return _country(raw)
    if kind in MAP_TYPES:
        return None, f"expects a mapping ({fact.type}: {{id: number, ...}}), got `{_written(raw)}`"
    return None, f"cannot be given directly (type {kind})"


_ISO_DAY = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"  # compiled on first use (re caches it)


def iso_day(text: str) -> dt.date | None:
    """The day `text` writes as YYYY-MM-DD; None for anything else (Python's own reader also
    takes 20270104 and 2027-W01-1, which people do not mean as dates)."""
    if not re.fullmatch(_ISO_DAY, text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _enum(fact: Fact, raw: Any) -> tuple[str | None, str | None]:
    allowed, choice = fact.value_ids, _as_choice(raw) if isinstance(raw, str) else None
    if choice is not None and choice in allowed:
        return choice, None
    hint = suggest(choice, allowed) if choice is not None else ""
    return None, f"value `{_written(raw)}` is not allowed{hint} (allowed: {', '.join(allowed)})"


def _bool(raw: Any) -> tuple[bool | None, str | None]:
    if isinstance(raw, bool):
        return raw, None
    text = str(raw).strip().lower()
    if text in BOOL_WORDS[True]:
        return True, None
    if text in BOOL_WORDS[False]:
        return False, None
    return None, f"expects true or false, got `{_written(raw)}`"


def _number(fact: Fact, raw: Any) -> tuple[int | float | None, str | None]:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return None, f"expects a number, got `{_written(raw)}`"
    if isinstance(raw, str):
        if not NUMBER_TEXT.fullmatch(raw.strip()):
            return None, f"expects a number, got `{_written(raw)}`"
        exact: Decimal | float = _decimal(raw.strip())
    else:
        exact = raw
    if exact != exact or exact in (float("inf"), float("-inf")):
        return None, f"expects a number, got `{_written(raw)}`"
    if not -MAX_NUMBER <= exact <= MAX_NUMBER:
        return None, f"`{_written(raw)[:40]}` is too large: give a number between -2**53 and 2**53"
    if fact.type == "integer" and exact != int(exact):
        return None, f"expects a whole number, got `{_written(raw)}`"
    value: int | float = int(exact) if fact.type == "integer" else float(exact)
    if not in_range(exact, fact.min, fact.max):
        low, high = fact.min, fact.max
        span = f"{_fmt(low)} to {_fmt(high)}" if high is not None else f"at least {_fmt(low)}"
        return None, f"value {raw} is out of range ({span})"
    return value, None


def _decimal(text: str) -> Decimal:
    from decimal import Decimal  # exact: text such as "0.049999999999999999" is below 0.05

    return Decimal(text)


def in_range(value: Decimal | float, low: float | None, high: float | None) -> bool:
    """Whether `value` lies in [low, high]; a number given as text is compared exactly, as the
    facts schema's patterns compare it (bounds as written in the KB: 0.05, not its binary float)."""
    if isinstance(value, float | int):
        return (low is None or value >= low) and (high is None or value <= high)
    return (low is None or value >= _decimal(repr(low))) and (high is None or value <= _decimal(repr(high)))


@cache
def _countries() -> frozenset[str]:
    """The ISO 3166 codes that have a public-holiday calendar."""
    import holidays  # about 40 ms to import: only when a country is given

    return frozenset(holidays.list_supported_countries())


def _country(raw: Any) -> tuple[str | None, str | None]:
    code = raw.strip().upper() if isinstance(raw, str) and raw.strip().isascii() else ""
    if code and code in _countries():
        return code, None
    return None, (f"`{_written(raw)}` is not a country with a working-day calendar: give an ISO 3166 code "
                  f"such as {COUNTRY_EXAMPLES}")


def _fmt(number: float | None) -> str:
    return "" if number is None else f"{number:g}"


# ------------------------------------------------------------------ numbers as people type them
# Words people put after a number, by the unit of what they answer (a KPI's `unit`, or
# `people` for head counts). Only these are understood; any other word makes it no number.
UNIT_WORDS = {
    "people": ("人", "名", "位", "个人", "people", "persons", "person", "staff", "employees", "heads"),
    "times": ("次", "倍", "times", "x", "×"),
    "score": ("分", "points", "point", "pts"),
    "days": ("天", "日", "days", "day"),
}
_SCALES = {"": 1, "k": 1_000, "千": 1_000, "万": 10_000, "亿": 100_000_000}
_TYPED = (r"(?:约|大约|about|around|~|≈)?\s*"  # compiled on first use (re caches it)
          r"(?P<digits>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+)\s*"
          r"(?P<scale>k|千|万|亿)?\s*(?P<percent>%|percent|pct)?\s*(?P<word>.*?)")


class Typed(NamedTuple):
    """A number read from what a person typed; `percent` when it was written as one (`30%`)."""

    number: Decimal
    percent: bool


def typed_number(text: str, unit: str = "") -> Typed | None:
    """Read `12`, `１２` (full-width), `1,200`, `1.2万`, `30%` (0.3), `−5%` and a unit word of
    `unit` after the number (`12人`, `12 people`, `4次`); None when the text is no such number.
    Exact decimal arithmetic: `3.5%` is 0.035, not 0.035000000000000003."""
    from decimal import Decimal, InvalidOperation  # only the interview reads typed numbers

    flat = unicodedata.normalize("NFKC", text).replace("\u2212", "-").strip().casefold()
    found = re.fullmatch(_TYPED, flat)
    if found is None:
        return None
    word = found["word"].strip()
    if word and word not in UNIT_WORDS.get(unit, ()):
        return None
    try:
        number = Decimal(found["digits"].replace(",", "")) * _SCALES[found["scale"] or ""]
    except InvalidOperation:
        return None
    percent = found["percent"] is not None
    return Typed(number / 100 if percent else number, percent)
