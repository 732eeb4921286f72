"""`opsbook plan`: the tailored plan for one client, in the format they work in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator.cli.common import default_kb, default_rules, playbook_folders, report, user_errors
from generator.errors import OpsbookError, Problem
from generator.render import GROUPINGS, View

if TYPE_CHECKING:
    from generator.plan.model import Plan


_EXISTS = "file exists: add --update to keep its ticked items, or --force to overwrite it"


def _start(value: str | None) -> dt.date | None:
    if value is None:
        return None
    from generator.facts import LATEST_DATE

    try:  # Python also reads 20270104 and 2027-W01-1 as dates; the help promises YYYY-MM-DD only
        day = dt.date.fromisoformat(value) if len(value) == 10 and value[4] == value[7] == "-" else None
    except ValueError:
        day = None
    if day is None:
        raise click.BadParameter(f"`{value}` is not a date as YYYY-MM-DD", param_hint="--start")
    if day > LATEST_DATE:
        raise click.BadParameter(f"{value} is too late: give a date up to {LATEST_DATE}", param_hint="--start")
    return day


def _view(group_by: str | None, window: int | None, fmt: str) -> View:
    """The Markdown layout asked for; other formats have one layout each."""
    if (group_by is not None or window is not None) and fmt != "md":
        raise click.UsageError(f"--group-by and --window lay out a Markdown plan, not {fmt}: add --format md")
    return View(group_by or GROUPINGS[0], window)


@click.command()
@click.argument("facts", type=click.Path(path_type=Path, dir_okay=False), required=False)
@click.option("--overlay", "overlays", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="Client overlay folder, applied in order (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "csv", "ics", "xlsx"]), default=None,
              help="Output format (default: from the -o suffix, else md).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@click.option("--group-by", "group_by", type=click.Choice(GROUPINGS), default=None,
              help="md only: list items by the time window they start in (default), by phase and step, "
                   "or by owner.")
@click.option("--window", type=click.IntRange(min=1), default=None, metavar="DAYS",
              help="md only: list only the items starting within DAYS days of the start date.")
@click.option("--start", "start", default=None,
              help="Plan start date YYYY-MM-DD (default: the facts' start_date, else today).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write to FILE (atomically) instead of standard output.")
@click.option("--update", is_flag=True, help="Merge into an existing FILE, keeping ticked items.")
@click.option("--force", is_flag=True, help="Overwrite an existing FILE.")
@click.option("--batch", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Plan every client of a JSONL file (one facts object per line) instead of FACTS.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="With --batch: worker processes.")
@click.option("--full", is_flag=True, help="With --batch: write whole opsbook-plan/1 plans, not batch records.")
@playbook_folders
@user_errors
def plan(facts: Path | None, overlays: tuple[Path, ...], fmt: str | None, lang: str, group_by: str | None,
         window: int | None, start: str | None, output: Path | None, update: bool, force: bool, batch: Path | None,
         jobs: int, full: bool, kb_dir: Path | None, rules_dir: Path | None) -> None:
    """Generate the prioritised, dated action plan for the business described in FACTS."""
    from generator.render import RENDERERS, format_for_path

    if (facts is None) == (batch is None):
        raise click.UsageError("give either FACTS or --batch FILE.jsonl")
    if update and output is None:
        raise click.UsageError("--update merges into an earlier plan: name it with -o FILE")
    if batch is None and (full or jobs != 1):
        raise click.UsageError("--full and --jobs belong to --batch: add --batch FILE.jsonl or leave them out")
    from generator.output import check_target

    if batch is not None:
        if output is not None:
            check_target(output, replace=update or force, exists="file exists: add --force to overwrite it")
        from generator.cli.batch import run

        _view(group_by, window, "JSON lines (--batch)")
        run(batch, output, jobs, full, lang, _start(start), kb_dir or default_kb(), rules_dir or default_rules(),
            overlays, replace=update or force)
        return
    assert facts is not None

    fmt = fmt or (format_for_path(str(output)) if output else None) or "md"
    view = _view(group_by, window, fmt)
    if fmt == "xlsx" and output is None:
        raise click.UsageError("the xlsx format needs an output file: add -o plan.xlsx")
    existed = output is not None and check_target(output, replace=update or force, exists=_EXISTS)
    begin = _start(start)
    from generator.cli.loading import facts_and_playbook

    playbook, client = facts_and_playbook(facts, kb_dir or default_kb(), rules_dir or default_rules(), overlays)
    result = playbook.plan(client, lang, begin)
    if output is not None and existed and update:
        result = _merge(result, output, fmt, force)
    data = RENDERERS[fmt].render(result, view)
    from generator.output import write_atomic, write_stdout

    if output is None:
        write_stdout(data)
        return

    # without --update or --force, a file another run wrote while this one planned is kept
    write_atomic(output, data, replace=update or force, exists=_EXISTS)
    click.echo(f"wrote {output} ({len(result.items)} items)", err=True)


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
