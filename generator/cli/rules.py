"""`opsbook rules test`: run rule test cases, with coverage."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.common import default_kb, default_rules, playbook_folders, user_errors
from generator.cli.help import examples

if TYPE_CHECKING:
    from generator.plan.playbook import Playbook
    from generator.plan.ruletests import Suite


@click.group(epilog=examples("opsbook rules test", "opsbook rules test --coverage"))
def rules() -> None:
    """Work with rule sets: test them like code."""


# Shown as written: click would join the lines of the format sketch into one paragraph.
CASE_FORMAT = """\b
A test file is YAML: rules/tests/*.yaml, and tests/*.yaml inside an
overlay folder (that overlay then applies to each of its cases).

\b
  overlays: [../clients/acme]   # optional: overlay folders (relative
                                # to this file) for every case
  cases:
    - name: high complaints raise complaint handling
      facts:                    # what a facts file for `plan` holds
        client: {name: Test Co}
        industry: retail
        ...
      expect:                   # one or more of:
        include: [STEP-OR-ITEM, ...]   # must be in the plan
        exclude: [STEP-OR-ITEM, ...]   # must not be in it
        priority: {STEP-OR-ITEM: high, ...}  # critical|high|medium|low
        fired: [RULE, ...]             # rules that must fire
        not_fired: [RULE, ...]         # rules that must not fire

\b
A step ID stands for all its items: in include, every one is in the
plan; in exclude, none is; in priority, each has that priority. Cases
are planned in English from a fixed Monday. The whole format: `opsbook
schema ruletests`.
"""


@rules.command("test", short_help="Run rule test cases, with coverage.",
               epilog=CASE_FORMAT + "\n" + examples(
                   "opsbook rules test", "opsbook rules test --coverage",
                   "opsbook rules test rules/tests/kpis.yaml rules/clients/shanyu-coffee/tests"))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--coverage", is_flag=True, help="Report the rules fired and steps reached by the cases.")
@playbook_folders
@user_errors
def test(paths: tuple[Path, ...], coverage: bool, kb_dir: Path | None, rules_dir: Path | None) -> None:
    """Run the rule test cases of PATHS (files, or folders of them; default: rules/tests/ and
    every overlay's tests/). A failed case shows what was expected and why the plan differs;
    exit 1 if any case fails."""
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
    suite = run_suite(files, load, rules_root)
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
    from generator.rules.model import facts_read

    # a KPI is exercised when a case fires a rule that reads its value
    kpis = {k.id for p in playbooks for k in p.kb.kpis}
    read = {f.removeprefix("kpis.") for rid in fired & set(rules) for f in facts_read(rules[rid])
            if f.startswith("kpis.")}
    click.echo(f"rules fired: {_share(len(set(rules) & fired), len(rules))}")
    click.echo(f"steps reached: {_share(len(steps & reached), len(steps))}")
    click.echo(f"kpis exercised: {_share(len(kpis & read), len(kpis))}")
    for rid in cold_rules:
        click.echo(f"  never fired: {rid} ({rules[rid].layer})")
    for sid in cold_steps:
        click.echo(f"  never reached: {sid}")
    for kid in sorted(kpis - read):
        click.echo(f"  never exercised: kpi {kid}")
