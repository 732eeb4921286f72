"""`opsbook explain` and `opsbook interview`, as a manager uses them."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator.facts.client import load_facts

ROOT = Path(__file__).parents[2]
CONSULTING = str(ROOT / "examples" / "consulting-firm.yaml")
COFFEE = str(ROOT / "examples" / "coffee-chain.yaml")


def test_explain_an_item_in_the_plan(run_cli) -> None:
    code, out, err = run_cli("explain", COFFEE, "execution.complaint-handling.root-cause", "--lang", "en")
    assert code == 0, err
    assert "is in the plan" in out
    assert "cs-high-complaints (base, " in out
    assert "kpis.complaint_rate = 0.035 > 0.03" in out


def test_explain_why_not_with_the_smallest_change(run_cli) -> None:
    code, out, err = run_cli("explain", CONSULTING, "execution.logistics.carrier-sla", "--lang", "en")
    assert code == 0, err
    assert "is not in the plan" in out
    assert "failed: has_supply_chain = true (now: false)" in out
    change = out.split("smallest change to the facts that includes it:")[1]
    assert change.strip().splitlines() == ["- has_supply_chain: false -> true"]


def test_the_smallest_change_really_includes_the_item(playbook, tmp_path: Path) -> None:
    data = yaml.safe_load(Path(CONSULTING).read_text())
    data["has_supply_chain"] = True
    (tmp_path / "changed.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    plan = playbook.plan(load_facts(tmp_path / "changed.yaml", playbook.kb), "en")
    assert plan.item("execution.logistics.carrier-sla") is not None


def test_explain_whole_plan_lists_fired_rules(run_cli) -> None:
    code, out, _ = run_cli("explain", COFFEE, "--lang", "en")
    assert code == 0
    assert "rules that fired:" in out and "cs-high-complaints" in out


def test_explain_unknown_id_suggests(run_cli) -> None:
    code, _, err = run_cli("explain", COFFEE, "execution.complaint-handling.root-caus")
    assert code == 1
    assert "did you mean `execution.complaint-handling.root-cause`?" in err and "Traceback" not in err


ANSWERS = [
    "Test Co", "", "99", "retail", "1", "growth", "3", "1,6", "yes", "no", "0", "12",
    "increase_revenue,2", "", "0.3", "", "1.5", "0.04", "", "", "", "", "", "2027-01-04", "0.4", "Germany", "de",
    "",  # the review: an empty line confirms
]


def test_interview_reasks_and_writes_a_valid_facts_file(run_cli, playbook, tmp_path: Path) -> None:
    target = tmp_path / "facts.yaml"
    code, _, err = run_cli("interview", "--lang", "en", "-o", str(target), input="\n".join(ANSWERS) + "\n")
    assert code == 0, err
    assert "\"99\" is not one of the choices" in err, "a wrong answer is asked again"
    assert "0 is out of range" in err and "1.5 is out of range. If you mean 1.5%, type 1.5%." in err
    assert "\"Germany\" is not a country code" in err
    facts = load_facts(target, playbook.kb)
    values = facts.values
    assert values["industry"] == "retail" and values["business_model"] == "b2b"
    assert values["channels"] == ("online_store", "social_media")
    assert values["team_size"] == 12 and values["has_supply_chain"] is True
    assert values["goals"] == ("improve_retention", "increase_revenue")
    assert values["kpis.retention_7d"] == 0.3 and values["kpis.complaint_rate"] == 0.04
    assert values["start_date"] == "2027-01-04"
    assert values["plan_share"] == 0.4 and values["country"] == "DE", "a country name is refused, its code taken"
    assert playbook.plan(facts, "en").workload.country == "DE"


def test_interview_in_chinese_takes_labels_as_answers(run_cli, playbook, tmp_path: Path) -> None:
    answers = ["测试公司", "", "零售", "企业对个人消费者（B2C）", "成长期", "产品", "线下门店、社交媒体与内容电商",
               "是", "否", "20", "", "", "", "", "", "", "", "", "", "", "2027-01-04", "", "", ""]
    target = tmp_path / "facts.yaml"
    code, _, err = run_cli("interview", "-o", str(target), input="\n".join(answers) + "\n")
    assert code == 0, err
    values = load_facts(target, playbook.kb).values
    assert values["industry"] == "retail" and values["business_model"] == "b2c" and values["stage"] == "growth"
    assert values["channels"] == ("offline_store", "social_media")
