"""`opsbook list`: what the playbook holds, for consultants, as aligned text or stable JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from generator.plan.listing import FORMAT, KINDS, cells
from generator.plan.playbook import load_playbook

ROOT = Path(__file__).parents[2]
OVERLAY = str(ROOT / "rules" / "clients" / "shanyu-coffee")
# The keys of each kind's JSON entries: a contract, so a test names them (keys may only be added).
KEYS = {
    "roles": {"id", "name", "where", "summary", "dedicated_from", "covered_by"},
    "steps": {"id", "name", "where", "phase", "domain", "horizon", "items"},
    "items": {"id", "name", "where", "step", "owner", "effort", "cadence", "layer"},
    "rules": {"id", "name", "where", "layer", "always", "reads", "include", "exclude", "priority", "set"},
    "facts": {"id", "name", "where", "type", "values", "min", "max", "required", "derived"},
    "kpis": {"id", "name", "where", "unit", "direction", "min", "max", "warning", "critical", "domain"},
}


def _listing(run_cli, *args: str) -> dict:
    code, out, err = run_cli("list", *args, "--format", "json")
    assert code == 0, err
    data: dict = json.loads(out)
    return data


@pytest.fixture(scope="module")
def kb():
    return load_playbook(ROOT / "kb", ROOT / "rules").kb


@pytest.mark.parametrize("kind", KINDS)
def test_json_is_the_documented_format(run_cli, kind: str) -> None:
    data = _listing(run_cli, kind)
    assert list(data) == ["format", "kind", "lang", "layers", "entries"]
    assert (data["format"], data["kind"], data["lang"], data["layers"]) == (FORMAT, kind, "zh", ["base"])
    assert data["entries"]
    for entry in data["entries"]:
        assert set(entry) == KEYS[kind]
        assert entry["id"] and entry["name"]


@pytest.mark.parametrize("kind", KINDS)
def test_text_lines_are_aligned_ids_with_names(run_cli, kind: str) -> None:
    code, out, _ = run_cli("list", kind)
    assert code == 0
    entries = _listing(run_cli, kind)["entries"]
    lines = out.splitlines()
    assert len(lines) == len(entries)
    name_at = {cells(line.split(entry["name"], 1)[0]) for line, entry in zip(lines, entries, strict=True)}
    assert len(name_at) == 1, "every name starts in the same column, wide characters counted as two"
    assert all(line.startswith(entry["id"] + " ") or line == entry["id"] for line, entry in zip(lines, entries,
                                                                                                 strict=True))


def test_roles_in_both_languages(run_cli, kb) -> None:
    for lang in ("zh", "en"):
        code, out, _ = run_cli("list", "roles", "--lang", lang)
        assert code == 0
        for role in kb.roles:
            line = next(line for line in out.splitlines() if line.split()[0] == role.id)
            assert role.title(lang) in line


def test_rules_say_where_they_are_and_what_they_add(run_cli) -> None:
    entries = {e["id"]: e for e in _listing(run_cli, "rules")["entries"]}
    rule = entries["cs-high-complaints"]
    path, line = rule["where"].rsplit(":", 1)
    assert (ROOT / path).read_text(encoding="utf-8").splitlines()[int(line) - 1].strip() == "- id: cs-high-complaints"
    written = next(r for r in yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))["rules"]
                   if r["id"] == "cs-high-complaints")
    assert rule["include"] == written["then"].get("include", [])
    assert rule["priority"] == written["then"].get("priority")
    assert "kpis.complaint_rate" in rule["reads"]
    code, out, _ = run_cli("list", "rules")
    assert code == 0
    text = next(line for line in out.splitlines() if line.startswith("cs-high-complaints "))
    assert rule["where"] in text and f"priority {rule['priority']}" in text
    assert "include " + ", ".join(rule["include"]) in text


def test_an_overlay_adds_its_layer_rules_and_items(run_cli) -> None:
    rules = _listing(run_cli, "rules", "--overlay", OVERLAY)
    assert rules["layers"] == ["base", "clients/shanyu-coffee"]
    by_id = {e["id"]: e for e in rules["entries"]}
    assert by_id["shanyu-shanghai-opening"]["layer"] == "clients/shanyu-coffee"
    assert "mkt-roi-low" not in by_id, "the overlay disables it"
    assert by_id["cs-high-complaints"]["priority"] == "critical", "the overlay's override"
    assert "mkt-roi-low" in {e["id"] for e in _listing(run_cli, "rules")["entries"]}
    items = {e["id"]: e for e in _listing(run_cli, "items", "--overlay", OVERLAY)["entries"]}
    own = items["execution.campaign-delivery.shanghai-opening-event"]
    assert own["layer"] == "clients/shanyu-coffee"
    path, line = own["where"].rsplit(":", 1)
    assert Path(path).resolve().is_relative_to(Path(OVERLAY).resolve())
    assert Path(path).read_text(encoding="utf-8").splitlines()[int(line) - 1].strip() == f"- id: {own['id']}"
    assert items["insight.research-design.decision-questions"]["layer"] == "kb"
    code, out, _ = run_cli("list", "items", "--overlay", OVERLAY)
    assert code == 0
    assert any(line.startswith(own["id"]) and line.endswith("clients/shanyu-coffee") for line in out.splitlines())


def test_facts_show_their_type_and_values(run_cli) -> None:
    facts = {e["id"]: e for e in _listing(run_cli, "facts", "--lang", "en")["entries"]}
    assert [v["id"] for v in facts["stage"]["values"]] == ["idea", "launch", "growth", "mature", "decline"]
    assert facts["channels"]["type"] == "list" and facts["team_size"]["type"] == "integer"
    assert facts["team_size"]["min"] == 1 and facts["start_date"]["type"] == "date"
    assert facts["service_risk"]["derived"] and not facts["industry"]["derived"]
    code, out, _ = run_cli("list", "facts", "--lang", "en")
    assert code == 0
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert lines["business_model"].endswith("b2b, b2c, b2b2c")
    assert "YYYY-MM-DD" in lines["start_date"] and "(derived)" in lines["service_risk"]


def test_kpis_show_unit_direction_and_range(run_cli) -> None:
    kpis = {e["id"]: e for e in _listing(run_cli, "kpis")["entries"]}
    assert kpis["complaint_rate"]["direction"] == "lower_is_better"
    code, out, _ = run_cli("list", "kpis")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("complaint_rate "))
    assert "↓" in line and "0 … 1" in line


def test_an_unknown_kind_is_a_usage_error(run_cli) -> None:
    code, _, err = run_cli("list", "widgets")
    assert code == 2 and "roles" in err and "Traceback" not in err
    assert run_cli("list")[0] == 2
