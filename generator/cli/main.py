"""The `opsbook` command group. Commands live in their own modules and load lazily,
so `opsbook --help` and fast paths such as `plan` import only what they use."""

from __future__ import annotations

import importlib
import os
import sys

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


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return its exit code: 0 success, 1 bad input, 2 usage, 3 internal error."""
    from generator.output import guarded_stdout

    with guarded_stdout():
        code = _run(argv)
        return _flushed(code)


def _run(argv: list[str] | None) -> int:
    from generator.cli.common import crashed, report
    from generator.errors import OpsbookError

    try:
        cli.main(args=argv, prog_name="opsbook")
    except SystemExit as stop:
        return _exit_code(stop.code)
    except OpsbookError as exc:  # raised outside a command's own boundary, e.g. by output written late
        report(exc.problems)
        return 1
    except Exception as exc:  # the last line of defence: a bug, never the user's input
        if os.environ.get("OPSBOOK_DEBUG"):
            raise
        return crashed(exc, argv)
    return 0


def _exit_code(code: object) -> int:
    if code is None or isinstance(code, int):
        return code or 0
    click.echo(str(code), err=True)  # sys.exit("message"), as Python itself would show it
    return 1


def _flushed(code: int) -> int:
    """Flush what standard output still holds: output that never arrives is a failed run."""
    from generator.cli.common import report
    from generator.errors import OpsbookError
    from generator.output import stdout_failed

    try:
        sys.stdout.flush()
    except OpsbookError as exc:
        report(exc.problems)
        return code or 1
    except OSError as exc:
        report(stdout_failed(exc).problems)
        return code or 1
    return code


if __name__ == "__main__":
    sys.exit(main())
