"""The facts schema accepts exactly the facts files opsbook accepts: every facts input of the
bad-input corpus, the examples, the cases that once disagreed, and generated documents go
through both, and the verdicts must match."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.core.errors import OpsbookError
from generator.facts.client import facts_document, facts_from_document, unique_keys
from generator.kb import schema
from generator.kb.loader import Document
from generator.kb.model import KB
from generator.kb.validate import validate_kb
from generator.schemas.facts_schema import facts_schema

ROOT = Path(__file__).parents[2]
CORPUS = ROOT / "tests" / "corpus"
MINI_KB = ROOT / "tests" / "validate" / "minikb"


def _kb(folder: Path) -> KB:
    kb = validate_kb(folder).kb
    assert kb is not None
    return kb


MINI, FULL = _kb(MINI_KB), _kb(ROOT / "kb")
MINI_SCHEMA, FULL_SCHEMA = facts_schema(MINI), json.loads((ROOT / "generator/schemas/facts.schema.json").read_text())


def opsbook_accepts(doc: Document, kb: KB) -> bool:
    try:
        facts_from_document(doc, kb)
    except OpsbookError:
        return False
    return True


def schema_accepts(doc: Document, facts: dict[str, Any]) -> bool:
    """jsonschema's verdict; `.nan` and `.inf` (YAML only: JSON and the schema language have no
    such numbers) are refused as every opsbook schema check refuses them."""
    return not schema.check(doc, facts)


def _corpus_documents() -> list[tuple[str, Document]]:
    """Every facts document of the corpus that parses: a syntax error is no document to judge."""
    found = []
    for path in sorted([*CORPUS.glob("cases/*/facts.*"), *CORPUS.glob("base/facts.*"), *CORPUS.glob("base/good.json")]):
        try:
            found.append((path.relative_to(CORPUS).as_posix(), facts_document(path)))
        except OpsbookError:
            continue
    for path in sorted([*CORPUS.glob("cases/*/clients.jsonl"), CORPUS / "base" / "clients.jsonl"]):
        for n, line in enumerate(path.read_bytes().decode("utf-8", "replace").splitlines(), 1):
            try:
                data = json.loads(line, object_pairs_hook=unique_keys)
            except (ValueError, RecursionError):
                continue
            found.append((f"{path.relative_to(CORPUS).as_posix()}:{n}", Document(str(path), data)))
    return found


CORPUS_DOCS = _corpus_documents()


def test_the_corpus_holds_facts_both_accepted_and_refused() -> None:
    verdicts = [opsbook_accepts(doc, MINI) for _, doc in CORPUS_DOCS]
    assert len(CORPUS_DOCS) >= 90
    assert verdicts.count(True) >= 3 and verdicts.count(False) >= 60


@pytest.mark.parametrize(("name", "doc"), CORPUS_DOCS, ids=[name for name, _ in CORPUS_DOCS])
def test_corpus_verdicts_agree(name: str, doc: Document) -> None:
    assert schema_accepts(doc, MINI_SCHEMA) == opsbook_accepts(doc, MINI)


BASE = {"client": {"name": "Acme"}, "industry": "retail", "business_model": "b2c", "stage": "growth",
        "offering": "both"}
# (change to the base facts, accepted?): the inputs the schema and opsbook once disagreed on.
CASES = [
    ({"industry": "Food Service"}, True),
    ({"industry": " food-service "}, True),
    ({"industry": "food__service"}, False),
    ({"industry": "foodservice"}, False),
    ({"has_production": "yes"}, True),
    ({"has_production": "是"}, True),
    ({"has_production": "maybe"}, False),
    ({"has_production": 1}, False),
    ({"team_size": "20"}, True),
    ({"team_size": " 20.0 "}, True),
    ({"team_size": "20.5"}, False),
    ({"team_size": "0"}, False),
    ({"team_size": "1e3"}, False),
    ({"team_size": "1_000"}, False),
    ({"team_size": True}, False),
    ({"channels": "online_store"}, True),
    ({"channels": ["online_store", "Online Store"]}, True),
    ({"channels": []}, True),
    ({"channels": [None]}, False),
    ({"start_date": None}, True),
    ({"start_date": ""}, False),
    ({"start_date": "2027-02-29"}, False),
    ({"start_date": "2028-02-29"}, True),
    ({"start_date": "2027-13-45"}, False),
    ({"start_date": "3000-01-01"}, False),
    ({"start_date": "20270104"}, False),
    ({"start_date": "2027-01-04\n"}, False),
    ({"client": {"name": None}}, False),
    ({"client": {}}, False),
    ({"client": {"name": "A\u200bcme"}}, False),
    ({"client": {"name": "Acme", "nmae": "x"}}, False),
    ({"kpis": {"nps": "-100"}}, True),
    ({"kpis": {"nps": "-100.01"}}, False),
    ({"kpis": {"gross_margin": "0.35"}}, True),
    ({"kpis": {"nps": None}}, True),
    ({"plan_share": "0.049999999999999999"}, False),
    ({"plan_share": 0.05}, True),
    ({"country": " de "}, True),
    ({"country": "XX"}, False),
    ({"team": {"ops-manager": 0}}, False),
    ({"team": {"ops-manager": None}}, True),
    ({"team": {"owner": 1}}, False),
    ({"team": {"ops-manager": "2", "sales-lead": 0}}, True),
    ({"service_risk": True}, False),
    ({"lang": "EN"}, True),
]


@pytest.mark.parametrize(("change", "accepted"), CASES, ids=[json.dumps(c, ensure_ascii=False) for c, _ in CASES])
def test_schema_and_opsbook_agree_on_the_cases_that_once_differed(change: dict[str, Any], accepted: bool) -> None:
    doc = Document("<facts>", {**BASE, **change})
    assert opsbook_accepts(doc, FULL) == accepted
    assert schema_accepts(doc, FULL_SCHEMA) == accepted


def test_required_facts_are_required_by_both() -> None:
    for key in BASE:
        doc = Document("<facts>", {k: v for k, v in BASE.items() if k != key})
        assert not opsbook_accepts(doc, FULL) and not schema_accepts(doc, FULL_SCHEMA), key


def test_the_examples_are_accepted_by_both() -> None:
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        doc = facts_document(path)
        assert opsbook_accepts(doc, FULL) and schema_accepts(doc, FULL_SCHEMA), path.name


# ------------------------------------------------------------------ generated documents
_TEXTS = ["", " ", "retail", "Retail", "RETAIL", " retail\t", "food service", "Food-Service", "food_service",
          "food  -service", "b2c", "B2C", "yes", "No", "Y", "是", "否", "true", "FALSE", "maybe", "1", "-1", "0",
          "12", " 12 ", "+3", "-0", "0.5", ".5", "5.", "1.0", "1.5", "2", "100", "-100", "101", "0.05",
          "0.04", "1e2", "0x10", "inf", "nan", "1_0", "１２", "2027-01-04", "2028-02-29", "2027-02-29",
          " 2027-01-04", "2027-1-4", "3000-01-01", "2999-12-31", "CN", "cn", " Us ", "ZZ", "online_store",
          "Online Store", "increase_revenue", "a\x85b", "x\u2028y", "\u212aey"]
_SCALARS = st.one_of(st.none(), st.booleans(), st.sampled_from(_TEXTS),
                     st.integers(-200, 2_000_000), st.sampled_from([0.0, 0.05, 0.5, 1.0, 1.5, -0.5, 12.0, 2.0**60]),
                     st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
_VALUES = st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3))


def _facts_values(kb: KB) -> st.SearchStrategy[dict[str, Any]]:
    keys = [f.id for f in kb.facts if "." not in f.id and f.type not in ("kpis", "team")] + ["service_risk", "nmae"]
    kpis = st.dictionaries(st.sampled_from([k.id for k in kb.kpis] + ["nope"]), _SCALARS, max_size=3)
    team = st.dictionaries(st.sampled_from([r.id for r in kb.roles] + ["nobody"]), _SCALARS, max_size=3)
    client = st.one_of(st.just({"name": "Acme"}), st.dictionaries(st.sampled_from(["name", "note", "x"]), _SCALARS,
                                                                   max_size=2), _SCALARS)
    return st.fixed_dictionaries({}, optional={
        **{k: _VALUES for k in keys}, "kpis": st.one_of(kpis, _SCALARS), "team": st.one_of(team, _SCALARS),
        "client": client})


@settings(max_examples=400, deadline=None)
@given(change=_facts_values(FULL))
def test_generated_documents_get_the_same_verdict(change: dict[str, Any]) -> None:
    doc = Document("<facts>", {**BASE, **change})
    assert schema_accepts(doc, FULL_SCHEMA) == opsbook_accepts(doc, FULL)


def _one_change(kb: KB) -> st.SearchStrategy[dict[str, Any]]:
    """One fact changed: most such documents are accepted, so acceptance is tested as much as refusal."""
    return _facts_values(kb).flatmap(lambda change: st.sampled_from(sorted(change.items()) or [("lang", None)])
                                     ).map(lambda item: dict([item]))


@settings(max_examples=400, deadline=None)
@given(change=_one_change(FULL))
def test_documents_with_one_change_get_the_same_verdict(change: dict[str, Any]) -> None:
    doc = Document("<facts>", {**BASE, **change})
    assert schema_accepts(doc, FULL_SCHEMA) == opsbook_accepts(doc, FULL)


def test_non_finite_numbers_are_refused_by_both() -> None:
    doc = Document("<facts>", {**BASE, "kpis": {"nps": math.nan}})
    assert not opsbook_accepts(doc, FULL) and not schema_accepts(doc, FULL_SCHEMA)
