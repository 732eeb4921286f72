"""`opsbook plan --batch`: many clients from a JSONL file, with a progress bar on a terminal."""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from generator.batch import LATEST_START, Job, LineResult, read_lines, run_batch
from generator.cli.common import report, report_crash
from generator.kb.documents import shown_path


def run(batch: Path, output: Path | None, jobs: int, full: bool, lang: str, start: dt.date | None,
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
    show_bar = sys.stderr.isatty()
    with click.progressbar(length=len(lines), label="planning", file=sys.stderr if show_bar else io.StringIO()) as bar:
        for result in run_batch(job, lines, jobs, bar.update):
            results.append(result)
            report(result.problems)
    return results


def _write(output: Path | None, data: bytes, replace: bool) -> None:
    from generator.output import write_atomic, write_stdout

    if output is None:
        write_stdout(data)
    else:
        write_atomic(output, data, replace=replace)
