"""Help a person can act on: every command and subcommand shows an example, every option says
what it does, the command list is never cut short, and `--help` loads no command module."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from generator.cli.main import COMMANDS, cli

ROOT = Path(__file__).parents[2]


def _commands(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from _commands(command, ctx, (*path, name))


ALL = list(_commands(cli, click.Context(cli)))
@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_every_command_has_an_example_and_describes_every_option(run_cli, path: tuple[str, ...]) -> None:
    code, out, _ = run_cli(*path, "--help")
    assert code == 0
    assert any(line.startswith("opsbook " + " ".join(path)) for line in _examples(out))
    ctx = click.Context(cli)
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(ctx, name)
        assert found is not None
        command = found
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{'/'.join(param.opts)} of `opsbook {' '.join(path)}` has no description"
    assert max(len(line) for line in out.splitlines()) <= 80, "help fits an 80-column terminal"


def _examples(help_text: str) -> list[str]:
    """The example command lines of a help text."""
    after = help_text.split("Examples:\n", 1)[1] if "Examples:\n" in help_text else ""
    return [line.strip() for line in after.splitlines() if line.startswith("    opsbook ")]


def test_the_group_help_has_an_example(run_cli) -> None:
    code, out, _ = run_cli("--help")
    assert code == 0 and any(line.startswith("opsbook plan ") for line in _examples(out))


def test_command_summaries_are_whole(run_cli) -> None:
    for path in [(), ("rules",), ("site",)]:
        code, out, _ = run_cli(*path, "--help")
        assert code == 0
        listed = out.split("Commands:\n", 1)[1].split("\n\n", 1)[0].splitlines()
        assert listed and all(line.startswith("  ") for line in listed), "one line per command"
        assert not any(line.rstrip().endswith(("...", "…")) for line in listed), listed
    assert set(COMMANDS) >= {"validate", "plan", "explain", "interview", "rules", "lint", "diff", "site", "schema",
                             "list", "batch"}, "every command of DESIGN.md"


def test_the_command_list_loads_no_command_module() -> None:
    probe = ("import contextlib, io, sys\nfrom generator.cli.main import main\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--help'])\n"
             "print(sorted(m for m in sys.modules if m.startswith('generator.cli.') and m not in "
             "('generator.cli.main', 'generator.cli.help', 'generator.cli.common')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_schema_needs_its_kind(run_cli) -> None:
    code, out, err = run_cli("schema")
    assert code == 2 and out == ""
    assert "kb, rules, overlay, ruletests, facts, plan" in err


def test_rules_test_help_describes_every_key_of_a_case_file(run_cli) -> None:
    schema = json.loads((ROOT / "generator" / "schemas" / "ruletests.schema.json").read_text(encoding="utf-8"))
    case = schema["properties"]["cases"]["items"]
    keys = [*schema["properties"], *case["properties"], *case["properties"]["expect"]["properties"]]
    code, out, _ = run_cli("rules", "test", "--help")
    assert code == 0
    for key in keys:
        assert f"{key}:" in out, key
    assert "critical|high|medium|low" in out
