"""A plan whose playbook comes from the cache imports only what planning and its one output format
need: the modules below load only on other paths (a crash, a folder swap, a typo to suggest a
fix for, compiling rules, another format), and each costs a cold start milliseconds."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
PROBE = """
import gc, json, os, sys
collections = []
gc.callbacks.append(lambda phase, info: phase == "stop" and collections.append(info["generation"]))
from generator.cli.main import main
before, default = len(collections), gc.get_threshold()
code = main(["plan", "examples/coffee-chain.yaml", "--format", sys.argv[1]])
print(json.dumps([code, sorted(sys.modules), collections[before:], [default, gc.get_threshold()]]),
      file=sys.stderr)
"""
# Standard library modules the plan path used to import at start: temp files, tree deletion, signals,
# fuzzy matching are for crashes, folder swaps and mistakes; the pickle module for writing the cache
# (reading it needs only the C unpickler); file locks for writing a file (the plan goes to standard output);
# hashlib and hmac, which load OpenSSL, for working out what the cache does not hold.
STDLIB = {"tempfile", "shutil", "secrets", "signal", "difflib", "bz2", "lzma", "pickle", "fcntl",
          "hashlib", "_hashlib", "hmac"}
# The validator, the rules compiler and the other formats' writers (and their libraries).
OURS = {"generator.kb.validate", "generator.rules.durable.compiler", "generator.rules.durable.splitting",
        "generator.rules.layers", "generator.render.markdown", "generator.render.jsonplan",
        "generator.render.terminal", "generator.render.xlsx", "generator.render.ics", "generator.render.csvplan"}
LIBRARIES = {"jsonschema", "openpyxl", "icalendar", "rich", "mkdocs", "markdown", "holidays", "jieba"}
# The word catalogues: a JSON plan shows none of their words (a Markdown plan reads its language's).
CATALOGUES = {"generator.words.zh", "generator.words.en"}


def _probe(fmt: str, env: dict[str, str]) -> tuple[set[str], list[int], list[list[int]]]:
    """The modules a plan imported, the generations the collector collected, and its thresholds
    before and after the command (the default differs between Python versions)."""
    result = subprocess.run([sys.executable, "-c", PROBE, fmt], capture_output=True, text=True, check=True,
                            cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
    code, modules, collections, threshold = json.loads(result.stderr.strip().splitlines()[-1])
    assert code == 0
    assert result.stdout, "the plan was written"
    return set(modules), collections, threshold


def _modules(fmt: str, env: dict[str, str]) -> set[str]:
    return _probe(fmt, env)[0]


@pytest.mark.parametrize(("fmt", "writer"), [("json", "generator.render.jsonplan"),
                                              ("md", "generator.render.markdown")])
def test_a_cached_plan_imports_only_its_own_writer(tmp_path: Path, fmt: str, writer: str) -> None:
    env = dict(os.environ, OPSBOOK_CACHE=str(tmp_path))
    first = _modules(fmt, env)
    assert "generator.kb.validate" in first, "the first run validates the playbook and caches it"
    loaded = _modules(fmt, env)
    assert writer in loaded
    unexpected = (STDLIB | OURS - {writer}) & loaded
    unexpected |= {m for m in loaded if m.split(".")[0] in LIBRARIES}
    if fmt == "json":
        unexpected |= CATALOGUES & loaded
    assert not unexpected, f"a cached {fmt} plan imported {sorted(unexpected)}"


def test_a_cached_plan_rarely_stops_for_the_garbage_collector(tmp_path: Path) -> None:
    """With Python's default threshold (700 on 3.11) a cached plan collected about 40 times (a tenth of its time);
    the CLI collects the youngest objects after 50,000 new ones, and restores the default after."""
    env = dict(os.environ, OPSBOOK_CACHE=str(tmp_path))
    _probe("json", env)  # fills the cache
    _, collections, threshold = _probe("json", env)
    assert len(collections) <= 10, collections
    before, after = threshold
    assert after == before, "the command restores the collector's threshold"


def test_what_a_command_made_is_not_collected_as_it_ends() -> None:
    """Restoring the threshold used to collect every object the command had made since the last
    collection (about 7 ms of a cold plan); they move to the oldest generation instead, and a
    cycle among them is still freed by a full collection."""
    from generator.cli.main import _fewer_collections

    collected: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collected.append(info["generation"])

    class Cycle:
        def __init__(self) -> None:
            self.me = self

    gc.unfreeze()  # a batch planned in this process froze its objects (see plan/batch.py): then nothing is promoted
    gc.collect()
    gc.callbacks.append(count)
    try:
        with _fewer_collections():
            made = [[n] for n in range(20_000)]
            Cycle()
        after = [[n] for n in range(300)]  # fewer new objects than the restored threshold (700 on 3.11)
    finally:
        gc.callbacks.remove(count)
    assert len(made) + len(after) == 20_300
    assert 0 not in collected, "the objects the command made were collected as it ended"
    assert gc.collect() >= 1, "the cycle made inside is still freed"


EXIT_PROBE = """
import atexit, sys
from generator.cli import main

class Witness:
    def __del__(self):
        print("torn down", file=sys.stderr)

witness = Witness()  # freed only if Python tears itself down
atexit.register(print, "exit handler ran", file=sys.stderr)
sys.argv = ["opsbook", *sys.argv[1:]]
main.run()
"""


@pytest.mark.parametrize(("args", "code"), [(["plan", "examples/coffee-chain.yaml", "--format", "json"], 0),
                                            (["plan", "no-such-facts.yaml"], 1), (["plan", "--format", "pdf"], 2)])
def test_the_process_ends_without_tearing_python_down(tmp_path: Path, args: list[str], code: int) -> None:
    """run() (python -m generator.cli.main) skips the interpreter's teardown (about 5 ms of a cold plan)
    but not the exit handlers, and keeps main()'s output and exit code."""
    env = dict(os.environ, OPSBOOK_CACHE=str(tmp_path))
    ended = subprocess.run([sys.executable, "-c", EXIT_PROBE, *args], capture_output=True, text=True, cwd=ROOT,
                           env=env, stdin=subprocess.DEVNULL)
    assert ended.returncode == code
    assert "exit handler ran" in ended.stderr
    assert "torn down" not in ended.stderr
    if code == 0:
        assert json.loads(ended.stdout)["format"] == "opsbook-plan/1"
