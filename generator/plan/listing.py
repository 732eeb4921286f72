"""What the playbook holds, for consultants: `opsbook list KIND`.

`listing` gives one entry per element as plain values, in the playbook's order; `as_json` and
`as_text` write them. The JSON (`opsbook-list/1`) is a contract: its keys only ever grow.

    {"format": "opsbook-list/1", "kind": "rules", "lang": "zh", "layers": ["base", ...],
     "entries": [{"id": ..., "name": ..., "where": "file:line", ...}]}

Every entry has `id`, `name` (in `lang`) and `where` (the file and line that define it);
besides them:

- roles: `summary`, `dedicated_from` (team size from which the role has its own people),
  `covered_by` (the role doing its work below that size, or null)
- steps: `phase`, `domain`, `horizon`, `items` (item IDs)
- items: `step`, `owner` (role ID), `effort` (person-days), `cadence`, `layer` ("kb", or the
  rule layer that adds the item for one client)
- rules: `layer`, `always` (true: the rule has no condition), `reads` (facts its condition
  reads), `include`, `exclude` (step or item IDs), `priority` (or null), `set` (derived facts)
- facts: `type`, `values` (`[{id, name}]` for enum and list facts), `min`, `max`, `required`,
  `derived` (set by rules, not given)
- kpis: `unit`, `direction`, `min`, `max`, `warning`, `critical`, `domain`
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from generator.kb.documents import shown_path
from generator.kb.model import KB, Fact, Item, Kpi, Loc, Role, Step
from generator.plan.playbook import Playbook
from generator.plan.wording import show
from generator.rules.layer_files import layer_name
from generator.rules.model import Rule, facts_read
from generator.words import LANGS, section

FORMAT = "opsbook-list/1"
KINDS = ("roles", "steps", "items", "rules", "facts", "kpis")
Entry = dict[str, Any]


def _where(loc: Loc | None) -> str:
    return f"{loc[0]}:{loc[1]}" if loc and loc[0] else ""


def _role(role: Role, lang: str) -> Entry:
    return {"id": role.id, "name": role.title(lang), "where": _where(role.loc), "summary": role.summary(lang),
            "dedicated_from": role.dedicated_from, "covered_by": role.covered_by}


def _step(step: Step, lang: str) -> Entry:
    return {"id": step.id, "name": step.title(lang), "where": _where(step.loc), "phase": step.phase,
            "domain": step.domain, "horizon": step.horizon, "items": [i.id for i in step.items]}


def _item(item: Item, lang: str, layer: str) -> Entry:
    return {"id": item.id, "name": item.title(lang), "where": _where(item.loc), "step": item.step,
            "owner": item.owner, "effort": item.effort, "cadence": item.cadence, "layer": layer}


def _rule(rule: Rule, lang: str) -> Entry:
    then = rule.then
    return {"id": rule.id, "name": rule.title_en if lang == "en" else rule.title_zh, "where": _where(rule.location),
            "layer": rule.layer, "always": rule.when is None, "reads": sorted(facts_read(rule)),
            "include": list(then.include), "exclude": list(then.exclude), "priority": then.priority,
            "set": {name: _plain(value) for name, value in then.set}}


def _fact(fact: Fact, lang: str) -> Entry:
    return {"id": fact.id, "name": fact.label(lang), "where": _where(fact.loc), "type": fact.type,
            "values": [{"id": v.id, "name": v.label(lang)} for v in fact.values], "min": fact.min, "max": fact.max,
            "required": fact.required, "derived": fact.derived}


def _kpi(kpi: Kpi, lang: str) -> Entry:
    return {"id": kpi.id, "name": kpi.name(lang), "where": _where(kpi.loc), "unit": kpi.unit,
            "direction": kpi.direction, "min": kpi.min, "max": kpi.max, "warning": kpi.warning,
            "critical": kpi.critical, "domain": kpi.domain}


def _plain(value: object) -> object:
    return [_plain(v) for v in value] if isinstance(value, tuple) else value


def _layer_folders(playbook: Playbook, rules_dir: Path, overlays: Sequence[Path]) -> dict[str, str]:
    """Shown folder -> the rule layer it holds, to say which layer adds a client's own item."""
    folders = {shown_path(folder): layer_name(folder, rules_dir) for folder in overlays}
    given = set(folders.values())
    folders.update({shown_path(rules_dir / name): name for name in playbook.ruleset.layers if name not in given})
    return folders


def _layer_of(path: str, folders: dict[str, str]) -> str:
    """The layer whose folder holds `path` (the deepest such folder)."""
    holding = [folder for folder in folders if path.startswith(folder.rstrip(os.sep) + os.sep)]
    return folders[max(holding, key=len)] if holding else ""


def _items(playbook: Playbook, lang: str, rules_dir: Path, overlays: Sequence[Path]) -> list[Entry]:
    folders = _layer_folders(playbook, rules_dir, overlays)
    own = [_item(item, lang, _layer_of(item.loc[0], folders)) for item in playbook.ruleset.items]
    return [_item(item, lang, "kb") for item in playbook.kb.items] + own


def _kb_entries(kb: KB, kind: str, lang: str) -> list[Entry]:
    makers: dict[str, tuple[Callable[[Any, str], Entry], Iterable[Any]]] = {
        "roles": (_role, kb.roles), "steps": (_step, kb.steps), "facts": (_fact, kb.facts), "kpis": (_kpi, kb.kpis)}
    make, elements = makers[kind]
    return [make(element, lang) for element in elements]


def listing(kind: str, playbook: Playbook, lang: str, rules_dir: Path, overlays: Sequence[Path] = ()) -> Entry:
    """The `opsbook-list/1` listing of `kind` (one of KINDS) in `lang`."""
    if kind == "rules":
        entries = [_rule(rule, lang) for rule in playbook.ruleset.rules]
    elif kind == "items":
        entries = _items(playbook, lang, rules_dir, overlays)
    else:
        entries = _kb_entries(playbook.kb, kind, lang)
    return {"format": FORMAT, "kind": kind, "lang": lang, "layers": list(playbook.ruleset.layers),
            "entries": entries}


def as_json(data: Entry) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


# ------------------------------------------------------------------ text


def _range(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return ""
    if high is None:
        return f"≥ {show(low)}"
    return f"≤ {show(high)}" if low is None else f"{show(low)} … {show(high)}"


# The words of the text lines, per language (`listing.*` in the catalogues, generator/words).
WORDS = {lang: section(lang, "listing") for lang in LANGS}


def _fact_values(entry: Entry, words: dict[str, str]) -> str:
    if entry["values"]:
        return ", ".join(v["id"] for v in entry["values"])
    return words.get(entry["type"]) or _range(entry["min"], entry["max"])


def _adds(entry: Entry) -> str:
    """What a rule does, in its YAML's own words: `include a, b; priority high; set x = true`."""
    parts = [f"{key} {', '.join(entry[key])}" for key in ("include", "exclude") if entry[key]]
    if entry["priority"]:
        parts.append(f"priority {entry['priority']}")
    if entry["set"]:
        parts.append("set " + ", ".join(f"{name} = {show(value)}" for name, value in entry["set"].items()))
    return "; ".join(parts)


_DIRECTION = {"higher_is_better": "↑", "lower_is_better": "↓"}

Column = Callable[[Entry, dict[str, str]], str]


def _covered(entry: Entry, words: dict[str, str]) -> str:
    role, size = entry["covered_by"], entry["dedicated_from"]
    return words["covered"].format(role=role, n=size) if role else ""


# kind -> the columns of its text lines, each made from an entry and the words of its language
COLUMNS: dict[str, tuple[Column, ...]] = {
    "roles": (lambda e, w: e["id"], lambda e, w: e["name"], _covered),
    "steps": (lambda e, w: e["id"], lambda e, w: e["name"], lambda e, w: f"{e['domain']}, {e['horizon']}",
              lambda e, w: w["items_n"].format(n=len(e["items"]))),
    "items": (lambda e, w: e["id"], lambda e, w: e["name"], lambda e, w: e["owner"], lambda e, w: e["layer"]),
    "rules": (lambda e, w: e["id"], lambda e, w: e["name"], lambda e, w: e["layer"], lambda e, w: e["where"],
              lambda e, w: _adds(e)),
    "facts": (lambda e, w: e["id"], lambda e, w: e["name"],
              lambda e, w: e["type"] + (w["derived"] if e["derived"] else ""), _fact_values),
    "kpis": (lambda e, w: e["id"], lambda e, w: e["name"],
             lambda e, w: f"{e['unit']} {_DIRECTION.get(e['direction'], '')}", lambda e, w: _range(e["min"], e["max"])),
}


def cells(text: str) -> int:
    """Columns `text` takes on a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def as_text(data: Entry) -> list[str]:
    """One line per entry, its columns aligned (wide characters counted as two columns)."""
    words = WORDS[data["lang"]]
    rows = [[column(entry, words) for column in COLUMNS[data["kind"]]] for entry in data["entries"]]
    widths = [max((cells(row[n]) for row in rows), default=0) for n in range(len(COLUMNS[data["kind"]]))]
    return ["  ".join(text + " " * (widths[n] - cells(text)) for n, text in enumerate(row)).rstrip() for row in rows]
