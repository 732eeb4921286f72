"""A consultant's overlay folder as `rules test` and `--overlay` see it: an overlay folder stands
for its test cases, rule and overlay files are never read as test cases, coverage counts the
overlay's own rules, and a folder that is no overlay is one usage error saying what to give."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

RunCli = Callable[..., tuple[int, str, str]]
ROOT = Path(__file__).parents[2]
COFFEE = str(ROOT / "examples" / "coffee-chain.yaml")
SHANYU = "rules/clients/shanyu-coffee"
SHANYU_CASES = 3  # the cases of rules/clients/shanyu-coffee/tests/


@pytest.fixture
def playbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped rules beside the shipped KB, as the working folder."""
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _test(run_cli: RunCli, *args: str) -> tuple[int, str, str]:
    return run_cli("rules", "test", "--rules", "rules", *args)


def _summary(out: str) -> str:
    return out.strip().splitlines()[-1]


@pytest.mark.parametrize("given", [SHANYU, f"{SHANYU}/", f"{SHANYU}/tests", "rules/clients"])
def test_an_overlay_folder_stands_for_its_cases(given: str, playbook: Path, run_cli: RunCli) -> None:
    code, out, err = _test(run_cli, given)
    assert code == 0, out + err
    assert _summary(out) == f"{SHANYU_CASES} passed, 0 failed"
    assert err == ""


def test_the_rules_folder_stands_for_every_folder_of_cases(playbook: Path, run_cli: RunCli) -> None:
    every = _test(run_cli)
    code, out, err = _test(run_cli, "rules")
    assert code == 0 and err == ""
    assert _summary(out) == _summary(every[1])
    assert int(_summary(out).split()[0]) > SHANYU_CASES


@pytest.mark.parametrize(("given", "expected"), [
    (f"{SHANYU}/overlay.yaml", f"{SHANYU}/overlay.yaml:1:1: an overlay's settings, not rule test cases: test cases "
                               f"go in rules/tests/ or in an overlay's tests/ (`opsbook rules test {SHANYU}` runs "
                               "an overlay's cases)"),
    (f"{SHANYU}/rules.yaml", f"{SHANYU}/rules.yaml:1:1: a rule file of `{SHANYU}`, not rule test cases"),
    ("rules/base/finance.yaml", "rules/base/finance.yaml:1:1: a rule file of `rules/base`, not rule test cases"),
    ("rules/base", "rules/base:1:1: holds rule files, no rule test cases: give `rules/tests`, an overlay folder"),
])
def test_rule_files_are_never_read_as_cases(given: str, expected: str, playbook: Path, run_cli: RunCli) -> None:
    code, _, err = _test(run_cli, given)
    assert code == 1
    assert err.splitlines() == [line for line in err.splitlines() if line.startswith(expected)] and err, err
    assert "missing required key `cases`" not in err


def test_an_overlay_without_cases_says_where_they_go(playbook: Path, build_tree, run_cli: RunCli) -> None:
    build_tree(playbook, {"rules/clients/acme/overlay.yaml": "extends: [base]\n"})
    code, _, err = _test(run_cli, "rules/clients/acme")
    assert code == 1
    assert err.strip() == ("rules/clients/acme:1:1: this overlay has no rule test cases: add them as YAML files "
                           "in `rules/clients/acme/tests/`")


def test_cases_in_a_subfolder_of_tests_get_their_overlay(playbook: Path, run_cli: RunCli) -> None:
    tests = playbook / SHANYU / "tests"
    (tests / "more").mkdir()
    shutil.move(tests / "shanyu.yaml", tests / "more" / "shanyu.yaml")
    code, out, err = _test(run_cli, SHANYU)
    assert code == 0, out + err  # the cases expect the overlay's own items and rule
    assert _summary(out) == f"{SHANYU_CASES} passed, 0 failed"


def test_coverage_of_an_overlay_counts_its_own_rules(playbook: Path, run_cli: RunCli) -> None:
    rules = playbook / SHANYU / "rules.yaml"
    rules.write_text(rules.read_text().replace("\nitems:\n", """
  - id: shanyu-night-shift
    title: {zh: 夜班, en: Night shift}
    when: {fact: team_size, gt: 100000}
    then: {include: [execution.complaint-handling]}

items:
""", 1))
    base = sum(path.read_text().count("\n  - id: ") for path in (playbook / "rules" / "base").glob("*.yaml"))
    code, out, err = _test(run_cli, f"{SHANYU}/tests", "--coverage")
    assert code == 0, out + err
    hit, total = (int(n) for n in out.split("rules fired: ")[1].split()[0].split("/"))
    assert total == base - 1 + 2  # the overlay disables one base rule and adds two
    assert 0 < hit < total
    assert "  never fired: shanyu-night-shift (clients/shanyu-coffee)" in out
    assert "never fired: shanyu-shanghai-opening" not in out
    assert "never fired: mkt-roi-low" not in out  # disabled for this client: no case could fire it


def test_a_misspelled_rule_in_a_case_is_a_located_typo(playbook: Path, run_cli: RunCli) -> None:
    cases = playbook / SHANYU / "tests" / "shanyu.yaml"
    text = cases.read_text()
    assert "fired: [shanyu-shanghai-opening]" in text and "not_fired: [shanyu-shanghai-opening, mkt-roi-low]" in text
    cases.write_text(text.replace("fired: [shanyu-shanghai-opening]", "fired: [shanyu-shanghai-openin]")
                     .replace("not_fired: [shanyu-shanghai-opening, mkt-roi-low]",
                              "not_fired: [shanyu-shanghai-opening, mkt-roi-lo]"))
    code, out, err = _test(run_cli, SHANYU)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 2, err
    assert lines[0].endswith(": unknown rule `shanyu-shanghai-openin`; did you mean `shanyu-shanghai-opening`?")
    assert lines[1].endswith(": unknown rule `mkt-roi-lo`; did you mean `mkt-roi-low`?")
    assert all(line.startswith(f"{SHANYU}/tests/shanyu.yaml:") for line in lines)
    assert "FAIL" not in out


def test_a_case_file_listing_a_folder_that_is_no_overlay(playbook: Path, build_tree, run_cli: RunCli) -> None:
    build_tree(playbook, {"rules/tests/extra.yaml": """\
        overlays: [../base]
        cases:
          - name: any
            facts: {client: {name: T}, industry: retail, business_model: b2c, stage: growth, offering: product}
            expect: {fired: [base-goals]}
        """})
    code, _, err = _test(run_cli, "rules/tests/extra.yaml")
    assert code == 1
    assert err.strip() == ("rules/tests/extra.yaml:1:12: overlay `../base`: the playbook's own rules, which every "
                           "plan reads already: give the folder of one client, such as rules/clients/<name>")


NOT_OVERLAYS = {
    "empty": ("empty", "empty:1:1: not an overlay folder: it holds no overlay.yaml and no rule or item files "
                       "(YAML with `rules:` or `items:`): give the folder of one client, such as "
                       "rules/clients/<name>"),
    "kb": ("kb", "kb:1:1: not an overlay folder: it holds no overlay.yaml and no rule or item files"),
    "test-cases": ("rules/tests", "rules/tests:1:1: not an overlay folder"),
    "missing": ("nowhere", "nowhere:1:1: no such folder: give the folder of one client"),
    "rules": ("rules", "rules:1:1: the playbook's own rules, which every plan reads already"),
    "base": ("rules/base", "rules/base:1:1: the playbook's own rules, which every plan reads already"),
    "folder-of-overlays": ("rules/clients", "rules/clients:1:1: a folder of overlay folders: give one of them "
                                            f"(`--overlay {SHANYU}`)"),
    "pack": ("rules/packs/retail", "rules/packs/retail:1:1: a pack, which client overlays extend: name it in the "
                                   "client's overlay.yaml (`extends: [base, packs/retail]`)"),
}


@pytest.mark.parametrize("name", sorted(NOT_OVERLAYS))
@pytest.mark.parametrize("command", [("plan", COFFEE, "--format", "json"), ("explain", COFFEE),
                                     ("list", "rules")], ids=["plan", "explain", "list"])
def test_a_folder_that_is_no_overlay_is_one_usage_error(name: str, command: tuple[str, ...], playbook: Path,
                                                        build_tree, run_cli: RunCli) -> None:
    shutil.copytree(ROOT / "kb", playbook / "kb")
    build_tree(playbook, {"rules/packs/retail/retail.yaml": "rules: []\n"})
    (playbook / "empty").mkdir()
    folder, expected = NOT_OVERLAYS[name]
    code, out, err = run_cli(*command, "--rules", "rules", "--overlay", folder)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith(expected), err
    assert out == ""


def test_an_overlay_of_rule_files_only_is_an_overlay(playbook: Path, build_tree, run_cli: RunCli) -> None:
    build_tree(playbook, {"extra/rules.yaml": """\
        rules:
          - id: extra-scan
            title: {zh: 扫描, en: Scan}
            then: {include: [insight.market-sizing]}
        """})
    code, out, err = run_cli("plan", COFFEE, "--rules", "rules", "--overlay", "extra", "--format", "json")
    assert code == 0, err
    assert '"rule": "extra-scan"' in out
