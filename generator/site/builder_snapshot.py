"""The plan builder's memory snapshot, made at site build time: Pyodide's Python, run by
Node.js, with opsbook imported and the playbook unpickled into a `Builder`, its whole memory
saved (Pyodide's `makeMemorySnapshot`). The page restores it instead of starting Python,
importing the package and unpickling the playbook, which took most of the first plan's time.

The snapshot is made the same way every time: Python's hash seed is fixed, and the clock and
the random bytes the run sees are fixed too, so the same inputs give the same bytes. It is
kept in the cache folder, keyed by everything it is made of: the Pyodide release, the
compiled standard library and zips (the package and the libraries), the playbook's digests
and the calendar years in the bundle. The page gets it gzipped (the memory is mostly empty);
the browser unzips it as it arrives (DecompressionStream)."""

from __future__ import annotations

import gzip
import hashlib
import os
import struct
import tempfile
from collections.abc import Callable
from pathlib import Path

from generator.plan.cache import cache_dir
from generator.site.node_jobs import prune, run_under_node

NAME = "snapshot.bin.gz"  # its name in the site, beside opsbook.zip
KEPT = 4  # snapshots kept in the cache folder, the newest
PAGE = 4096  # pages of zeros are left out of the file
# Run by Python in Node.js before the snapshot: the builder as the page's worker uses it.
PRELUDE = """
import gc, os, sys
sys.path[:0] = ["/opsbook"]
sys.path.append("/opsbook/calendar.zip")
os.environ["OPSBOOK_ENGINE"] = "python"
os.environ["OPSBOOK_CACHE"] = "/tmp/opsbook-cache"
from generator.site.builder_runtime import Builder, markdown_html
with open("/opsbook/playbook.pickle", "rb") as handle:
    builder = Builder(handle.read())
del handle
os.remove("/opsbook/playbook.pickle")
from generator.facts.client import LANGS
for lang in LANGS:  # the plan's template in each language, worked out here rather than by the first plan
    builder.playbook.template(lang)
# the first view compiles Markdown's patterns: done here, once, not in every browser
markdown_html("# a\\n\\n| a | b |\\n| --- | --- |\\n| `c` | **d** |\\n\\n- [ ] **e** `f`\\n  g\\n")
gc.collect()
"""
# Run by Node.js: fixed clock, random bytes and hash seed, so the memory is the same each run.
SNAPSHOT_JS = r"""
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import nodeCrypto from "node:crypto";
const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
let seed = 1;
const fill = (view) => {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let i = 0; i < bytes.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    bytes[i] = seed >>> 24;
  }
  return view;
};
nodeCrypto.randomFillSync = fill;
crypto.getRandomValues = fill;
Date.now = () => 315532800000;  // 1980-01-01, as the zips' entries
let tick = 0;
performance.now = () => ++tick;
const { loadPyodide } = await import(pathToFileURL(job.pyodide + "/pyodide.mjs").href);
const pyodide = await loadPyodide({ indexURL: job.pyodide + "/", stdLibURL: job.stdlib, _makeSnapshot: true,
                                    env: { PYTHONHASHSEED: "0" }, _sysExecutable: "./this.program" });  // as in a page
pyodide.unpackArchive(new Uint8Array(readFileSync(job.code)), "zip", { extractDir: "/opsbook" });
pyodide.FS.writeFile("/opsbook/calendar.zip", new Uint8Array(readFileSync(job.calendar)));
pyodide.FS.writeFile("/opsbook/playbook.pickle", new Uint8Array(readFileSync(job.bundle)));
pyodide.runPython(job.python);
writeFileSync(job.target, pyodide.makeMemorySnapshot());
"""


def key(pyodide: Path, parts: dict[str, bytes]) -> str:
    """The cache key of a snapshot made of `parts` (name -> bytes, or a stable digest of them)."""
    sha = hashlib.sha256()
    for part in (SNAPSHOT_JS.encode(), PRELUDE.encode(), (pyodide / "pyodide-lock.json").read_bytes(),
                 *(item for name in sorted(parts) for item in (name.encode(), parts[name]))):
        sha.update(len(part).to_bytes(8, "big"))
        sha.update(part)
    return sha.hexdigest()


def snapshot(pyodide: Path, stdlib: bytes, code: bytes, calendar: bytes, bundle: Callable[[], bytes],
             cache_key: str) -> bytes:
    """The gzipped memory snapshot of the builder, from the cache folder or made now (with the
    pickled playbook `bundle()` gives)."""
    path = cache_dir() / "builder" / f"{cache_key}.snapshot.gz"
    if not path.is_file():
        data = gzip.compress(packed(_made(pyodide, stdlib, code, calendar, bundle())), compresslevel=6, mtime=0)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".tmp-{os.getpid()}")
        temporary.write_bytes(data)
        os.replace(temporary, path)  # whole or not at all, for a build running beside this one
        prune(path.parent, "*.snapshot.gz", KEPT)
    path.touch()  # recently used: kept by the pruning
    return path.read_bytes()


def packed(image: bytes) -> bytes:
    """`image` without its pages of zeros (two in five of Python's memory): the image's length,
    the page size and the count of pages kept, the numbers of those pages, then their bytes
    (the last one cut at the image's end); little-endian 32-bit numbers. The page puts the
    pages back in place (builder.js, `unpacked`), so the browser unzips less."""
    zeros = bytes(PAGE)
    kept = [n for n in range(0, len(image), PAGE) if image[n:n + PAGE] != zeros[:len(image) - n]]
    head = struct.pack(f"<3I{len(kept)}I", len(image), PAGE, len(kept), *(n // PAGE for n in kept))
    return head + b"".join(image[n:n + PAGE] for n in kept)


def _made(pyodide: Path, stdlib: bytes, code: bytes, calendar: bytes, bundle: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        job: dict[str, object] = {"pyodide": str(pyodide), "python": PRELUDE, "target": str(work / "snapshot.bin")}
        for name, data in (("stdlib", stdlib), ("code", code), ("calendar", calendar), ("bundle", bundle)):
            (work / name).write_bytes(data)
            job[name] = str(work / name)
        run_under_node(pyodide, work, SNAPSHOT_JS, job, "make the plan builder's snapshot")
        return (work / "snapshot.bin").read_bytes()
