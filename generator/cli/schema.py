"""`opsbook schema`: print a JSON Schema."""

from __future__ import annotations

from typing import Any

import click

from generator.cli.common import user_errors
from generator.cli.help import examples

KINDS = ("kb", "rules", "overlay", "ruletests", "facts", "plan")


class _KindArgument(click.Argument):
    """KIND, whose absence is a usage error naming every schema on one line."""

    def process_value(self, ctx: click.Context, value: Any) -> Any:
        if self.value_is_missing(value):
            raise click.UsageError(f"name the schema to print, one of: {', '.join(KINDS)} "
                                   "(for example `opsbook schema plan`)", ctx)
        return super().process_value(ctx, value)


@click.command(epilog=examples("opsbook schema plan > plan.schema.json", "opsbook schema facts"))
@click.argument("kind", cls=_KindArgument, type=click.Choice(KINDS), metavar="KIND", required=True)
@user_errors
def schema(kind: str) -> None:
    """Print the JSON Schema of a file KIND: kb (knowledge-base files), rules (rule files),
    overlay (overlay.yaml), ruletests (rule test cases), facts (a client's facts file, from the
    playbook's fact vocabulary) or plan (the opsbook-plan/1 JSON a plan is written as). The same
    schemas ship as files in the package (generator/schemas/KIND.schema.json)."""
    import json

    from generator.kb.schema import load_schema

    click.echo(json.dumps(load_schema(kind), ensure_ascii=False, indent=2))
