"""`opsbook diff`: what changed between two plans, and why."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import user_errors
from generator.cli.help import examples


@click.command(epilog=examples("opsbook plan old-facts.yaml -o old.json",
                               "opsbook plan new-facts.yaml -o new.json",
                               "opsbook diff old.json new.json",
                               "opsbook diff old.json new.json --format json"))
@click.argument("old", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("new", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one change per line, for people; json: the changes as a JSON object, for programs.")
@user_errors
def diff(old: Path, new: Path, fmt: str) -> None:
    """Items added, removed and changed between two JSON plans (OLD and NEW, as `opsbook plan
    --format json` writes them), with the rule or fact change responsible."""
    from generator.plan.diff import as_json, as_text, diff_plans, read_plan

    changes = diff_plans(read_plan(old), read_plan(new))
    click.echo(as_json(changes) if fmt == "json" else "\n".join(as_text(changes)))
