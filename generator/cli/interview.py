"""`opsbook interview`: ask the fact questions and write a valid facts file."""

from __future__ import annotations

from pathlib import Path

import click
import yaml

from generator.cli.common import default_kb, user_errors


@click.command()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the facts file here (default: standard output).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@user_errors
def interview(output: Path | None, lang: str, force: bool) -> None:
    """Ask the questions about your business and write a facts file for `opsbook plan`."""
    from generator.interview import interview as run
    from generator.output import check_target, write_atomic
    from generator.plan.playbook import load_kb

    exists = "file exists: add --force to overwrite it"
    if output is not None:
        check_target(output, replace=force, exists=exists)
    kb = load_kb(default_kb())
    answers = run(kb, lang, lambda q: str(click.prompt(q, default="", show_default=False)),
                  lambda text: click.echo(text, err=True))
    text = "# Facts about the business, written by `opsbook interview`; use with `opsbook plan`.\n" + yaml.safe_dump(
        answers, allow_unicode=True, sort_keys=False)
    if output is None:
        click.echo(text, nl=False)
        return
    write_atomic(output, text.encode("utf-8"), replace=force, exists=exists)
    click.echo(f"wrote {output}", err=True)
