"""`opsbook validate`: check every KB and rule file, report every problem."""

from __future__ import annotations

import json
from pathlib import Path

import click

from generator.cli.common import default_kb, default_rules, playbook_folders, report, user_errors
from generator.cli.help import examples
from generator.core.errors import errors_only
from generator.plan.playbook_check import validate_playbook


@click.command(epilog=examples("opsbook validate", "opsbook validate --strict",
                               "opsbook validate --kb my-kb --rules my-rules --format json"))
@playbook_folders
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one `path:line:col: message` line per problem on standard error; json: "
                   '{"ok", "counts", "problems"} on standard output.')
@user_errors
def validate(kb_dir: Path | None, rules_dir: Path | None, strict: bool, fmt: str) -> None:
    """Check every KB and rule file: schemas and cross-references. Every problem is reported
    with its file, line and column; exit 1 if there are errors (or, with --strict, warnings)."""
    result = validate_playbook(kb_dir or default_kb(), rules_dir or default_rules())
    failing = result.problems if strict else errors_only(result.problems)
    ok = not failing
    if fmt == "json":
        payload = {"ok": ok, "counts": result.counts,
                   "problems": [p.as_dict() for p in result.problems]}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        report(result.problems)
        if ok:
            warnings = len(result.problems)
            summary = ", ".join(f"{n} {name}" for name, n in result.counts.items())
            tail = f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""
            click.echo(f"valid: {summary}{tail}")
        else:
            errors = len(errors_only(result.problems))
            click.echo(f"{errors} error{'s' * (errors != 1)}, {len(result.problems) - errors} warning"
                       f"{'s' * (len(result.problems) - errors != 1)}", err=True)
    raise SystemExit(0 if ok else 1)
