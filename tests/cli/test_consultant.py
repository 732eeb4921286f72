"""The consultant's workflow: overlays, rule tests with coverage, lint and plan diff."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
COFFEE = str(ROOT / "examples" / "coffee-chain.yaml")
OVERLAY = str(ROOT / "rules" / "clients" / "shanyu-coffee")


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    return tmp_path / "rules"


def test_overlay_layers_show_in_plan_and_because(run_cli) -> None:
    code, out, err = run_cli("plan", COFFEE, "--overlay", OVERLAY, "--format", "json")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["layers"] == ["base", "clients/shanyu-coffee"]
    event = next(i for i in plan["items"] if i["id"] == "execution.campaign-delivery.shanghai-opening-event")
    assert {"rule": "shanyu-shanghai-opening", "layer": "clients/shanyu-coffee"} in [
        {"rule": r["rule"], "layer": r["layer"]} for r in event["because"]]
    root_cause = next(i for i in plan["items"] if i["id"] == "execution.complaint-handling.root-cause")
    assert root_cause["priority"] == "critical", "the overlay's override raises it"
    fired = {r["rule"] for i in plan["items"] for r in i["because"]}
    assert "mkt-roi-low" not in fired


def test_validate_reports_overlay_mistakes(run_cli, rules_copy: Path) -> None:
    overlay = rules_copy / "clients" / "shanyu-coffee"
    (overlay / "overlay.yaml").write_text(
        "extends: [base]\ndisable: [mkt-roi-lo]\noverride:\n  cs-high-complaint: {priority: critical}\n")
    rules = (overlay / "rules.yaml").read_text().replace("- id: insight.market-sizing.shanghai-site-shortlist",
                                                          "- id: insight.market-sizing.size-model")
    (overlay / "rules.yaml").write_text(rules)
    code, _, err = run_cli("validate", "--rules", str(rules_copy))
    assert code == 1
    shown = str(overlay)
    assert f"{shown}/overlay.yaml:2:11: cannot disable unknown rule `mkt-roi-lo`; did you mean `mkt-roi-low`?" in err
    assert (f"{shown}/overlay.yaml:4:3: cannot override unknown rule `cs-high-complaint`; "
            "did you mean `cs-high-complaints`?") in err
    assert "collides with a checklist item of the knowledge base" in err


def test_rules_test_passes_with_full_coverage(run_cli) -> None:
    code, out, err = run_cli("rules", "test", "--coverage")
    assert code == 0, out + err
    lines = out.strip().splitlines()
    assert lines[-1].endswith(" passed, 0 failed")
    passed = int(lines[-1].split()[0])
    assert passed >= 30
    rules_line = next(line for line in lines if line.startswith("rules fired:"))
    hit, total = map(int, rules_line.split()[2].split("/"))
    assert hit / total >= 0.9


def test_failing_case_shows_expected_actual_and_why(run_cli, tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text("""\
cases:
  - name: calm complaints
    facts: {client: {name: T}, industry: retail, business_model: b2c, stage: growth, offering: product,
            kpis: {complaint_rate: 0.01}}
    expect:
      priority: {execution.complaint-handling.register: critical}
      fired: [cs-high-complaints]
""")
    code, out, _ = run_cli("rules", "test", str(tmp_path / "t.yaml"))
    assert code == 1
    assert "FAIL calm complaints" in out
    assert "expected `execution.complaint-handling.register` at priority critical, got medium" in out
    assert "expected rule `cs-high-complaints` to fire; it did not" in out
    assert out.strip().splitlines()[-1] == "0 passed, 1 failed"


def _rule_file(rules_copy: Path, body: str) -> None:
    (rules_copy / "base" / "zz-lint.yaml").write_text("rules:\n" + body)


def test_lint_finds_what_a_consultant_fixes(run_cli, rules_copy: Path) -> None:
    _rule_file(rules_copy, """\
  - id: lint-contradiction
    title: {zh: 矛盾, en: Contradiction}
    when: {all: [{fact: kpis.complaint_rate, gt: 0.5}, {fact: kpis.complaint_rate, lt: 0.3}]}
    then: {include: [execution.complaint-handling]}
  - id: lint-shadowed
    title: {zh: 重复, en: Same as the critical rule}
    when: {all: [{fact: kpis.complaint_rate, gt: 0.05}, {fact: stage, eq: growth}]}
    then: {include: [execution.complaint-handling.root-cause], priority: high}
""")
    code, _, err = run_cli("lint", "--rules", str(rules_copy))
    assert code == 0
    assert "warning: rule `lint-contradiction` can never fire: its conditions contradict each other" in err
    assert "warning: rule `lint-shadowed` is shadowed by `cs-critical-complaints`" in err
    assert run_cli("lint", "--rules", str(rules_copy), "--strict")[0] == 1


def test_lint_reports_unreachable_items_and_unused_facts(run_cli, tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    (rules / "base").mkdir(parents=True)
    (rules / "base" / "only.yaml").write_text("""\
rules:
  - id: only-goals
    title: {zh: 只有目标, en: Goals only}
    when: {fact: stage, ne: idea}
    then: {include: [strategy.smart-goals, execution.logistics.carrier-sla]}
""")
    code, _, err = run_cli("lint", "--rules", str(rules))
    assert code == 0
    assert "warning: fact `industry` is declared but no rule uses it" in err
    assert "warning: step `execution.complaint-handling` is in no plan" in err
    assert "warning: item `execution.logistics.flow-map` is in no plan" in err
    assert "strategy.smart-goals` is in no plan" not in err


def test_lint_flags_stale_and_missing_translations(run_cli, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "kb", tmp_path / "kb")
    roles = tmp_path / "kb" / "roles.yaml"
    text = roles.read_text()
    assert "title: {zh: 运营经理, en: Operations manager, en_src:" in text, "the shipped KB is stamped"
    text = text.replace("title: {zh: 运营经理, en: Operations manager,",
                        "title: {zh: 运营总监, en: Operations manager,", 1)
    text = text.replace("title: {zh: 市场分析师, en: Market analyst,", "title: {zh: 市场分析师, en: 市场分析师,", 1)
    roles.write_text(text)
    _, _, err = run_cli("lint", "--kb", str(tmp_path / "kb"))
    assert "roles.yaml:6:27: warning: the English translation is older than the Chinese text" in err
    assert "English text contains Chinese: translate it" in err


def test_lint_stamp_records_hashes_that_later_catch_edits(run_cli, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "kb", tmp_path / "kb")
    glossary = tmp_path / "kb" / "glossary.yaml"
    glossary.write_text(glossary.read_text().replace(', en_src: "', ', en_old: "'))
    import re

    stripped = re.sub(r', en_old: "[0-9a-f]{8}"', "", glossary.read_text())
    stripped = re.sub(r'\n *en_src: "[0-9a-f]{8}"', "", stripped)
    glossary.write_text(stripped)
    assert "en_src" not in glossary.read_text()
    code, _, err = run_cli("lint", "--kb", str(tmp_path / "kb"), "--stamp")
    assert code == 0 and "stamped" in err
    assert run_cli("validate", "--kb", str(tmp_path / "kb"))[0] == 0
    stamped = glossary.read_text()
    assert stamped.count("en_src:") >= 72  # term and definition of every glossary entry
    glossary.write_text(stamped.replace("zh: 闭环", "zh: 闭合循环", 1))
    _, _, err = run_cli("lint", "--kb", str(tmp_path / "kb"))
    assert "the English translation is older than the Chinese text" in err


def test_shipped_playbook_lints_clean(run_cli) -> None:
    code, _, err = run_cli("lint", "--strict")
    assert code == 0, err


def test_diff_names_the_fact_change_responsible(run_cli, tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    facts = Path(COFFEE).read_text()
    (tmp_path / "calm.yaml").write_text(facts.replace("complaint_rate: 0.035", "complaint_rate: 0.01"))
    assert run_cli("plan", COFFEE, "-o", str(old), "--lang", "en")[0] == 0
    assert run_cli("plan", str(tmp_path / "calm.yaml"), "-o", str(new), "--lang", "en")[0] == 0
    code, out, err = run_cli("diff", str(old), str(new))
    assert code == 0, err
    assert "~ execution.cs-channels.channel-mix" in out
    assert "priority: high -> medium" in out
    assert ("rule cs-service-risk no longer applies (fact service_risk: true -> —, "
            "derived from fact kpis.complaint_rate: 0.035 -> 0.01)") in out
    code, out, _ = run_cli("diff", str(old), str(new), "--format", "json")
    changes = json.loads(out)
    assert any(c["id"] == "execution.cs-channels.channel-mix" and c["kind"] == "changed" for c in changes)


def test_diff_refuses_what_is_not_a_plan(run_cli, tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("{\n  \"items\": [}\n")
    code, _, err = run_cli("diff", str(tmp_path / "x.json"), str(tmp_path / "x.json"))
    assert code == 1 and "x.json:2:13: JSON syntax error" in err and "Traceback" not in err
