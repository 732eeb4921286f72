"""Pyodide run under Node.js at build time (the plan builder's bytecode and memory snapshot),
and the pruning of what those runs leave in the cache folder."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from generator.core.errors import OpsbookError, Problem


def run_under_node(pyodide: Path, work: Path, script: str, job: dict[str, object], failure: str) -> None:
    """Run the ES module `script` under Node.js in the folder `work`, given the path of `job` as
    JSON; a missing Node.js, or a run that fails ("Pyodide under Node.js could not `failure`"),
    is a problem for the user to fix."""
    node = shutil.which("node")
    if node is None:
        raise OpsbookError(Problem("", 0, 0, "the plan builder prepares its Python with Pyodide under Node.js: "
                                              "install Node.js (scripts/setup.sh needs it for npm too)"))
    (work / "job.mjs").write_text(script, encoding="utf-8")
    (work / "job.json").write_text(json.dumps(job), encoding="utf-8")
    done = subprocess.run([node, str(work / "job.mjs"), str(work / "job.json")], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise OpsbookError(Problem(str(pyodide / "pyodide.mjs"), 1, 1,
                                   f"Pyodide under Node.js could not {failure}: {done.stderr.strip()[-600:]}"))


def prune(folder: Path, pattern: str, keep: int) -> None:
    """Delete all but the `keep` most recently used files of `folder` matching `pattern`."""
    kept = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in kept[keep:]:
        path.unlink(missing_ok=True)
