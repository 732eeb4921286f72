"""`opsbook batch` (and `opsbook plan --batch`): many clients from a JSONL file, with a
progress counter when standard error is a terminal."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click

from generator.cli.common import DATE, default_kb, default_rules, playbook_folders, report_crash, user_errors
from generator.cli.help import LANG_HELP, examples
from generator.cli.progress import Counter, counter
from generator.kb.documents import shown_path
from generator.plan.batch import LATEST_START, Job, Piece, count_lines, iter_lines, run_pieces
from generator.words import LANGS


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
@click.option("--lang", type=click.Choice(LANGS), default=None,
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
    run(lines, output, jobs, full, lang, start, kb_dir or default_kb(), rules_dir or default_rules(), overlays,
        replace=force)


def run(batch: Path, output: Path | None, jobs: int, full: bool, lang: str | None, start: dt.date | None,
        kb_dir: Path, rules_dir: Path, overlays: Sequence[Path], replace: bool = True) -> None:
    """Plan every line of `batch`; write the results to `output` (refused if it exists, unless
    `replace`) or standard output as they are made; exit 1 if a line has problems, 3 if a line
    met a bug."""
    from generator.core.files import check_target

    if output is not None:  # refused before any planning, not after it
        check_target(output, replace=replace, exists="file exists: add --force to overwrite it")
    from generator.plan.playbook import load_playbook

    if start is not None and start > LATEST_START:
        raise click.BadParameter(f"{start} is too late: give a date up to {LATEST_START}", param_hint="--start")
    load_playbook(kb_dir, rules_dir, overlays)  # report playbook problems once, before any worker starts
    shown = shown_path(batch)
    total = count_lines(batch, shown)  # also refuses an unreadable file before any output is made
    job = Job(kb_dir, rules_dir, tuple(overlays), lang, start, full, shown)
    tally = Tally()
    with counter("planning", total) as progress:
        _write(output, _pieces(run_pieces(job, iter_lines(batch, shown), jobs, progress.advance), tally, progress),
               replace)
    click.echo(f"planned {total - tally.bad} of {total} clients"
               + (f"; {tally.bad} lines have problems" if tally.bad else ""), err=True)
    if tally.crashes:  # the results are written first: a bug on one line loses no other line's plan
        count = len(tally.crashes)
        summary = f"opsbook: internal error on {count} line{'s' * (count != 1)}"
        raise SystemExit(report_crash(summary, "\n".join(tally.crashes), sys.argv))
    if tally.bad:
        raise SystemExit(1)


@dataclass
class Tally:
    """What the written lines held: how many had problems, and the bugs met."""

    bad: int = 0
    crashes: list[str] = field(default_factory=list)


def _pieces(pieces: Iterable[Piece], tally: Tally, progress: Counter) -> Iterator[bytes]:
    """The output, a chunk of lines at a time; the problems of its lines are reported as it comes."""
    for piece in pieces:
        tally.bad += len(piece.problems)
        for problems in piece.problems:
            for problem in problems:
                progress.write(f"{problem}\n")
        tally.crashes += piece.crashes
        yield piece.data


def _write(output: Path | None, pieces: Iterator[bytes], replace: bool) -> None:
    from generator.core.files import write_atomic_pieces, write_stdout_pieces

    if output is None:
        write_stdout_pieces(pieces)
    else:
        write_atomic_pieces(output, pieces, replace=replace)
