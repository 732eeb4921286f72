"""Synthetic playbooks at N times the shipped size: the shipped phases and base rules
copied N times under new IDs, so validation, compilation and planning see N times the data."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

HEADER = "# yaml-language-server: $schema=../../generator/schemas/kb.schema.json\n"


def _step(step_id: str, copy: int) -> str:
    return step_id if copy == 0 else f"{step_id}-k{copy}"


def _target(target: str, copy: int) -> str:
    """A step or item ID in copy `copy`: the step part (phase.step) gets the suffix."""
    parts = target.split(".")
    return ".".join([_step(".".join(parts[:2]), copy), *parts[2:]])


def _steps(steps: list[dict[str, Any]], copy: int) -> list[dict[str, Any]]:
    for step in steps:
        step["id"] = _step(step["id"], copy)
        step["depends_on"] = [_step(d, copy) for d in step.get("depends_on", [])]
        for item in step["items"]:
            item["id"] = _target(item["id"], copy)
            item["depends_on"] = [_target(d, copy) for d in item.get("depends_on", [])]
    return steps


def _rules(rules: list[dict[str, Any]], copy: int) -> list[dict[str, Any]]:
    for rule in rules:
        rule["id"] = rule["id"] if copy == 0 else f"{rule['id']}-k{copy}"
        then = rule["then"]
        for key in ("include", "exclude"):
            if key in then:
                then[key] = [_target(t, copy) for t in then[key]]
    return rules


def _dump(path: Path, data: dict[str, Any], header: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")


def synthetic_playbook(root: Path, dest: Path, factor: int) -> tuple[Path, Path, Path]:
    """(kb, rules, facts) of a playbook `factor` times the shipped one."""
    kb, rules = dest / "kb", dest / "rules"
    shutil.copytree(root / "kb", kb, ignore=shutil.ignore_patterns("phases"))
    for path in sorted((root / "kb" / "phases").glob("*.yaml")):
        original = yaml.safe_load(path.read_text(encoding="utf-8"))
        for copy in range(factor):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) if copy else original
            out: dict[str, Any] = {"steps": _steps(data["steps"], copy)}
            if copy == 0:
                out = {"phase": data["phase"], **out}
            _dump(kb / "phases" / f"{path.stem}-{copy:03d}.yaml", out, HEADER)
    for path in sorted((root / "rules" / "base").glob("*.yaml")):
        for copy in range(factor):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            _dump(rules / "base" / f"{path.stem}-{copy:03d}.yaml", {"rules": _rules(data["rules"], copy)})
    facts = dest / "facts.yaml"
    shutil.copy(root / "examples" / "coffee-chain.yaml", facts)
    return kb, rules, facts
