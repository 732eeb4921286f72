"""`opsbook interview`: ask the fact questions and write a valid facts file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from generator.cli.common import default_kb, user_errors
from generator.cli.help import examples
from generator.words import LANGS


@click.command(epilog=examples("opsbook interview -o my-business.yaml", "opsbook interview --lang en > facts.yaml",
                               "opsbook interview --plain < answers.txt > facts.yaml"))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write the facts file here (default: standard output; the questions go to standard error).")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True,
              help="Language of the questions; recorded in the facts file as the plans' language.")
@click.option("--plain", is_flag=True,
              help="Numbered prompts instead of arrow keys (always so when input is not a terminal).")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@user_errors
def interview(output: Path | None, lang: str, plain: bool, force: bool) -> None:
    """Ask the questions about your business and write a facts file for `opsbook plan`.

    Type < to go back a question; every answer is shown for review before anything is written.
    Answers may be piped in, one per line, ending with an empty line that confirms the review."""
    from generator.core.files import check_target, write_atomic, write_stdout
    from generator.facts.interview import WORDS, frontend
    from generator.facts.interview import interview as conduct
    from generator.plan.playbook import load_kb

    exists = "file exists: add --force to overwrite it"
    if output is not None:
        check_target(output, replace=force, exists=exists)
    kb = load_kb(default_kb())
    text = conduct(kb, frontend(lang, plain), dt.date.today())
    if output is None:
        write_stdout(text.encode("utf-8"))
        return
    write_atomic(output, text.encode("utf-8"), replace=force, exists=exists)
    click.echo(WORDS[lang]["wrote"].format(path=output), err=True)
