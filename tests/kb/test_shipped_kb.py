"""The knowledge base the playbook ships (kb/ at the repository root): valid under --strict,
big enough to be a playbook, every section cited, and bilingual throughout."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.kb.model import KB, Text
from generator.kb.validate import validate_kb

ROOT = Path(__file__).resolve().parents[2]
MINIMUMS = {"phases": 6, "steps": 40, "items": 200, "roles": 12, "kpis": 30, "glossary": 30,
            "templates": 4}


@pytest.fixture(scope="module")
def kb() -> KB:
    result = validate_kb(ROOT / "kb")
    assert result.kb is not None, "\n".join(str(p) for p in result.problems)
    return result.kb


def test_validates_strictly(run_cli: Callable[..., tuple[int, str, str]]) -> None:
    code, out, err = run_cli("validate", "--kb", str(ROOT / "kb"), "--rules", str(ROOT / "rules"),
                             "--strict")
    assert (code, err) == (0, ""), err
    assert out.startswith("valid: ")


@pytest.mark.parametrize(("kind", "minimum"), MINIMUMS.items())
def test_counts_meet_the_minimums(kb: KB, kind: str, minimum: int) -> None:
    assert kb.counts()[kind] >= minimum


def _elements(kb: KB) -> Iterator[object]:
    yield from kb.phases
    yield from kb.steps
    yield from kb.items
    yield from (*kb.roles, *kb.kpis, *kb.glossary, *kb.templates, *kb.facts)


def test_every_section_is_cited(kb: KB) -> None:
    cited = {source for element in _elements(kb) for source in getattr(element, "sources", ())}
    assert [s.id for s in kb.sections if s.id not in cited] == []
    assert len(kb.sections) > 0


def test_every_step_has_exactly_one_accountable_role(kb: KB) -> None:
    wrong = {step.id: step.roles_with("A") for step in kb.steps if len(step.roles_with("A")) != 1}
    assert wrong == {}


def _texts(value: object, where: str) -> Iterator[tuple[str, Text]]:
    """Every Text inside a model element, with where it sits."""
    if isinstance(value, Text):
        yield where, value
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            if f.name not in ("steps", "items"):  # elements of their own
                yield from _texts(getattr(value, f.name), f"{where}.{f.name}")
    elif isinstance(value, tuple):
        for i, inner in enumerate(value):
            yield from _texts(inner, f"{where}[{i}]")


def test_every_element_has_chinese_and_english_text(kb: KB) -> None:
    checked = 0
    for element in _elements(kb):
        texts = list(_texts(element, getattr(element, "id", "?")))
        assert texts, f"{getattr(element, 'id', element)} has no text"
        missing = [where for where, text in texts if not (text.zh.strip() and text.en.strip())]
        assert missing == []
        checked += 1
    assert checked >= sum(MINIMUMS.values())


def test_a_broken_file_does_not_make_other_files_fail(run_cli, tmp_path: Path) -> None:
    import shutil

    shutil.copytree(Path(__file__).parents[2] / "kb", tmp_path / "kb")
    insight = tmp_path / "kb" / "phases" / "insight.yaml"
    insight.write_text(insight.read_text() + "  - id: insight.half-written\n    phase: insight\n")
    code, _, err = run_cli("validate", "--kb", str(tmp_path / "kb"))
    assert code == 1
    assert "missing required key `domain`" in err
    assert "phase `insight` is missing" not in err, "the phase still counts: only its new step is wrong"
    assert "unknown checklist item" not in err and "unknown step" not in err
