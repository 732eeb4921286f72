"""A facts file's `lang` (the interview records it) is the plan's language unless --lang says otherwise."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _facts(tmp_path: Path, lang: str | None) -> Path:
    text = (ROOT / "examples" / "saas-idea.yaml").read_text(encoding="utf-8")
    path = tmp_path / "facts.yaml"
    path.write_text(text + (f"\nlang: {lang}\n" if lang else ""), encoding="utf-8")
    return path


def test_plan_explain_and_batch_default_to_the_facts_language(run_cli, tmp_path: Path) -> None:
    english = _facts(tmp_path, "en")
    code, out, err = run_cli("plan", str(english), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["lang"] == "en"
    code, out, _ = run_cli("plan", str(english), "--format", "json", "--lang", "zh")
    assert json.loads(out)["lang"] == "zh"  # the option wins
    code, out, _ = run_cli("explain", str(english))
    assert code == 0 and "rules that fired" in out
    line = json.dumps({"client": {"name": "a"}, "industry": "retail", "business_model": "b2c", "stage": "growth",
                       "offering": "product", "lang": "en"})
    (tmp_path / "c.jsonl").write_text(line + "\n", encoding="utf-8")
    code, out, err = run_cli("plan", "--batch", str(tmp_path / "c.jsonl"))
    assert code == 0, err
    assert json.loads(out)["lang"] == "en"


def test_without_a_language_the_plan_is_chinese(run_cli, tmp_path: Path) -> None:
    code, out, _ = run_cli("plan", str(_facts(tmp_path, None)), "--format", "json")
    assert code == 0 and json.loads(out)["lang"] == "zh"
