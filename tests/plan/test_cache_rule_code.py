"""With the pure-Python engine, the playbook cache keeps the rules compiled: a cached plan compiles
no rule source, an entry holds the code of one engine and one Python only, and code marshalled by
another Python is compiled again, never loaded."""

from __future__ import annotations

import builtins
import marshal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from generator.plan import cache
from generator.plan.cache import fingerprint
from generator.plan.playbook import Playbook, load_playbook
from generator.rules import backends
from generator.rules.meaning.reference import evaluate_reference
from generator.rules.meaning.results import Evaluation
from generator.rules.python import level_functions
from generator.rules.python.level_functions import Compiled, PythonEngine

# facts that fire the mini playbook's chained rules (cs-high-complaints sets service_risk, which
# service-risk-review reads), and facts that do not fire cs-high-complaints
FACTS = ({"kpis.complaint_rate": 0.07, "offering": "service"}, {"kpis.complaint_rate": 0.01, "offering": "product"})
OTHER_MAGIC = b"\x00\x00\r\n"  # no Python's bytecode magic number


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test only, and the pure-Python engine."""
    path = tmp_path / "cache"
    monkeypatch.setenv("OPSBOOK_CACHE", str(path))
    monkeypatch.delenv("OPSBOOK_NO_CACHE", raising=False)
    monkeypatch.setenv(backends.VARIABLE, "python")
    return path


class Compiles:
    """Counts the builtin compile()'s calls while installed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sources: list[object] = []
        original = builtins.compile

        def counting(source: Any, *args: Any, **kwargs: Any) -> Any:
            self.sources.append(source)
            return original(source, *args, **kwargs)

        monkeypatch.setattr(builtins, "compile", counting)


def load(root: Path) -> Playbook:
    return load_playbook(root / "kb", root / "rules")


def answers(playbook: Playbook) -> list[Evaluation]:
    return [playbook.engine.evaluate(facts) for facts in FACTS]


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{cache.ENTRY_SUFFIX}"))


def test_a_cached_playbook_starts_the_python_engine_without_compiling(
        mini_playbook: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load(mini_playbook)  # validates, compiles and stores
    assert isinstance(first.engine, PythonEngine)
    expected = [evaluate_reference(first.ruleset.rules, facts) for facts in FACTS]
    assert answers(first) == expected
    assert [e.derived for e in expected] == [(("service_risk", True),), ()], "the facts chain, and do not"
    compiles = Compiles(monkeypatch)
    cached = load(mini_playbook)
    assert answers(cached) == expected
    assert compiles.sources == [], "a cache hit compiled source"
    assert len(entries(folder)) == 1


def test_the_python_engine_compiles_what_it_is_not_given(mini_playbook: Path, folder: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The counter above sees the engine's compile(): without a compiled record it compiles once."""
    rules = load(mini_playbook).ruleset.rules
    compiles = Compiles(monkeypatch)
    PythonEngine(rules)
    assert len(compiles.sources) == 1


def _foreign(compiled: Compiled) -> Compiled:
    """The record as another Python would have made it: another magic number, and code this Python
    cannot load (marshal.loads raises on it)."""
    with pytest.raises(ValueError):
        marshal.loads(b"\xff")
    return Compiled(compiled.levels, compiled.constants, compiled.helpers, b"\xff", OTHER_MAGIC)


def _helper_gone(compiled: Compiled) -> Compiled:
    """The record as a version of opsbook with another operator helper would have made it."""
    return Compiled(compiled.levels, compiled.constants, (*compiled.helpers, "_gone"), compiled.tests)


@pytest.mark.parametrize("change", [_foreign, _helper_gone], ids=["another Python", "a helper this version lacks"])
def test_code_this_python_cannot_run_is_compiled_again(mini_playbook: Path, folder: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       change: Callable[[Compiled], Compiled]) -> None:
    rules = load(mini_playbook).ruleset.rules
    compiled = change(level_functions.compile_rules(rules))
    assert not compiled.runs_here()
    compiles = Compiles(monkeypatch)
    engine = PythonEngine(rules, compiled)
    assert len(compiles.sources) == 1
    assert [engine.evaluate(facts) for facts in FACTS] == [evaluate_reference(rules, facts) for facts in FACTS]


def test_an_entry_of_another_python_is_not_read(mini_playbook: Path, folder: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry made by this Python is another key for a Python of another bytecode format (as 3.13
    beside 3.11 sharing one cache folder): it builds and compiles its own."""
    expected = answers(load(mini_playbook))
    key = fingerprint([mini_playbook / "kb", mini_playbook / "rules"], "python")
    monkeypatch.setattr(cache, "MAGIC_NUMBER", OTHER_MAGIC)
    monkeypatch.setattr(level_functions, "MAGIC_NUMBER", OTHER_MAGIC)
    assert fingerprint([mini_playbook / "kb", mini_playbook / "rules"], "python") != key
    compiles = Compiles(monkeypatch)
    other = load(mini_playbook)
    assert any(source for source in compiles.sources if isinstance(source, str) and "def level0" in source)
    assert answers(other) == expected
    assert len(entries(folder)) == 2


def test_the_key_names_the_engine_and_the_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folders = [tmp_path]
    keys = {fingerprint(folders, "python"), fingerprint(folders, "durable"), fingerprint(folders)}
    monkeypatch.setattr(cache.sys.implementation, "cache_tag", "cpython-399")
    keys.add(fingerprint(folders, "python"))
    assert len(keys) == 4


@pytest.mark.skipif(not backends.durable_available(), reason="durable_rules does not import on this Python")
def test_durable_compiles_and_stores_no_python_code(mini_playbook: Path, folder: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(backends.VARIABLE, "durable")

    def refused(*args: object, **kwargs: object) -> Compiled:
        raise AssertionError("the durable engine compiled rules for the python one")

    with monkeypatch.context() as patch:
        patch.setattr(level_functions, "compile_rules", refused)
        durable = load(mini_playbook)
    assert durable.engine.name == "durable"
    expected = answers(durable)
    monkeypatch.setenv(backends.VARIABLE, "python")
    python = load(mini_playbook)  # not the durable entry: its own, with the python code
    assert isinstance(python.engine, PythonEngine)
    assert answers(python) == expected
    assert len(entries(folder)) == 2
