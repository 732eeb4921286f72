"""Building the frozen model from validated, indexed documents."""

from __future__ import annotations

from typing import Any

from generator.kb.documents import Entry, Index
from generator.kb.model import (
    KB,
    PHASES,
    Band,
    Fact,
    FactValue,
    Handbook,
    Item,
    Kpi,
    Loc,
    Phase,
    Role,
    Section,
    Step,
    Template,
    TemplateField,
    Term,
    Text,
)


def text(data: Any) -> Text:
    return Text(zh=data["zh"], en=data["en"])


def _texts(data: Any) -> tuple[Text, ...]:
    return tuple(text(t) for t in data or ())


def _opt(data: Any) -> Text | None:
    return text(data) if data else None


def _loc(entry: Entry) -> Loc:
    line, col = entry.doc.at(entry.path)
    return (entry.doc.path, line, col)


def _common(entry: Entry) -> dict[str, Any]:
    return {"id": entry.id, "sources": tuple(entry.data.get("sources", ())),
            "completion": bool(entry.data.get("completion", False)), "loc": _loc(entry)}


def _item(entry: Entry, step: str) -> Item:
    d = entry.data
    return Item(step=step, title=text(d["title"]), done_when=text(d["done_when"]), owner=d["owner"],
                due_days=d["due_days"], effort=float(d["effort"]), cadence=d.get("cadence", "once"),
                evidence=_opt(d.get("evidence")),
                depends_on=tuple(d.get("depends_on", ())), templates=tuple(d.get("templates", ())),
                work=d.get("work"), **_common(entry))


def _step(entry: Entry) -> Step:
    d = entry.data
    items = tuple(_item(Entry("item", entry.doc, (*entry.path, "items", j), raw), entry.id)
                  for j, raw in enumerate(d["items"]))
    return Step(phase=d["phase"], domain=d["domain"], title=text(d["title"]), purpose=text(d["purpose"]),
                horizon=d["horizon"], raci=tuple(d["raci"].items()), kpis=tuple(d["kpis"]),
                depends_on=tuple(d.get("depends_on", ())), inputs=_texts(d.get("inputs")),
                outputs=_texts(d["outputs"]), items=items, **_common(entry))


def _phase(entry: Entry, steps: tuple[Step, ...]) -> Phase:
    d = entry.data
    return Phase(order=d["order"], title=text(d["title"]), purpose=text(d["purpose"]),
                 inputs=_texts(d["inputs"]), outputs=_texts(d["outputs"]),
                 steps=tuple(s for s in steps if s.phase == entry.id), **_common(entry))


def _role(entry: Entry) -> Role:
    d = entry.data
    staffing = d["staffing"]
    by_industry = tuple(sorted(staffing.get("by_industry", {}).items()))
    return Role(title=text(d["title"]), dedicated_from=staffing["dedicated_from"],
                covered_by=staffing.get("covered_by"), by_industry=by_industry, summary=text(d["summary"]),
                responsibilities=_texts(d["responsibilities"]), **_common(entry))


def _kpi(entry: Entry) -> Kpi:
    d = entry.data
    limits = d.get("thresholds") or {}
    band = d.get("band")
    return Kpi(name=text(d["name"]), definition=text(d["definition"]), formula=text(d["formula"]),
               unit=d["unit"], direction=d["direction"], min=d["range"]["min"], max=d["range"].get("max"),
               warning=limits.get("warning"), critical=limits.get("critical"), domain=d["domain"],
               band=Band(band["low"], band["high"], band.get("critical_low"), band.get("critical_high"))
               if band else None, **_common(entry))


def _term(entry: Entry) -> Term:
    d = entry.data
    return Term(term=text(d["term"]), definition=text(d["definition"]), aliases=tuple(d.get("aliases", ())),
                see_also=tuple(d.get("see_also", ())), **_common(entry))


def _template(entry: Entry) -> Template:
    d = entry.data
    fields = tuple(TemplateField(id=f["id"], label=text(f["label"]), help=text(f["help"]),
                                 example=_opt(f.get("example"))) for f in d["fields"])
    return Template(title=text(d["title"]), purpose=text(d["purpose"]), fields=fields, **_common(entry))


def _fact(entry: Entry) -> Fact:
    d = entry.data
    values = tuple(FactValue(id=v["id"], label=text(v["label"])) for v in d.get("values", ()))
    return Fact(type=d["type"], label=text(d["label"]), help=text(d["help"]), values=values,
                min=d.get("min"), max=d.get("max"), required=bool(d.get("required", False)),
                derived=bool(d.get("derived", False)), **_common(entry))


def build_kb(index: Index, digest: str) -> KB:
    """The model of a knowledge base whose index passed every check."""
    steps = tuple(_step(e) for e in index.of("step"))
    phases = sorted((_phase(e, steps) for e in index.of("phase")), key=lambda p: PHASES.index(p.id))
    return KB(
        phases=tuple(phases),
        roles=tuple(_role(e) for e in index.of("role")),
        kpis=tuple(_kpi(e) for e in index.of("kpi")),
        glossary=tuple(_term(e) for e in index.of("term")),
        templates=tuple(_template(e) for e in index.of("template")),
        facts=tuple(_fact(e) for e in index.of("fact")),
        sections=tuple(Section(id=e.id, handbook=e.id[0], title=text(e.data["title"]),
                               implied=bool(e.data.get("implied", False))) for e in index.of("section")),
        handbooks=tuple(Handbook(id=e.id, title=text(e.data["title"]), file=e.data["file"])
                        for e in index.of("handbook")),
        digest=digest,
    )
