"""The plan builder's memory snapshot (builder_snapshot.py): made by Pyodide under Node.js at
site build time, the same bytes from the same inputs, and kept in the cache folder under a key
of what it is made of, so a second build does not make it again."""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sitetools import ROOT

from generator.plan.playbook import load_playbook
from generator.site import builder_assets, builder_snapshot, node_jobs

TODAY = dt.date(2026, 12, 1)
OVERLAY = ROOT / "rules" / "clients" / "shanyu-coffee"


def _inputs() -> tuple[bytes, bytes, bytes, bytes]:
    pyodide = dict(builder_assets._pyodide(ROOT))
    code = builder_assets.compiled(ROOT, {builder_assets.STDLIB: pyodide[builder_assets.STDLIB],
                                          "opsbook.zip": builder_assets._zip(("generator", *builder_assets.ALWAYS)),
                                          "calendar.zip": builder_assets._zip(builder_assets.CALENDAR)})
    playbook = load_playbook(ROOT / "kb", ROOT / "rules")
    return (code[builder_assets.STDLIB], code["opsbook.zip"], code["calendar.zip"],
            builder_assets.bundle(playbook.kb, playbook.ruleset, TODAY))


def _bundle_elsewhere(tmp_path: Path, seed: str) -> bytes:
    """The playbook's bundle as a Python with hash seed `seed` and an empty cache pickles it."""
    script = ("import datetime, sys; from pathlib import Path; from generator.plan.playbook import load_playbook; "
              "from generator.site.builder_assets import bundle; p = load_playbook(Path('kb'), Path('rules')); "
              "sys.stdout.buffer.write(bundle(p.kb, p.ruleset, datetime.date(2026, 12, 1)))")
    env = {**os.environ, "PYTHONHASHSEED": seed, "OPSBOOK_CACHE": str(tmp_path / seed)}
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, check=True).stdout


def test_the_same_playbook_makes_the_same_snapshot(tmp_path: Path) -> None:
    folder = builder_assets.pyodide_folder(ROOT)
    stdlib, code, calendar, bundle = _inputs()
    first = builder_snapshot._made(folder, stdlib, code, calendar, bundle)
    assert first[:4] != bytes(4) and len(first) > 10_000_000  # Python's memory, header first
    other = _bundle_elsewhere(tmp_path, "7")  # another process, another hash seed: the same pickle
    assert other == bundle
    assert builder_snapshot._made(folder, stdlib, code, calendar, other) == first


def test_a_second_build_takes_the_snapshot_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSBOOK_CACHE", str(tmp_path))
    monkeypatch.setattr(builder_assets, "_zip", functools.cache(builder_assets._zip))  # the package as it was
    playbook = load_playbook(ROOT / "kb", ROOT / "rules")
    first = dict(builder_assets.builder_files(ROOT, playbook.kb, playbook.ruleset, TODAY))
    made = list((tmp_path / "builder").glob("*.snapshot.gz"))
    assert len(made) == 1
    monkeypatch.setattr(node_jobs.shutil, "which", lambda name: None)  # Node.js is not needed again
    again = dict(builder_assets.builder_files(ROOT, playbook.kb, playbook.ruleset, TODAY))
    name = f"{builder_assets.FOLDER}/{builder_snapshot.NAME}"
    assert again[name] == first[name] and gzip.decompress(first[name])[:4] != bytes(4)
    overlaid = load_playbook(ROOT / "kb", ROOT / "rules", [OVERLAY])  # other rules: another snapshot
    with pytest.raises(Exception, match=r"Node\.js"):
        builder_assets.builder_files(ROOT, overlaid.kb, overlaid.ruleset, TODAY)
    with pytest.raises(Exception, match=r"Node\.js"):  # another year's calendar: another snapshot
        builder_assets.builder_files(ROOT, playbook.kb, playbook.ruleset, dt.date(2027, 1, 1))
