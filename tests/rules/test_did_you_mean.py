"""A misspelled rule, role, item, step or layer ID is answered with the ID it was probably meant to
be, wherever a consultant writes one: rules, overlay files and items, rule test cases, --overlay.
(`opsbook diff` reads two plans and takes no ID from anyone: it has nothing to suggest.)
Each misspelling is also the only problem reported: one error per root cause."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[2]
MINI_KB, MINI_RULES = ROOT / "tests" / "validate" / "minikb", ROOT / "tests" / "validate" / "minirules"
CORPUS_BASE = ROOT / "tests" / "corpus" / "base"
PLAN = ("plan", "facts.yaml", "--kb", "kb", "--rules", "rules", "--overlay", "ov", "--format", "json")
TEST = ("rules", "test", "rt.yaml", "--kb", "kb", "--rules", "rules")
HOTLINE = "execution.complaint-handling.corpus-hotline"
OV_RULE = (f"rules:\n  - id: ov-hotline\n    title: {{zh: 热线, en: Hotline}}\n"
           f"    when: {{fact: industry, eq: retail}}\n    then: {{include: [{HOTLINE}]}}\n")


def _edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        text = (root / path).read_text(encoding="utf-8")
        assert old in text, (path, old)
        (root / path).write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _write(path: str, text: str) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")

    return write


def _pack(root: Path) -> None:
    _write("rules/packs/retail/r.yaml", "rules:\n  - id: retail-scan\n    title: {zh: 扫描, en: Scan}\n"
                                        "    then: {include: [insight.market-scan]}\n")(root)


def _client(root: Path) -> None:
    shutil.copytree(root / "ov", root / "rules" / "clients" / "corpus-co")


# name: (changes to the workspace, command, the one problem reported)
CASES: dict[str, tuple[list[Callable[[Path], None]], tuple[str, ...], str]] = {
    "an overlay rule includes a misspelled overlay item": (
        [_write("ov/rules.yaml", OV_RULE.replace(HOTLINE, HOTLINE[:-1]))], PLAN,
        f"ov/rules.yaml:5:22: unknown step or item `{HOTLINE[:-1]}`; did you mean `{HOTLINE}`?"),
    "a base rule includes a misspelled step": (
        [_edit("rules/base/base.yaml", "[execution.complaint-handling]", "[execution.complaint-handlin]")], PLAN,
        "rules/base/base.yaml:15:17: unknown step or item `execution.complaint-handlin`; "
        "did you mean `execution.complaint-handling`?"),
    "an overlay item's misspelled owner, with a rule including the item": (
        [_edit("ov/items.yaml", "owner: cs-lead", "owner: cs-laed"), _write("ov/rules.yaml", OV_RULE)], PLAN,
        "ov/items.yaml:6:12: unknown role `cs-laed`; did you mean `cs-lead`?"),
    "an overlay item's misspelled step": (
        [_edit("ov/items.yaml", "step: execution.complaint-handling", "step: execution.complaint-handlin")], PLAN,
        "ov/items.yaml:3:11: unknown step `execution.complaint-handlin`; did you mean `execution.complaint-handling`?"),
    "an overlay item's misspelled dependency": (
        [_edit("ov/items.yaml", "effort: 1", "effort: 1\n    depends_on: [insight.market-scan.sze]")], PLAN,
        "ov/items.yaml:9:18: unknown checklist item `insight.market-scan.sze`; "
        "did you mean `insight.market-scan.size`?"),
    "a misspelled rule disabled": (
        [_edit("ov/overlay.yaml", "extends: [base]", "extends: [base]\ndisable: [baselin]")], PLAN,
        "ov/overlay.yaml:4:11: cannot disable unknown rule `baselin`; did you mean `baseline`?"),
    "a misspelled rule overridden": (
        [_edit("ov/overlay.yaml", "cs-high-complaints:", "cs-high-complaint:")], PLAN,
        "ov/overlay.yaml:5:3: cannot override unknown rule `cs-high-complaint`; did you mean `cs-high-complaints`?"),
    "an override includes a misspelled step": (
        [_edit("ov/overlay.yaml", "{priority: critical}", "{include: [insight.market-scn]}")], PLAN,
        "ov/overlay.yaml:5:34: unknown step or item `insight.market-scn`; did you mean `insight.market-scan`?"),
    "a misspelled pack extended": (
        [_pack, _edit("ov/overlay.yaml", "extends: [base]", "extends: [base, packs/retial]")], PLAN,
        "ov/overlay.yaml:3:17: rule layer `packs/retial` not found in rules; did you mean `packs/retail`?"),
    "a misspelled client folder given to --overlay": (
        [_client], (*PLAN[:-3], "rules/clients/corpus-c", "--format", "json"),
        "rules/clients/corpus-c:1:1: no such folder; did you mean `rules/clients/corpus-co`?"),
    "a rule test expects a misspelled rule to fire": (
        [_edit("rt.yaml", "fired: [cs-high-complaints]", "fired: [cs-high-complaint]")], TEST,
        "rt.yaml:8:15: unknown rule `cs-high-complaint`; did you mean `cs-high-complaints`?"),
    "a rule test expects a misspelled rule not to fire": (
        [_edit("rt.yaml", "fired: [cs-high-complaints]", "fired: [cs-high-complaints]\n      not_fired: [baselin]")],
        TEST, "rt.yaml:9:19: unknown rule `baselin`; did you mean `baseline`?"),
    "a rule test expects an overlay's misspelled rule to fire": (
        [_write("ov/rules.yaml", OV_RULE), _edit("rt.yaml", "cases:", "overlays: [ov]\ncases:"),
         _edit("rt.yaml", "fired: [cs-high-complaints]", "fired: [ov-hotlin]")], TEST,
        "rt.yaml:9:15: unknown rule `ov-hotlin`; did you mean `ov-hotline`?"),
    "a rule test plans with a misspelled client folder": (
        [_client, _edit("rt.yaml", "cases:", "overlays: [rules/clients/corpus-c]\ncases:")], TEST,
        "rt.yaml:2:12: overlay folder `rules/clients/corpus-c` not found (paths are relative to this file); "
        "did you mean `rules/clients/corpus-co`?"),
    "a rule test expects a misspelled item": (
        [_edit("rt.yaml", "include: [execution.complaint-handling]", "include: [execution.complaint-handlng]")],
        TEST, "rt.yaml:6:17: unknown step or item `execution.complaint-handlng`; "
              "did you mean `execution.complaint-handling`?"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_misspelled_id_gets_a_did_you_mean(name: str, tmp_path: Path, run_cli: Any,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(MINI_KB, tmp_path / "kb")
    shutil.copytree(MINI_RULES, tmp_path / "rules")
    shutil.copytree(CORPUS_BASE, tmp_path, dirs_exist_ok=True)
    changes, args, expected = CASES[name]
    for change in changes:
        change(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, _, stderr = run_cli(*args)
    assert code in (1, 2) and stderr.splitlines() == [expected], stderr
