"""The `opsbook` command group. Commands live in their own modules and load lazily,
so `opsbook --help` and fast paths such as `plan` import only what they use."""

from __future__ import annotations

import atexit
import contextlib
import functools
import gc
import importlib
import os
import sys
from collections.abc import Iterator
from typing import NoReturn

import click

from generator import __version__
from generator.cli.help import examples

# command name -> ("module:attribute" under generator.cli, its one-line summary). `opsbook --help`
# lists the summaries from here, so it imports no command module.
COMMANDS = {
    "batch": ("batch:batch", "Plan many clients from a JSONL file, one result line each."),
    "diff": ("diff:diff", "What changed between two JSON plans, and why."),
    "explain": ("explain:explain", "Why each item is in a plan, or why an item is not."),
    "interview": ("interview:interview", "Answer questions about the business; write a facts file."),
    "lint": ("lint:lint", "Quality warnings: unreachable items, shadowed rules, RACI."),
    "list": ("listing:list_", "List the playbook's roles, steps, items, rules, facts, KPIs."),
    "plan": ("plan:plan", "The prioritised, dated action plan for one business."),
    "rules": ("rules:rules", "Test rule sets: run their test cases, with coverage."),
    "schema": ("schema:schema", "Print the JSON Schema of a file kind."),
    "site": ("site:site", "Build or serve the playbook site."),
    "validate": ("validate:validate", "Check every KB and rule file: schemas, cross-references."),
}


YOUNG_OBJECTS = 50_000  # new objects between two collections of the youngest generation (Python: 700)


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        target, summary = COMMANDS[cmd_name]
        module, attr = target.split(":")
        command: click.Command = getattr(importlib.import_module(f"generator.cli.{module}"), attr)
        command.short_help = summary
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, summary) in sorted(COMMANDS.items())])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog=examples("opsbook plan examples/coffee-chain.yaml",
                             "opsbook plan examples/coffee-chain.yaml -o plan.xlsx --lang en",
                             "opsbook explain examples/coffee-chain.yaml", "opsbook list roles",
                             "opsbook validate --strict", "opsbook COMMAND --help"))
@click.version_option(__version__, prog_name="opsbook")
def cli() -> None:
    """opsbook: the operations playbook as code.

    Validate the knowledge base and rules, generate tailored action plans,
    and publish the playbook site.
    """


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return its exit code: 0 success, 1 bad input, 2 usage, 3 internal error."""
    from generator.core.files import guarded_stdout

    _quick_exit()
    with guarded_stdout(), _fewer_collections():
        code = _run(argv)
        return _flushed(code)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """While a command runs, the youngest generation is collected after 50,000 new objects instead of
    700. Importing and planning make objects by the hundred thousand that all live on, so the default
    collected dozens of times to free next to nothing: about a tenth of a cold plan's time. Garbage
    still goes, at most that many objects later; the setting is restored afterwards.

    What the command made since the last collection moves to the oldest generation first (freeze, then
    unfreeze): restoring the threshold would otherwise collect those tens of thousands of objects at
    once, about 7 ms at the end of a cold plan, to free a few hundred. Cyclic garbage among them is
    still freed, by the next full collection."""
    before = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, *before[1:])
    try:
        yield
    finally:
        promote = gc.get_freeze_count() == 0  # never unfreeze what the caller froze
        if promote:
            gc.freeze()
        gc.set_threshold(*before)
        if promote:
            gc.unfreeze()


@functools.cache
def _quick_exit() -> None:
    """At exit, take every object out of the garbage collector's reach first. A plan leaves a playbook
    of some hundred thousand objects behind, which the collections Python runs while it shuts down
    would walk once more (about an eighth of a cold plan's time) only to find nothing: they are freed by
    reference counting all the same, and the process's memory goes back to the system whole. atexit
    runs it only when the interpreter ends, so a process that calls main() and goes on is unaffected."""
    atexit.register(gc.freeze)


def _run(argv: list[str] | None) -> int:
    from generator.cli.common import crashed, report
    from generator.core.errors import OpsbookError

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
    from generator.core.errors import OpsbookError
    from generator.core.files import stdout_failed

    try:
        sys.stdout.flush()
    except OpsbookError as exc:
        report(exc.problems)
        return code or 1
    except OSError as exc:
        report(stdout_failed(exc).problems)
        return code or 1
    return code


def run() -> NoReturn:
    """The process's entry point: main(), then the exit handlers, then the process ends without
    Python tearing itself down. Finalising the interpreter frees every module and the playbook's
    hundred thousand objects one by one, about 5 ms of a cold plan, memory the operating system
    takes back whole anyway. Standard output was flushed by main() (its failures are its exit code);
    with other threads still running, the exit is Python's own."""
    code = main()
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # nothing is left to report a failure to
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
