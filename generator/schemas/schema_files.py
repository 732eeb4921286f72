"""Writing the generated schema files, and telling which shipped file is out of date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).parent


def generated(kb_dir: Path | None = None) -> dict[str, dict[str, Any]]:
    """Each generated schema, from the KB in `kb_dir` (the playbook's own by default)."""
    from generator.cli.common import default_kb
    from generator.core.errors import OpsbookError
    from generator.kb.validate import validate_kb
    from generator.schemas.facts_schema import facts_schema
    from generator.schemas.overlay_schema import overlay_schema
    from generator.schemas.plan_schema import plan_schema
    from generator.schemas.rules_schema import rules_schema
    from generator.schemas.ruletests_schema import ruletests_schema

    result = validate_kb(kb_dir or default_kb())
    if result.kb is None:
        raise OpsbookError(result.problems)
    return {"facts": facts_schema(result.kb), "plan": plan_schema(), "rules": rules_schema(),
            "overlay": overlay_schema(), "ruletests": ruletests_schema(result.kb)}


def as_text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def stale(folder: Path = FOLDER) -> list[str]:
    """The names of shipped schema files that differ from what would be generated now."""
    return [name for name, schema in generated().items()
            if not (folder / f"{name}.schema.json").is_file()
            or (folder / f"{name}.schema.json").read_text("utf-8") != as_text(schema)]


def write(folder: Path = FOLDER) -> list[Path]:
    """Write every generated schema into `folder`; the paths written."""
    written = []
    for name, schema in generated().items():
        path = folder / f"{name}.schema.json"
        path.write_text(as_text(schema), encoding="utf-8")
        written.append(path)
    return written
