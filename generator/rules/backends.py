"""The rules engines behind one interface, and which one runs.

Two back ends give the same results (the differential test compares them): `durable`,
the rules compiled into durable_rules, and `python`, the rules compiled into plain
Python functions (generator.rules.python.level_functions). durable runs where its C core
imports; the pure-Python back end runs everywhere. `OPSBOOK_ENGINE=durable|python`
chooses one; by default durable where it imports, pure Python otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Protocol

from generator.core.errors import Problem, UsageProblem
from generator.rules.meaning.results import Evaluation
from generator.rules.model import Rule

if TYPE_CHECKING:
    from generator.rules.durable.program import Program
    from generator.rules.python.level_functions import Compiled

VARIABLE = "OPSBOOK_ENGINE"
NAMES = ("durable", "python")


class RulesEngine(Protocol):
    """What the planner needs of a back end."""

    name: str

    def evaluate(self, facts: Mapping[str, object]) -> Evaluation:
        """The rules that fired for these facts, with what they matched, and the derived facts."""
        ...

    def close(self) -> None:
        """Free what the back end holds outside Python's memory, now."""
        ...


@cache
def durable_available() -> bool:
    """Whether durable_rules' C core imports on this Python."""
    try:
        import durable_rules_engine  # noqa: F401
        from durable import engine  # noqa: F401
    except ImportError:
        return False
    return True


def chosen(name: str | None = None) -> str:
    """The back end to run: `name`, else $OPSBOOK_ENGINE, else durable where it imports. A
    name that is no back end, or durable where it does not import, is a usage error."""
    wanted = name or os.environ.get(VARIABLE, "").strip()
    if not wanted:
        return "durable" if durable_available() else "python"
    if wanted not in NAMES:
        raise UsageProblem(Problem("", 0, 0, f"{VARIABLE}={wanted}: unknown rules engine; use {' or '.join(NAMES)}"))
    if wanted == "durable" and not durable_available():
        raise UsageProblem(Problem("", 0, 0, (
            f"{VARIABLE}=durable: durable_rules does not import on this Python; unset {VARIABLE} "
            "or set it to python (the pure-Python engine gives the same plans)")))
    return wanted


def compile_for(rules: Sequence[Rule], name: str | None = None) -> Program | Compiled:
    """What make_engine starts back end `name` (else the chosen one) from, compiled ahead so that a
    cache can keep it: durable's program, or the pure-Python back end's code. Durable's compiler runs
    either way, so the rules it refuses (beyond its limits) are refused whichever engine plans."""
    from generator.rules.durable.compiler import compile_rules

    program = compile_rules(rules)
    if chosen(name) == "durable":
        return program
    from generator.rules.python import level_functions

    return level_functions.compile_rules(rules, tuple(level.level for level in program.levels))


def make_engine(rules: Sequence[Rule], compiled: Program | Compiled | None = None,
                name: str | None = None) -> RulesEngine:
    """A ready engine for these rules; `compiled`, what compile_for made before (e.g. cached),
    spares the back end compiling them again."""
    if chosen(name) == "python":
        from generator.rules.python.level_functions import Compiled, PythonEngine

        return PythonEngine(rules, compiled if isinstance(compiled, Compiled) else None)
    from generator.rules.durable.engine import Engine
    from generator.rules.durable.program import Program

    return Engine(rules, program=compiled if isinstance(compiled, Program) else None)
