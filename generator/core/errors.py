"""The one user-error type, caught once by the CLI and turned into messages and an exit code."""

from __future__ import annotations

import stat
from collections.abc import Iterable, Sequence

from generator.core.records import record


@record(order=True)
class Problem:
    """One thing wrong with an input file, at a 1-based line and column."""

    path: str
    line: int
    col: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        if not self.path:
            return f"opsbook: {prefix}{self.message}"
        return f"{self.path}:{self.line}:{self.col}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "message": self.message,
            "severity": self.severity,
        }


class OpsbookError(Exception):
    """A problem with the user's input: reported as located messages, exit code 1."""

    def __init__(self, problems: Sequence[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", 0, 0, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageProblem(OpsbookError):
    """A command-line argument that names the wrong thing (an overlay folder that is none): reported
    as its located problem, with the exit code of a usage error (2) at the command line."""


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def suggest(word: str, choices: Iterable[str]) -> str:
    """`; did you mean `x`?` for the closest choice, or nothing."""
    import difflib  # only a mistake needs it, not a run that goes well

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else ""


def hides_a_bug(exc: BaseException) -> bool:
    """True when `exc` was raised `from` an exception that is no user error (a KeyError, a failure
    inside a library): reporting it as a mistake in the input would hide a bug."""
    cause = exc.__cause__
    if cause is None or isinstance(cause, OpsbookError):
        return False
    return hides_a_bug(cause) if isinstance(cause, type(exc)) else True


def file_kind(mode: int) -> str:
    """`a FIFO`, `a folder`... for a stat mode, as messages name what a path is."""
    kinds = [(stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link")]
    return next((name for test, name in kinds if test(mode)), "a special file")
