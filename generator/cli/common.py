"""What the commands share: default folders, reporting problems, the error boundary."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator.errors import OpsbookError, Problem
from generator.rules.results import RuleError

F = TypeVar("F", bound=Callable[..., Any])


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


def report(problems: Iterable[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def user_errors(func: F) -> F:
    """Turn OpsbookError into located messages and exit code 1: never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OpsbookError as exc:
            report(exc.problems)
            raise SystemExit(1) from None
        except RuleError as exc:
            click.echo(f"opsbook: {exc}", err=True)
            raise SystemExit(1) from None

    return wrapper  # type: ignore[return-value]
