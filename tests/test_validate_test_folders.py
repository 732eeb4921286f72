"""`opsbook validate` finds rule test cases where `opsbook rules test` finds them and rule layers
where `opsbook plan` reads them (generator/rules/layer_files.py), so what one accepts the others
accept, and what one refuses the others refuse with the same located message."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

RunCli = Callable[..., tuple[int, str, str]]
FACTS = Path(__file__).parent / "corpus" / "base" / "facts.yaml"
VALIDATE = ("validate", "--kb", "kb", "--rules", "rules")
RULES_TEST = ("rules", "test", "--kb", "kb", "--rules", "rules")
PLAN = ("plan", str(FACTS), "--kb", "kb", "--rules", "rules", "--format", "json")
CASES = ("overlays: [shared]\ncases:\n  - name: the shared overlay leaves the baseline out\n"
         "    facts: {client: {name: A}, industry: retail, offering: both}\n"
         "    expect: {not_fired: [baseline], exclude: [strategy.goal-setting]}\n")


@pytest.fixture
def playbook(mini_playbook: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(mini_playbook)
    return mini_playbook


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_an_overlay_kept_beside_the_test_cases_is_no_test_case(playbook: Path, run_cli: RunCli) -> None:
    """rules/tests/shared/ is an overlay the cases plan with: its files are not read as test cases."""
    _write(playbook, {"rules/tests/shared/overlay.yaml": "extends: [base]\ndisable: [baseline]\n",
                      "rules/tests/cases.yaml": CASES})
    code, out, err = run_cli(*RULES_TEST)
    assert code == 0 and "1 passed, 0 failed" in out + err, out + err
    code, out, err = run_cli(*VALIDATE)
    assert code == 0 and "valid:" in out and "overlay.yaml" not in err, out + err


def test_a_rule_layers_tests_folder_is_refused_alike(playbook: Path, run_cli: RunCli) -> None:
    _write(playbook, {"rules/base/tests/cases.yaml": CASES.replace("overlays: [shared]\n", "")})
    expected = "rules/base/tests/cases.yaml:1:1: a rule layer's `tests/` folder is not read"
    for args in (VALIDATE, PLAN, (*RULES_TEST, "rules/base/tests/cases.yaml")):
        code, _, err = run_cli(*args)
        assert code == 1 and err.startswith(expected), (args, err)


def test_a_bad_overlay_test_case_is_refused_alike(playbook: Path, run_cli: RunCli) -> None:
    _write(playbook, {"rules/clients/acme/overlay.yaml": "extends: [base]\n",
                      "rules/clients/acme/tests/cases.yaml": CASES.replace("overlays: [shared]\n", "")
                      .replace("expect:", "expected:")})
    expected = "rules/clients/acme/tests/cases.yaml:4:5: unknown key `expected`; did you mean `expect`?"
    for args in (VALIDATE, RULES_TEST, (*RULES_TEST, "rules/clients/acme")):
        code, _, err = run_cli(*args)
        assert code == 1 and expected in err, (args, err)


def test_without_base_rules_validate_plan_and_rules_test_fail_alike(playbook: Path, run_cli: RunCli) -> None:
    _write(playbook, {"rules/tests/cases.yaml": CASES.replace("overlays: [shared]\n", "")})
    shutil.rmtree(playbook / "rules" / "base")
    expected = "rules:1:1: rule layer `base` not found in rules"
    for args in (VALIDATE, PLAN, (*RULES_TEST, "rules/tests/cases.yaml")):
        code, _, err = run_cli(*args)
        assert code == 1 and expected in err, (args, err)


def test_a_rule_test_with_facts_opsbook_refuses_is_refused_by_validate_too(playbook: Path, run_cli: RunCli) -> None:
    _write(playbook, {"rules/tests/cases.yaml": CASES.replace("overlays: [shared]\n", "")
                      .replace("industry: retail", "industry: retial")})
    expected = "rules/tests/cases.yaml:3:42: `industry` value `retial` is not allowed; did you mean `retail`?"
    for args in (VALIDATE, RULES_TEST):
        code, _, err = run_cli(*args)
        assert code == 1 and expected in err, (args, err)
