"""The generated schema files ship as `python -m generator.schemas` writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.schemas import __main__ as command
from generator.schemas.schema_files import as_text, generated, stale, write

SCHEMAS = Path(__file__).parents[2] / "generator" / "schemas"
GENERATED = generated()


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_each_shipped_schema_is_the_generated_one(name: str) -> None:
    shipped = (SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")
    assert shipped == as_text(GENERATED[name]), "run `python -m generator.schemas` and commit the result"


def test_check_names_a_stale_file_and_write_mends_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    for name in GENERATED:
        (tmp_path / f"{name}.schema.json").write_text((SCHEMAS / f"{name}.schema.json").read_text("utf-8"), "utf-8")
    (tmp_path / "plan.schema.json").write_text("{}\n", encoding="utf-8")
    assert stale(tmp_path) == ["plan"]
    monkeypatch.setattr(command, "stale", lambda: stale(tmp_path))
    assert command.main(["x", "--check"]) == 1
    assert "plan.schema.json is out of date" in capsys.readouterr().out
    monkeypatch.setattr(command, "write", lambda: write(tmp_path))
    assert command.main(["x"]) == 0
    assert stale(tmp_path) == []
