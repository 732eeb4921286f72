"""What the commands share: default folders, reporting problems, the error boundary."""

from __future__ import annotations

import datetime as dt
import functools
import os
import platform
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import __version__
from generator.core.errors import OpsbookError, Problem, UsageProblem, hides_a_bug
from generator.rules.meaning.results import FactError, RuleError

F = TypeVar("F", bound=Callable[..., Any])
FACTS_READ = "opsbook.facts"  # the click context's meta key of the facts a command plans (a kb.loader Document)


def playbook_root() -> Path:
    """The playbook the package belongs to (OPSBOOK_HOME overrides it)."""
    env = os.environ.get("OPSBOOK_HOME")
    return Path(env) if env else Path(__file__).resolve().parents[2]


def default_kb() -> Path:
    return playbook_root() / "kb"


def default_rules() -> Path:
    return playbook_root() / "rules"


_FOLDER = click.Path(path_type=Path, file_okay=False)


def playbook_folders(func: F) -> F:
    """The `--kb` and `--rules` options every command that reads the playbook takes."""
    func = click.option("--rules", "rules_dir", type=_FOLDER, default=None,
                        help="Rules folder (default: the playbook's rules/).")(func)
    func = click.option("--kb", "kb_dir", type=_FOLDER, default=None,
                        help="Knowledge-base folder (default: the playbook's kb/).")(func)
    return func


class IsoDate(click.ParamType):
    """A day written YYYY-MM-DD, and only so (Python also reads 20270104 and 2027-W01-1 as dates),
    no later than the last day a plan can start."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from generator.facts.client import LATEST_DATE, iso_day

        day = iso_day(str(value))
        if day is None:
            self.fail(f"`{value}` is not a date as YYYY-MM-DD", param, ctx)
        if day > LATEST_DATE:
            self.fail(f"{value} is too late: give a date up to {LATEST_DATE}", param, ctx)
        return day


DATE = IsoDate()


def report(problems: Iterable[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def user_errors(func: F) -> F:
    """Turn OpsbookError into located messages and exit code 1 (a UsageProblem into a usage error,
    exit 2): never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UsageProblem as exc:
            report(exc.problems)
            raise SystemExit(2) from None
        except OpsbookError as exc:
            report(exc.problems)
            raise SystemExit(1) from None
        except RuleError as exc:
            if hides_a_bug(exc):
                raise  # a failure inside the engine is an internal error, with its crash report
            click.echo(_at_the_fact(exc) or f"opsbook: {exc}", err=True)
            raise SystemExit(1) from None

    return wrapper  # type: ignore[return-value]


def _at_the_fact(exc: RuleError) -> str | None:
    """A fact the engine refused, located in the facts file the command read (cli/loading.py keeps it)."""
    context = click.get_current_context(silent=True)
    doc = context.meta.get(FACTS_READ) if context is not None else None
    return str(exc.problem(doc)) if isinstance(exc, FactError) and doc is not None else None


INTERNAL_ERROR = 3  # the exit code of a bug, as DESIGN.md fixes it


def crash_folder() -> Path:
    """Where crash reports go: `crash/` in the cache folder, which the user already knows of."""
    base = os.environ.get("OPSBOOK_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "opsbook")
    return Path(base) / "crash"


def crash_text(details: str, argv: Sequence[str]) -> str:
    """A crash report: what a maintainer needs to reproduce the failure."""
    return (f"opsbook crash report\nopsbook: {__version__}\npython: {sys.version}\n"
            f"platform: {platform.platform()}\nengine: {os.environ.get('OPSBOOK_ENGINE', '(default)')}\n"
            f"argv: {list(argv)!r}\n\n{details}")


def write_crash_report(details: str, argv: Sequence[str]) -> Path:
    """Write a crash report to a new file (the temp folder when the cache folder fails); return its path."""
    from generator.core.files import write_private

    name = f"crash-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.txt"
    data = crash_text(details, argv).encode("utf-8", "replace")
    try:
        crash_folder().mkdir(parents=True, exist_ok=True)
        path = crash_folder() / name
        write_private(path, data)
    except OSError:
        import tempfile  # only a crash that cannot write to the cache folder needs it

        path = Path(tempfile.gettempdir()) / f"opsbook-{name}"
        write_private(path, data)
    return path


def crashed(exc: BaseException, argv: Sequence[str] | None = None) -> int:
    """Report a bug: a crash report file, one line saying where, exit code 3."""
    details = "".join(traceback.format_exception(exc))
    summary = f"opsbook: internal error ({type(exc).__name__}: {exc})"
    return report_crash(summary, details, sys.argv if argv is None else ["opsbook", *argv])


def report_crash(summary: str, details: str, argv: Sequence[str]) -> int:
    """Write `details` to a crash report and print `summary` with its path (or, when no file can
    be written, the details themselves): a bug is never reported without them. Returns 3."""
    try:
        path = write_crash_report(details, argv)
    except OSError as error:
        click.echo(f"{summary}; no crash report could be written ({error.strerror}), so here it is:\n{details}",
                   err=True)
        return INTERNAL_ERROR
    click.echo(f"{summary}; a report was written to {path}; please send it to the opsbook maintainers", err=True)
    return INTERNAL_ERROR
