"""`opsbook plan --batch`: many clients from a JSONL file, with a progress bar on a terminal."""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from generator.batch import Job, read_lines, run_batch
from generator.cli.common import report
from generator.kb.documents import shown_path


def run(batch: Path, output: Path | None, jobs: int, full: bool, lang: str, start: dt.date | None,
        kb_dir: Path, rules_dir: Path, overlays: Sequence[Path]) -> None:
    from generator.plan.playbook import load_playbook

    load_playbook(kb_dir, rules_dir, overlays)  # report playbook problems once, before any worker starts
    shown = shown_path(batch)
    lines = read_lines(batch, shown)
    job = Job(kb_dir, rules_dir, tuple(overlays), lang, start, full, shown)
    out = io.StringIO()
    bad = 0
    show_bar = sys.stderr.isatty()
    with click.progressbar(length=len(lines), label="planning", file=sys.stderr if show_bar else io.StringIO()) as bar:
        for text, problems in run_batch(job, lines, jobs, bar.update):
            out.write(text + "\n")
            if problems:
                bad += 1
                report(problems)
    data = out.getvalue().encode("utf-8")
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        from generator.output import write_atomic

        write_atomic(output, data)
    click.echo(f"planned {len(lines) - bad} of {len(lines)} clients" + (f"; {bad} lines have problems" if bad else ""),
               err=True)
    if bad:
        raise SystemExit(1)
