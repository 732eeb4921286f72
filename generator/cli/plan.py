"""`opsbook plan`: the tailored plan for one client, in the format they work in."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.common import DATE, default_kb, default_rules, playbook_folders, report, user_errors
from generator.cli.help import LANG_HELP, examples
from generator.core.errors import OpsbookError, Problem
from generator.core.records import record
from generator.render import GROUPINGS, View
from generator.words import LANGS

if TYPE_CHECKING:
    from generator.plan.model import Plan


_EXISTS = "file exists: add --update to keep its ticked items, or --force to overwrite it"


def on_terminal() -> bool:
    """Whether standard output is a terminal a person reads (tests replace this)."""
    return sys.stdout.isatty()


def _view(group_by: str | None, window: int | None, fmt: str) -> View:
    """The Markdown layout asked for; other formats have one layout each."""
    if (group_by is not None or window is not None) and fmt != "md":
        raise click.UsageError(f"--group-by and --window lay out a Markdown plan, not {fmt}: add --format md")
    return View(group_by or GROUPINGS[0], window)


def output_format(fmt: str | None, output: Path | None) -> str:
    """The format to write: --format, else the output file's extension, else md. An output file
    must end in the extension of its format: a plan written as `plan.pdf` or `plan.txt` would
    be Markdown under a name that promises something else."""
    from generator.render import RENDERERS, format_for_path

    if output is None:
        return fmt or "md"
    named = format_for_path(output.name)
    if named is None:
        allowed = ", ".join(f.suffix for f in RENDERERS.values())
        raise click.BadParameter(f"`{output.name}` has no extension opsbook writes: end it in one of {allowed}",
                                 param_hint="'-o' / '--output'")
    if fmt is not None and fmt != named:
        raise click.BadParameter(f"`{output.name}` names a {named} file but --format is {fmt}: "
                                 f"name it *{RENDERERS[fmt].suffix} or leave --format out", param_hint="'--format'")
    return named


@click.command(epilog=examples(
    "opsbook plan examples/coffee-chain.yaml",
    "opsbook plan examples/coffee-chain.yaml > plan.md",
    "opsbook plan examples/coffee-chain.yaml -o plan.xlsx --lang en",
    "opsbook plan examples/coffee-chain.yaml -o plan.md --update",
    "opsbook plan examples/coffee-chain.yaml --group-by owner --window 30",
    "opsbook plan examples/coffee-chain.yaml \\",
    "    --overlay rules/clients/shanyu-coffee",
    "opsbook plan --batch clients.jsonl --jobs 2 -o plans.jsonl"))
@click.argument("facts", type=click.Path(path_type=Path, dir_okay=False), required=False)
@click.option("--overlay", "overlays", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="Client overlay folder, applied in order (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "csv", "ics", "xlsx"]), default=None,
              help="Output format (default: from the -o extension, else md; on a terminal without -o, "
                   "a view fitted to its width; --format md prints the Markdown there too).")
@click.option("--lang", type=click.Choice(LANGS), default=None,
              help=LANG_HELP + " Default: the facts' `lang` (the interview records it), else zh.")
@click.option("--group-by", "group_by", type=click.Choice(GROUPINGS), default=None,
              help="Markdown and the terminal view: list items by the time window they start in (default), "
                   "by phase and step, or by owner.")
@click.option("--window", type=click.IntRange(min=1), default=None, metavar="DAYS",
              help="Markdown and the terminal view: list only the items starting within DAYS days of the "
                   "start date.")
@click.option("--start", "start", type=DATE, default=None,
              help="Plan start date YYYY-MM-DD (default: the facts' start_date, else today).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of standard output; its extension (.md .json .csv "
                   ".ics .xlsx) gives the format.")
@click.option("--update", is_flag=True, help="Merge into an existing FILE, keeping ticked items.")
@click.option("--force", is_flag=True, help="Overwrite an existing FILE.")
@click.option("--batch", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Plan every client of a JSONL file (one facts object per line) instead of FACTS "
                   "(the same as `opsbook batch`).")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="With --batch: worker processes.")
@click.option("--full", is_flag=True, help="With --batch: write whole opsbook-plan/1 plans, not batch records.")
@playbook_folders
@user_errors
def plan(facts: Path | None, overlays: tuple[Path, ...], fmt: str | None, lang: str | None, group_by: str | None,
         window: int | None, start: dt.date | None, output: Path | None, update: bool, force: bool,
         batch: Path | None, jobs: int, full: bool, kb_dir: Path | None, rules_dir: Path | None) -> None:
    """Generate the prioritised, dated action plan for the business described in FACTS.

    On a terminal the plan shows as a view fitted to its width: priorities as coloured badges,
    owners and dates beside each item. Piped or redirected, it is Markdown (a GitHub task list
    that `--update` reads back); -o FILE writes the format its extension names."""
    if (facts is None) == (batch is None):
        raise click.UsageError("give either FACTS or --batch FILE.jsonl")
    if update and output is None:
        raise click.UsageError("--update merges into an earlier plan: name it with -o FILE")
    if batch is not None:
        _batch(batch, output, jobs, full, lang, start, overlays, kb_dir, rules_dir, replace=update or force,
               laid_out=group_by is not None or window is not None)
        return
    if full or jobs != 1:
        raise click.UsageError("--full and --jobs belong to --batch: add --batch FILE.jsonl or leave them out")
    assert facts is not None
    make_plan(plan_request(facts, overlays, fmt, lang, group_by, window, start, output, update, force,
                           kb_dir or default_kb(), rules_dir or default_rules()))


@record
class PlanRequest:
    """One client's plan as the command line asks for it, its options checked against each other."""

    facts: Path
    overlays: tuple[Path, ...]
    fmt: str  # the format written
    terminal: bool  # standard output is a terminal and no format was asked for: the fitted view
    lang: str | None  # None: the facts' own `lang`, else zh
    view: View
    start: dt.date | None  # None: the facts' start_date, else today
    output: Path | None  # None: standard output
    update: bool
    force: bool
    kb_dir: Path
    rules_dir: Path


def plan_request(facts: Path, overlays: tuple[Path, ...], fmt: str | None, lang: str | None,
                 group_by: str | None, window: int | None, start: dt.date | None, output: Path | None,
                 update: bool, force: bool, kb_dir: Path, rules_dir: Path) -> PlanRequest:
    """The request the options make, or the usage error that says which of them do not fit."""
    chosen = output_format(fmt, output)
    view = _view(group_by, window, chosen)
    if chosen == "xlsx" and output is None:
        raise click.UsageError("the xlsx format needs an output file: add -o plan.xlsx")
    terminal = output is None and fmt is None and on_terminal()
    return PlanRequest(facts, overlays, chosen, terminal, lang, view, start, output, update, force, kb_dir,
                       rules_dir)


def make_plan(request: PlanRequest) -> None:
    """Plan, then write: to standard output, or to the output file (merged with its ticks on --update)."""
    from generator.core.files import check_target

    output, replace = request.output, request.update or request.force
    existed = output is not None and check_target(output, replace=replace, exists=_EXISTS)
    from generator.cli.loading import facts_and_playbook

    playbook, client = facts_and_playbook(request.facts, request.kb_dir, request.rules_dir, request.overlays)
    from generator.facts.client import plan_lang

    result = playbook.plan(client, plan_lang(client, request.lang), request.start)
    if output is not None and existed and request.update:
        result = _merge(result, output, request.fmt, request.force)
    from generator.core.files import write_atomic, write_stdout
    from generator.render import RENDERERS

    if output is None:
        write_stdout(_terminal_view(result, request.view) if request.terminal
                     else RENDERERS[request.fmt].render(result, request.view))
        return
    data = RENDERERS[request.fmt].render(result, request.view)
    # without --update or --force, a file another run wrote while this one planned is kept
    write_atomic(output, data, replace=replace, exists=_EXISTS)
    click.echo(f"wrote {output} ({len(result.items)} items)", err=True)


def _batch(lines: Path, output: Path | None, jobs: int, full: bool, lang: str | None, start: dt.date | None,
           overlays: tuple[Path, ...], kb_dir: Path | None, rules_dir: Path | None, replace: bool,
           laid_out: bool) -> None:
    """`plan --batch`: the same as `opsbook batch`."""
    if laid_out:
        raise click.UsageError("--group-by and --window lay out a Markdown plan, not the JSON lines --batch "
                               "writes: leave them out")
    from generator.cli.batch import run

    run(lines, output, jobs, full, lang, start, kb_dir or default_kb(), rules_dir or default_rules(), overlays,
        replace=replace)


def _terminal_view(result: Plan, view: View) -> bytes:
    from generator.render import terminal  # rich loads only here: piped output never pays for it

    return terminal.render(result, view, terminal.console())


def _merge(result: Plan, output: Path, fmt: str, force: bool) -> Plan:
    from generator.plan.progress import carry_progress
    from generator.render.readback import read_progress

    progress = read_progress(output, fmt, str(output))
    report(progress.warnings)
    if progress.warnings and not force:
        # rewriting the file would lose the ticks that could not be read: never silently
        first = progress.warnings[0]
        count = len(progress.warnings)
        raise OpsbookError(Problem(first.path, first.line, first.col,
                                   f"{count} tick{'s' * (count != 1)} in this plan could not be read (see above), "
                                   "so updating it would lose them: fix those lines, or add --force to update anyway"))
    merged, dropped = carry_progress(result, progress)
    kept = sum(1 for i in merged.items if i.done)
    click.echo(f"kept {kept} ticked item{'s' * (kept != 1)} from {output}", err=True)
    for item_id in dropped:
        mark = " (was ticked)" if item_id in progress.done else ""
        click.echo(f"dropped out of the plan: {item_id}{mark}", err=True)
    return merged
