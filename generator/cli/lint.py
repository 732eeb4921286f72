"""`opsbook lint`: quality warnings on the KB and the rules."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import default_kb, default_rules, report, user_errors


@click.command()
@click.option("--kb", "kb_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Knowledge-base folder (default: the playbook's kb/).")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Rules folder (default: the playbook's rules/).")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@user_errors
def lint(kb_dir: Path | None, rules_dir: Path | None, strict: bool) -> None:
    """Unreachable steps and items, rules that never fire or are shadowed, unused facts,
    RACI and translation problems."""
    from generator.lint import lint as run

    problems = run(kb_dir or default_kb(), rules_dir or default_rules())
    report(problems)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}", err=True)
    raise SystemExit(1 if errors or (strict and warnings) else 0)
