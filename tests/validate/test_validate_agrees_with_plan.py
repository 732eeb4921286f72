"""`opsbook validate` and `opsbook plan` read rule folders the same way: whatever one refuses,
the other refuses with the same located message, and what validate calls valid plans.

Each case lays a client overlay (`rules/clients/acme/`, which validate checks and plan is
given with `--overlay`) or rule files over the mini playbook.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

RunCli = Callable[..., tuple[int, str, str]]
FACTS = Path(__file__).parents[1] / "corpus" / "base" / "facts.yaml"
ACME = "rules/clients/acme"
SECRET = "root:x:0:0"


def item(name: str, *depends_on: str) -> str:
    deps = f"    depends_on: [{', '.join(depends_on)}]\n" if depends_on else ""
    return (f"  - id: execution.complaint-handling.{name}\n    step: execution.complaint-handling\n"
            "    title: {zh: 热线, en: Hotline}\n    done_when: {zh: 已开通, en: Open}\n"
            f"    owner: cs-lead\n    due_days: 10\n    effort: 1\n{deps}")


H = "execution.complaint-handling."
CASES: dict[str, tuple[Mapping[str, str], str]] = {
    "item-depends-on-itself": (
        {f"{ACME}/items.yaml": "items:\n" + item("hotline", H + "hotline")},
        f"{ACME}/items.yaml:9:18: dependency cycle: {H}hotline -> {H}hotline"),
    "items-wait-for-each-other": (
        {f"{ACME}/items.yaml": "items:\n" + item("hotline", H + "callback") + item("callback", H + "hotline")},
        f"{ACME}/items.yaml:9:18: dependency cycle: {H}callback -> {H}hotline -> {H}callback"),
    "item-depends-on-unknown": (
        {f"{ACME}/items.yaml": "items:\n" + item("hotline", H + "nowhere")},
        f"{ACME}/items.yaml:9:18: unknown checklist item `{H}nowhere`"),
    "item-in-two-files": (
        {f"{ACME}/a.yaml": "items:\n" + item("hotline"), f"{ACME}/b.yaml": "items:\n" + item("hotline")},
        f"{ACME}/b.yaml:2:9: duplicate item ID `{H}hotline` (first defined at {ACME}/a.yaml:2)"),
    "tests-inside-base": (
        {"rules/base/tests/cases.yaml": "cases: []\n"},
        "rules/base/tests/cases.yaml:1:1: a rule layer's `tests/` folder is not read"),
    "overlay-file-in-a-pack": (
        {"rules/packs/retail/overlay.yaml": "disable: [baseline]\n", "rules/packs/retail/r.yaml": "rules: []\n",
         f"{ACME}/overlay.yaml": "extends: [base, packs/retail]\n"},
        "rules/packs/retail/overlay.yaml:1:1: `overlay.yaml` belongs in a client overlay folder"),
    "constant-beyond-2-53": (
        {"rules/base/big.yaml": "rules:\n  - id: huge\n    title: {zh: 大, en: Huge}\n"
                                "    when: {fact: team_size, gt: 100000000000000000000}\n"
                                "    then: {include: [insight.market-scan]}\n"},
        "rules/base/big.yaml:2:5: rule huge: integer 100000000000000000000 is beyond ±2**53"),
    "derived-value-beyond-2-53": (
        {"rules/base/big.yaml": "rules:\n  - id: huge\n    title: {zh: 大, en: Huge}\n"
                                "    then: {set: {huge_number: 100000000000000000000}}\n"},
        "rules/base/big.yaml:2:5: rule huge sets fact huge_number: integer 100000000000000000000 is beyond ±2**53"),
}


def _plan(run_cli: RunCli, *overlays: str) -> tuple[int, str, str]:
    extra = [arg for folder in overlays for arg in ("--overlay", folder)]
    return run_cli("plan", str(FACTS), "--kb", "kb", "--rules", "rules", "--format", "json", *extra)


@pytest.fixture
def playbook(mini_playbook: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(mini_playbook)
    return mini_playbook


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_and_plan_refuse_alike(name: str, playbook: Path, build_tree, run_cli: RunCli) -> None:
    files, expected = CASES[name]
    build_tree(playbook, files)
    if not (playbook / ACME).is_dir():
        build_tree(playbook, {f"{ACME}/overlay.yaml": "extends: [base]\n"})
    code, _, err = run_cli("validate", "--kb", "kb", "--rules", "rules")
    assert code == 1 and expected in err, err
    code, _, err = _plan(run_cli, ACME)
    assert code == 1 and expected in err, err
    assert "internal error" not in err


def test_without_base_rules_neither_validates_nor_plans(playbook: Path, run_cli: RunCli) -> None:
    shutil.rmtree(playbook / "rules" / "base")
    (playbook / "rules" / "packs" / "retail").mkdir(parents=True)
    (playbook / "rules" / "packs" / "retail" / "r.yaml").write_text("rules: []\n")
    expected = "rules:1:1: rule layer `base` not found in rules"
    code, _, err = run_cli("validate", "--kb", "kb", "--rules", "rules")
    assert code == 1 and expected in err
    code, _, err = _plan(run_cli)
    assert code == 1 and expected in err


@pytest.mark.parametrize("make", [
    pytest.param(lambda p: os.mkfifo(p), id="fifo"),
    pytest.param(lambda p: p.symlink_to("/etc/passwd"), id="link-out"),
    pytest.param(lambda p: p.symlink_to("gone.yaml"), id="dangling-link"),
])
def test_what_a_client_folder_cannot_read_is_refused_by_both(make, playbook: Path, build_tree,
                                                             run_cli: RunCli) -> None:
    build_tree(playbook, {f"{ACME}/overlay.yaml": "extends: [base]\n"})
    make(playbook / ACME / "f.yaml")
    for code, out, err in (run_cli("validate", "--kb", "kb", "--rules", "rules"), _plan(run_cli, ACME)):
        assert code == 1 and f"{ACME}/f.yaml:1:1: cannot read file: " in err
        assert SECRET not in out + err


def test_a_linked_pack_is_read_where_it_lives(playbook: Path, tmp_path_factory: pytest.TempPathFactory,
                                              build_tree, run_cli: RunCli) -> None:
    shared = tmp_path_factory.mktemp("shared") / "retail"
    build_tree(shared, {"retail.yaml": "rules:\n  - id: retail-scan\n    title: {zh: 扫描, en: Scan}\n"
                                       "    when: {fact: industry, eq: retail}\n"
                                       "    then: {include: [insight.market-scan]}\n"})
    (playbook / "rules" / "packs").mkdir()
    (playbook / "rules" / "packs" / "retail").symlink_to(shared)
    build_tree(playbook, {f"{ACME}/overlay.yaml": "extends: [base, packs/retail]\n"})
    code, out, err = run_cli("validate", "--kb", "kb", "--rules", "rules")
    assert code == 0 and "4 rules" in out, err
    code, out, err = _plan(run_cli, ACME)
    assert code == 0 and '"packs/retail"' in out, err


def test_a_folder_of_overlays_is_not_one_overlay(playbook: Path, build_tree, run_cli: RunCli) -> None:
    build_tree(playbook, {f"{ACME}/overlay.yaml": "extends: [base]\ndisable: [baseline]\n",
                          f"{ACME}/items.yaml": "items:\n" + item("hotline")})
    code, _, err = _plan(run_cli, "rules/clients")
    assert code == 2
    assert err == f"rules/clients:1:1: a folder of overlay folders: give one of them (`--overlay {ACME}`)\n"
    assert _plan(run_cli, ACME)[0] == 0


def test_an_overlay_inside_an_overlay_is_refused(playbook: Path, build_tree, run_cli: RunCli) -> None:
    build_tree(playbook, {f"{ACME}/overlay.yaml": "extends: [base]\n",
                          f"{ACME}/east/overlay.yaml": "extends: [base]\ndisable: [baseline]\n"})
    code, _, err = _plan(run_cli, ACME)
    assert code == 1
    assert (f"{ACME}/east/overlay.yaml:1:1: an overlay folder inside the overlay `{ACME}`, whose files would be "
            f"read without its overlay.yaml: give the overlay folder itself (`--overlay {ACME}/east`)") in err
    code, _, err = run_cli("validate", "--kb", "kb", "--rules", "rules")
    assert code == 1 and f"{ACME}/east/overlay.yaml:1:1: an overlay folder inside the overlay" in err


def test_an_overlay_folder_with_nothing_to_overlay_is_refused(playbook: Path, run_cli: RunCli) -> None:
    (playbook / "notes").mkdir()
    (playbook / "notes" / "README.md").write_text("ideas\n")
    code, _, err = _plan(run_cli, "notes")
    assert code == 2 and err.startswith("notes:1:1: not an overlay folder: it holds no overlay.yaml and no rule or "
                                        "item files")


def test_an_empty_client_folder_is_named_by_validate(playbook: Path, run_cli: RunCli) -> None:
    (playbook / ACME).mkdir(parents=True)
    code, _, err = run_cli("validate", "--kb", "kb", "--rules", "rules")
    assert code == 1 and f"{ACME}:1:1: not an overlay folder: it holds no overlay.yaml" in err


def test_a_rule_file_outside_every_layer_is_named(playbook: Path, run_cli: RunCli) -> None:
    (playbook / "rules" / "extra.yaml").write_text("rules: []\n")
    code, _, err = run_cli("validate", "--kb", "kb", "--rules", "rules")
    assert code == 0 and "rules/extra.yaml:1:1: warning: not read: rule files belong in rules/base/" in err
    assert run_cli("validate", "--kb", "kb", "--rules", "rules", "--strict")[0] == 1


def test_rules_that_set_one_fact_two_ways_are_found_by_validate(playbook: Path, build_tree,
                                                                 run_cli: RunCli) -> None:
    build_tree(playbook, {"rules/base/risk.yaml": """\
        rules:
          - id: risk-low
            title: {zh: 低, en: Low}
            when: {fact: team_size, gt: 3}
            then: {set: {risk_level: low}}
          - id: risk-high
            title: {zh: 高, en: High}
            when: {fact: industry, eq: retail}
            then: {set: {risk_level: high}}
          - id: risk-none
            title: {zh: 无, en: None}
            when: {fact: industry, ne: retail}
            then: {set: {risk_level: low}}
        """})
    code, _, err = run_cli("validate", "--kb", "kb", "--rules", "rules")
    assert code == 1
    assert ("rules/base/risk.yaml:6:5: rules risk-low (rules/base/risk.yaml:2) and risk-high set fact risk_level "
            "to different values ('low' and 'high') and can fire for the same client") in err
    assert "risk-none" not in err  # the value risk-low sets, and never for risk-high's clients
    code, _, err = _plan(run_cli)
    assert code == 1 and "rules/base/risk.yaml:6:5: rules risk-low (rules/base/risk.yaml:2) and risk-high" in err


def test_an_overlay_file_changes_the_digest_of_the_rules(playbook: Path, build_tree, run_cli: RunCli) -> None:
    build_tree(playbook, {f"{ACME}/overlay.yaml": "extends: [base]\n"})
    before = _plan(run_cli, ACME)[1]
    build_tree(playbook, {f"{ACME}/overlay.yaml": "extends: [base]\noverride: {cs-high-complaints: {priority: low}}\n"})
    after = _plan(run_cli, ACME)[1]
    digest = '"kb_digest": "'
    assert before.split(digest)[1][:71] != after.split(digest)[1][:71]


def test_a_pack_that_links_to_nothing_is_named(playbook: Path, run_cli: RunCli) -> None:
    (playbook / "rules" / "packs").mkdir()
    (playbook / "rules" / "packs" / "retail").symlink_to(playbook / "gone")
    code, _, err = run_cli("validate", "--kb", "kb", "--rules", "rules")
    assert code == 1 and "rules/packs/retail:1:1: cannot read folder: a dangling symbolic link" in err


@pytest.mark.parametrize("make", [
    pytest.param(lambda p: os.mkfifo(p), id="fifo"),
    pytest.param(lambda p: p.symlink_to("gone.yaml"), id="dangling-link"),
])
def test_a_playbook_planned_before_does_not_hide_a_file_added_since(make, playbook: Path, build_tree,
                                                                     run_cli: RunCli) -> None:
    build_tree(playbook, {f"{ACME}/overlay.yaml": "extends: [base]\n"})
    assert _plan(run_cli, ACME)[0] == 0  # now in the cache
    make(playbook / ACME / "f.yaml")
    code, _, err = _plan(run_cli, ACME)
    assert code == 1 and f"{ACME}/f.yaml:1:1: cannot read file: " in err
