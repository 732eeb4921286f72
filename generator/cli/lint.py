"""`opsbook lint`: quality warnings on the KB and the rules."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import default_kb, default_rules, playbook_folders, report, user_errors
from generator.cli.help import examples


@click.command(epilog=examples("opsbook lint", "opsbook lint --strict", "opsbook lint --stamp"))
@playbook_folders
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--stamp", is_flag=True,
              help="Record `en_src` (the hash of the Chinese text) beside every English text that lacks one.")
@user_errors
def lint(kb_dir: Path | None, rules_dir: Path | None, strict: bool, stamp: bool) -> None:
    """Unreachable steps and items, rules that never fire or are shadowed, unused facts,
    RACI and translation problems."""
    from generator.plan.lint import lint as run

    if stamp:
        _stamp(kb_dir or default_kb(), rules_dir or default_rules())

    problems = run(kb_dir or default_kb(), rules_dir or default_rules())
    report(problems)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}", err=True)
    raise SystemExit(1 if errors or (strict and warnings) else 0)


def _stamp(kb_dir: Path, rules_dir: Path) -> None:
    from generator.kb.documents import yaml_files
    from generator.kb.translations import stamp_files
    from generator.plan.playbook_check import rule_folders

    # Each folder as validate reads it: a pack linked from elsewhere is stamped where it lives.
    roots = [kb_dir, *rule_folders(rules_dir)]
    total = stamp_files((path, root) for root in roots for path in yaml_files(root))
    click.echo(f"stamped {total} translation{'s' * (total != 1)}", err=True)
