"""`opsbook rules test`: run rule test cases, with coverage."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.common import default_kb, default_rules, playbook_folders, user_errors

if TYPE_CHECKING:
    from generator.plan.playbook import Playbook
    from generator.plan.ruletests import Suite


@click.group()
def rules() -> None:
    """Work with rule sets."""


@rules.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--coverage", is_flag=True, help="Report the rules fired and steps reached by the cases.")
@playbook_folders
@user_errors
def test(paths: tuple[Path, ...], coverage: bool, kb_dir: Path | None, rules_dir: Path | None) -> None:
    """Run rule test cases (default: rules/tests/ and every overlay's tests/)."""
    from generator.plan.playbook import load_playbook
    from generator.plan.ruletests import case_files, run_suite

    kb, rules_root = kb_dir or default_kb(), rules_dir or default_rules()
    loaded: dict[tuple[Path, ...], Playbook] = {}

    def load(overlays: tuple[Path, ...]) -> Playbook:
        if overlays not in loaded:
            loaded[overlays] = load_playbook(kb, rules_root, overlays)
        return loaded[overlays]

    files = case_files(paths, rules_root)
    if not files:
        raise click.UsageError("no rule test files found")
    suite = run_suite(files, load)
    for result in suite.results:
        if not result.passed:
            click.echo(f"FAIL {result.name} ({result.where})")
            for line in result.failures:
                click.echo(f"  {line}")
    if coverage:
        _coverage(suite, loaded)
    passed = len(suite.results) - suite.failed
    click.echo(f"{passed} passed, {suite.failed} failed")
    raise SystemExit(1 if suite.failed else 0)


def _share(hit: int, total: int) -> str:
    """`hit/total (pct%)`, with an empty total counting as 0%."""
    return f"{hit}/{total} ({100 * hit / max(total, 1):.0f}%)"


def _coverage(suite: Suite, loaded: dict[tuple[Path, ...], Playbook]) -> None:
    playbooks = list(loaded.values())
    rules = {r.id: r for p in playbooks for r in p.ruleset.rules}
    steps = {s.id for p in playbooks for s in p.kb.steps}
    fired = set().union(*(r.fired for r in suite.results))
    reached = set().union(*(r.steps for r in suite.results))
    cold_rules = sorted(set(rules) - fired)
    cold_steps = sorted(steps - reached)
    click.echo(f"rules fired: {_share(len(set(rules) & fired), len(rules))}")
    click.echo(f"steps reached: {_share(len(steps & reached), len(steps))}")
    for rid in cold_rules:
        click.echo(f"  never fired: {rid} ({rules[rid].layer})")
    for sid in cold_steps:
        click.echo(f"  never reached: {sid}")
