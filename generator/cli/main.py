"""The `opsbook` command group. Commands live in their own modules and load lazily,
so `opsbook --help` and fast paths such as `plan` import only what they use."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from generator import __version__

# command name -> "module:attribute" under generator.cli
COMMANDS = {
    "validate": "validate:validate",
    "schema": "schema:schema",
    "site": "site:site",
    "plan": "plan:plan",
    "interview": "interview:interview",
    "explain": "explain:explain",
    "rules": "rules:rules",
    "lint": "lint:lint",
    "diff": "diff:diff",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(f"generator.cli.{module}"), attr)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="opsbook")
def cli() -> None:
    """opsbook: the operations playbook as code.

    Validate the knowledge base and rules, generate tailored action plans,
    and publish the playbook site.
    """


def main(argv: list[str] | None = None) -> Any:
    try:
        return cli.main(args=argv, prog_name="opsbook")
    except Exception as exc:  # the last line of defence: a bug, never the user's input
        if os.environ.get("OPSBOOK_DEBUG"):
            raise
        click.echo(f"opsbook: internal error ({type(exc).__name__}: {exc}); "
                   "set OPSBOOK_DEBUG=1 to see where, and please report it", err=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
