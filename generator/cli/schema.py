"""`opsbook schema`: print a JSON Schema."""

from __future__ import annotations

import json

import click

from generator.cli.common import default_kb, user_errors


@click.command()
@click.argument("kind", type=click.Choice(["kb", "rules", "overlay", "ruletests", "facts", "plan"]), default="kb")
@user_errors
def schema(kind: str) -> None:
    """Print the JSON Schema of a file kind (kb, rules, overlay, ruletests, facts, plan)."""
    if kind == "facts":
        from generator.facts import facts_schema
        from generator.kb.validate import validate_kb

        result = validate_kb(default_kb())
        if result.kb is None:
            from generator.errors import OpsbookError

            raise OpsbookError(result.problems)
        data = facts_schema(result.kb)
    else:
        from generator.kb.schema import load_schema

        data = load_schema(kind)
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
