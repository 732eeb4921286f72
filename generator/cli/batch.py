"""`opsbook batch` (and `opsbook plan --batch`): many clients from a JSONL file, with a
progress counter when standard error is a terminal."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from generator.batch import LATEST_START, Job, LineResult, read_lines, run_batch
from generator.cli.common import DATE, default_kb, default_rules, playbook_folders, report_crash, user_errors
from generator.cli.help import LANG_HELP, examples
from generator.cli.progress import counter
from generator.kb.documents import shown_path


@click.command(epilog=examples("opsbook batch clients.jsonl -o plans.jsonl",
                               "opsbook batch clients.jsonl --jobs 2 --full --lang en -o plans.jsonl"))
@click.argument("lines", metavar="IN.jsonl", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None, metavar="OUT",
              help="Write the results to OUT (atomically) instead of standard output.")
@click.option("--force", is_flag=True, help="Overwrite an existing OUT.")
@click.option("--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--full", is_flag=True, help="Write whole opsbook-plan/1 plans, not batch records.")
@click.option("--overlay", "overlays", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="Client overlay folder, applied in order (repeatable).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help=LANG_HELP + " Default: each line's `lang` (the interview records it), else zh.")
@click.option("--start", type=DATE, default=None,
              help="Start date YYYY-MM-DD for every client (default: each line's start_date, else today).")
@playbook_folders
@user_errors
def batch(lines: Path, output: Path | None, force: bool, jobs: int, full: bool, overlays: tuple[Path, ...],
          lang: str | None, start: dt.date | None, kb_dir: Path | None, rules_dir: Path | None) -> None:
    """Plan every client of IN.jsonl (one facts object per line): one result line per client, in
    input order. A line with problems gets an error record and is reported as `file:line:col`;
    the other lines go on (exit 1 if any line has problems).

    Each result is an `opsbook-plan-batch/1` record (the rules' decisions for that client), or
    with --full a whole `opsbook-plan/1` plan."""
    from generator.output import check_target

    if output is not None:
        check_target(output, replace=force, exists="file exists: add --force to overwrite it")
    run(lines, output, jobs, full, lang, start, kb_dir or default_kb(), rules_dir or default_rules(), overlays,
        replace=force)


def run(batch: Path, output: Path | None, jobs: int, full: bool, lang: str | None, start: dt.date | None,
        kb_dir: Path, rules_dir: Path, overlays: Sequence[Path], replace: bool = True) -> None:
    """Plan every line of `batch`; write the results to `output` (refused if it exists, unless
    `replace`) or standard output; exit 1 if a line has problems, 3 if a line met a bug."""
    from generator.plan.playbook import load_playbook

    if start is not None and start > LATEST_START:
        raise click.BadParameter(f"{start} is too late: give a date up to {LATEST_START}", param_hint="--start")
    load_playbook(kb_dir, rules_dir, overlays)  # report playbook problems once, before any worker starts
    shown = shown_path(batch)
    lines = read_lines(batch, shown)
    job = Job(kb_dir, rules_dir, tuple(overlays), lang, start, full, shown)
    results = _plan_all(job, lines, jobs)
    _write(output, "".join(r.text + "\n" for r in results).encode("utf-8"), replace)
    bad = sum(1 for r in results if r.problems)
    click.echo(f"planned {len(lines) - bad} of {len(lines)} clients" + (f"; {bad} lines have problems" if bad else ""),
               err=True)
    crashes = [r.crash for r in results if r.crash]
    if crashes:  # the results are written first: a bug on one line loses no other line's plan
        summary = f"opsbook: internal error on {len(crashes)} line{'s' * (len(crashes) != 1)}"
        raise SystemExit(report_crash(summary, "\n".join(crashes), sys.argv))
    if bad:
        raise SystemExit(1)


def _plan_all(job: Job, lines: list[tuple[int, str]], jobs: int) -> list[LineResult]:
    """Every line's result, in input order, with its problems reported as they come."""
    results = []
    with counter("planning", len(lines)) as shown:
        for result in run_batch(job, lines, jobs, shown.advance):
            results.append(result)
            for problem in result.problems:
                shown.write(f"{problem}\n")
    return results


def _write(output: Path | None, data: bytes, replace: bool) -> None:
    from generator.output import write_atomic, write_stdout

    if output is None:
        write_stdout(data)
    else:
        write_atomic(output, data, replace=replace)
