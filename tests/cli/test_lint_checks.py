"""`opsbook lint`: unused KPIs, KPI comparisons on a KPI's good side, work done twice in an
example's plan, near-duplicate item texts and lone `work` names, stale or untranslated English in
rule files (base and overlays); each found where it is fixed.

One copy of the shipped playbook (with one example) gets a handful of planted problems and
look-alikes that must stay quiet; lint runs on it once and each test reads one finding.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.core.errors import Problem
from generator.kb.translations import text_hash
from generator.plan.lint import lint

ROOT = Path(__file__).parents[2]
RunCli = Callable[..., tuple[int, str, str]]

PLANTED_RULES = """\
rules:
  - id: zz-nps-fans
    title: {zh: 推荐者多, en: Many promoters}
    when: {fact: kpis.nps, gt: 50}
    then: {include: [optimization.customer-loyalty.design-program]}
  - id: zz-nps-fans-guard
    title: {zh: 推荐者多（守卫）, en: Many promoters (a guard)}
    when:
      all:
        - {fact: kpis.nps, exists: true}
        - not: {fact: kpis.nps, le: 50}
    then: {include: [optimization.customer-loyalty.design-program]}
  - id: zz-capacity-mid
    title: {zh: 产能利用中等, en: Capacity use in the middle}
    when: {fact: kpis.capacity_utilization, lt: 0.8}
    then: {include: [execution.production-monitoring.capacity-check]}
  - id: zz-capacity-idle
    title: {zh: 产能闲置, en: Capacity sits idle}
    when: {fact: kpis.capacity_utilization, lt: 0.6}
    then: {include: [execution.production-monitoring.capacity-check]}
"""

NEW_KPI = """
  - id: zz_orphan_rate
    name: {zh: 孤儿指标, en: Orphan rate}
    definition: {zh: 没有规则读取的指标。, en: A KPI no rule reads.}
    formula: {zh: 甲 ÷ 乙, en: a ÷ b}
    unit: ratio
    direction: lower_is_better
    range: {min: 0, max: 1}
    thresholds: {warning: 0.1, critical: 0.2}
    domain: finance
    sources: [A3.3]
"""


def _after_owner(text: str, item: str, line: str) -> str:
    """`line` added to the KB item `item`, right after its owner."""
    pattern = re.compile(rf"(- id: {re.escape(item)}\n(?:.*\n)*?(\s+)owner: .*\n)")
    new, count = pattern.subn(lambda m: m.group(1) + m.group(2) + line + "\n", text, count=1)
    assert count == 1, item
    return new


def _plant(root: Path) -> None:
    shutil.copytree(ROOT / "kb", root / "kb")
    shutil.copytree(ROOT / "rules", root / "rules")
    (root / "examples").mkdir()
    shutil.copy(ROOT / "examples" / "saas-idea.yaml", root / "examples")
    (root / "rules" / "base" / "zz-planted.yaml").write_text(PLANTED_RULES, "utf-8")
    kpis = root / "kb" / "kpis.yaml"
    kpis.write_text(kpis.read_text("utf-8") + NEW_KPI, "utf-8")
    insight = root / "kb" / "phases" / "insight.yaml"
    text = insight.read_text("utf-8")
    # two items of the idea-stage plan named as one piece of work, their done-when alike too
    text = _after_owner(text, "insight.research-design.decision-questions", "work: research-brief")
    text = _after_owner(text, "insight.research-design.sample-plan", "work: research-brief")
    # the personas item titled like the pain-point list: the same owner and cadence, no name
    text = text.replace("title: {zh: 编制用户画像, en: Build the user personas,",
                        "title: {zh: 发布需求与痛点优先级清单, en: Publish the ranked list of needs and pain points,")
    text = _after_owner(text, "insight.market-sizing.size-model", "work: sizing")  # no twin
    insight.write_text(text, "utf-8")
    _plant_translations(root / "rules")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def _plant_translations(rules: Path) -> None:
    """The Chinese of a base rule changed after its English; an overlay's English left in Chinese."""
    _edit(rules / "base" / "finance.yaml", "title: {zh: 现金流风险：留足备用金并盯紧现金,",
          "title: {zh: 现金流风险：留足三个月备用金并盯紧现金,")
    _edit(rules / "clients" / "shanyu-coffee" / "rules.yaml",
          'en: Getting the first Shanghai store ready, en_src: "1c14ce63"', 'en: 上海首店开业准备, en_src: "1c14ce63"')


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Problem]]:
    root = tmp_path_factory.mktemp("planted")
    _plant(root)
    return root, list(lint(root / "kb", root / "rules"))


def messages(found: tuple[Path, list[Problem]], needle: str) -> list[Problem]:
    return [p for p in found[1] if needle in p.message]


def test_a_kpi_no_rule_reads_is_reported_at_its_definition(found) -> None:
    root, _ = found
    (problem,) = messages(found, "KPI `zz_orphan_rate` is read by no rule")
    assert problem.severity == "warning"
    assert problem.path.endswith("kb/kpis.yaml")
    lines = (root / "kb" / "kpis.yaml").read_text("utf-8").splitlines()
    assert lines[problem.line - 1].strip() == "- id: zz_orphan_rate"
    assert "add a rule that compares `kpis.zz_orphan_rate`" in problem.message


def test_no_shipped_kpi_is_unused(found) -> None:
    assert [p.message for p in messages(found, "is read by no rule")] == [
        "KPI `zz_orphan_rate` is read by no rule, so its value never changes a plan: add a rule that compares "
        "`kpis.zz_orphan_rate` with its levels, or drop the KPI"]


def test_a_comparison_on_the_good_side_is_reported_at_its_rule(found) -> None:
    (problem,) = messages(found, "rule `zz-nps-fans` acts on")
    assert problem.path.endswith("zz-planted.yaml") and problem.line == 2
    assert "the good side of `nps` (higher is better)" in problem.message
    assert "`not: {fact: kpis.nps, le: 50}`" in problem.message


def test_a_band_is_good_inside_and_bad_on_either_side(found) -> None:
    (problem,) = messages(found, "rule `zz-capacity-mid` acts on")
    assert "healthy from 0.65 to 0.9" in problem.message
    assert not messages(found, "`zz-capacity-idle`"), "below the band is its bad side"
    assert not messages(found, "`zz-nps-fans-guard`"), "a guard under `not` aims no target"
    assert not messages(found, "ops-capacity-stretched"), "above the band is a bad side too"


def test_the_same_named_work_twice_in_an_examples_plan(found) -> None:
    root, _ = found
    (problem,) = messages(found, "`insight.research-design.sample-plan`")
    assert "the plan of" in problem.message and "saas-idea.yaml has the same work twice: `" in problem.message
    assert "`insight.research-design.decision-questions` (from rule `stage-idea-discovery`)" in problem.message
    assert "same `work: research-brief`" in problem.message
    assert "make the rules exclude one where the other is in the plan, or merge the items" in problem.message
    stage = (root / "rules" / "base" / "stage.yaml").read_text("utf-8").splitlines()
    assert problem.path.endswith("rules/base/stage.yaml")
    assert stage[problem.line - 1].strip() == "- id: stage-idea-discovery", "located at the rule to change"


def test_items_of_one_owner_with_near_identical_titles_are_the_same_work(found) -> None:
    twice = [p for p in messages(found, "has the same work twice") if "personas" in p.message]
    assert len(twice) == 1
    assert "same owner `market-analyst` and near-identical titles" in twice[0].message


def test_near_duplicate_texts_are_reported_unless_named_the_same_work(found) -> None:
    (problem,) = messages(found, "reads almost the same")
    assert "item `insight.user-research.pain-ranking` reads almost the same as `insight.user-research.personas`" \
        in problem.message or "`insight.user-research.personas` reads almost the same" in problem.message
    assert "(title, zh)" in problem.message and "give both the same `work: <name>`" in problem.message
    assert problem.path.endswith("kb/phases/insight.yaml") and problem.line > 0


def test_a_work_name_no_other_item_shares_is_reported(found) -> None:
    (problem,) = messages(found, "the only one with `work: sizing`")
    assert "insight.market-sizing.size-model" in problem.message


def test_english_older_than_a_base_rules_chinese_is_reported(found) -> None:
    stale = messages(found, "the English translation is older than the Chinese text")
    (problem,) = [p for p in stale if "/rules/" in p.path]  # the KB's planted titles are stale too
    assert problem.path.endswith("rules/base/finance.yaml") and (problem.line, problem.col) == (7, 42)
    assert problem.message.endswith(f"set `en_src: {text_hash('现金流风险：留足三个月备用金并盯紧现金')}`")


def test_english_left_in_chinese_in_an_overlay_is_reported(found) -> None:
    (problem,) = messages(found, "English text contains Chinese")
    assert problem.path.endswith("rules/clients/shanyu-coffee/rules.yaml") and problem.line == 4


def test_every_finding_is_a_located_warning(found) -> None:
    for problem in found[1]:
        assert problem.severity == "warning", problem
        assert problem.path and problem.line > 0 and problem.col > 0, problem


def test_lint_strict_fails_on_them_and_prints_locations(found, run_cli: RunCli,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = found
    monkeypatch.chdir(root)
    code, _, err = run_cli("lint", "--kb", "kb", "--rules", "rules", "--strict")
    assert code == 1
    assert re.search(r"^kb/kpis\.yaml:\d+:\d+: warning: KPI `zz_orphan_rate`", err, re.MULTILINE)
    assert re.search(r"^rules/base/stage\.yaml:\d+:\d+: warning: the plan of examples/saas-idea\.yaml", err,
                     re.MULTILINE)
    assert "Traceback" not in err


def test_an_example_that_cannot_be_planned_is_reported(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "kb", tmp_path / "kb")
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "broken.yaml").write_text("industry: bakery\nteam_size: 3\n", "utf-8")
    problems = lint(tmp_path / "kb", ROOT / "rules")
    refused = [p for p in problems if "example cannot be planned" in p.message]
    assert refused and all(p.path.endswith("broken.yaml") and p.severity == "warning" for p in refused)
    assert any("`bakery`" in p.message for p in refused), "the facts' own problem, located in the example"


def _named(playbook, ids: dict[str, str]) -> dict[str, object]:
    """The playbook's items, with `work` names given to some."""
    import dataclasses

    items = dict(playbook.catalogue.items)
    for item_id, work in ids.items():
        items[item_id] = dataclasses.replace(items[item_id], work=work)
    return items


def test_the_same_work_at_the_same_cadence_is_reported_with_its_cadence(playbook) -> None:
    from generator.facts.client import load_facts
    from generator.plan.lint_duplicates import duplicate_work

    plan = playbook.plan(load_facts(ROOT / "examples" / "saas-idea.yaml", playbook.kb), "en")
    monthly = {"evaluation.kpi-review.review-meeting": "w", "evaluation.financial-review.cash": "w"}
    (problem,) = duplicate_work({"ex.yaml": plan}, _named(playbook, monthly), lambda rule: ("r.yaml", 3, 5))
    assert (problem.path, problem.line, problem.col) == ("r.yaml", 3, 5)
    assert "the plan of ex.yaml has the same work twice, every month:" in problem.message
    other_cadence = {"evaluation.kpi-review.review-meeting": "w", "optimization.retrospective.workshop": "w"}
    assert list(duplicate_work({"ex.yaml": plan}, _named(playbook, other_cadence), lambda rule: None)) == []


def test_similar_pairs_finds_exactly_what_comparing_every_pair_finds() -> None:
    import itertools
    import random

    from generator.plan.lint_duplicates import jaccard, similar_pairs

    rng = random.Random(7)
    for _ in range(50):
        sets = [frozenset(rng.sample("abcdefghij", rng.randint(0, 6))) for _ in range(30)]
        for threshold in (0.5, 0.75, 1.0):
            every = {(i, j) for i, j in itertools.combinations(range(len(sets)), 2)
                     if jaccard(sets[i], sets[j]) >= threshold}
            assert set(similar_pairs(sets, threshold)) == every


@pytest.mark.parametrize(("a", "b", "lang", "alike"), [
    ("Publish the weekly quality report", "Produce the monthly quality report", "en", False),
    ("Spot-check service delivery against the standards every month",
     "Spot-check against the quality and service delivery standards", "en", True),
    ("每月编制预算执行偏差报告", "每周编制预算执行偏差报告", "zh", True),
    ("编制品牌视觉与语言规范", "更新品牌视觉与语言规范", "zh", False)])
def test_titles_compare_by_their_words_not_their_cadence(a: str, b: str, lang: str, alike: bool) -> None:
    from generator.plan.lint_duplicates import TITLE_SIMILAR, jaccard, words

    assert (jaccard(words(a, lang), words(b, lang)) >= TITLE_SIMILAR) is alike
