"""The plan builder's files, made at site build time: Pyodide's core copied from the npm
install (node_modules/pyodide, from the locked package.json), the `generator` package and
the pure-Python libraries it plans with, zipped, and the validated playbook pickled with the
calendar facts the browser would otherwise import the holidays library for, shipped inside a
snapshot of Python's memory (builder_snapshot.py). Nothing is fetched: a missing Pyodide is a
located error that says to run scripts/setup.sh.

The Python the browser runs ships compiled: Pyodide's standard library and the zips are
compiled to bytecode by Pyodide's own Python, run by Node.js at build time (CPython here is
another version, whose bytecode Pyodide cannot read), because compiling them in the page
took most of the first plan's time. Compiled zips are kept in the cache folder, keyed by
their source and the Pyodide release, so a build compiles only what changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import importlib.util
import io
import json
import os
import pickle
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import generator
from generator.core.errors import OpsbookError, Problem
from generator.kb.model import KB
from generator.plan import calendar
from generator.plan.cache import cache_dir
from generator.rules.ruleset import RuleSet
from generator.site import builder_snapshot
from generator.site.builder_runtime import Bundle
from generator.site.node_jobs import prune, run_under_node

FOLDER = "assets/builder"  # where the files go in the site, neutral of language
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
STDLIB = "python_stdlib.zip"
# Where each zip's modules sit in the browser (the file names tracebacks show): Pyodide mounts
# its standard library at the first, builder.js unpacks opsbook.zip into /opsbook and imports
# from calendar.zip where it lies.
PREFIXES = {STDLIB: "/lib/python{major}{minor}.zip/", "opsbook.zip": "/opsbook/",
            "calendar.zip": "/opsbook/calendar.zip/"}
KEPT_COMPILED = 16  # compiled zips kept in the cache folder, the newest
PACKAGE_SUFFIXES = (".py", ".json")
# Pure-Python libraries the browser imports: yaml (facts files) and markdown (the plan shown)
# always; the holidays library and what it needs only for a country or year the bundle's
# calendar does not hold.
ALWAYS = ("yaml", "markdown")
CALENDAR = ("holidays", "dateutil", "six")
CALENDAR_COUNTRIES = ("CN",)  # the default country: its working days ship with the page
YEARS_BEFORE, YEARS_AFTER = 5, 25  # the years around the build whose working days ship


def pyodide_folder(root: Path) -> Path:
    """Pyodide as npm installed it: in the playbook's folder, else beside the opsbook package
    (a playbook kept elsewhere, built with opsbook from its repository)."""
    for top in (root, Path(generator.__file__).resolve().parents[1]):
        if (top / "node_modules" / "pyodide").is_dir():
            return top / "node_modules" / "pyodide"
    return root / "node_modules" / "pyodide"


def _pyodide(root: Path) -> Iterator[tuple[str, bytes]]:
    folder = pyodide_folder(root)
    for name in PYODIDE_FILES:
        path = folder / name
        if not path.is_file():
            raise OpsbookError(Problem(str(path), 1, 1, "the plan builder needs Pyodide from the npm lock: "
                                                        "run scripts/setup.sh (npm ci --ignore-scripts)"))
        yield name, path.read_bytes()


def _module_files(name: str) -> Iterator[tuple[str, Path]]:
    """(path inside the zip, file) of an installed pure-Python module or package."""
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise OpsbookError(Problem("", 0, 0, f"the plan builder needs the `{name}` package: "
                                              "pip install 'opsbook[site]'"))
    origin = Path(spec.origin)
    if origin.name != "__init__.py":
        yield origin.name, origin
        return
    for path in sorted(origin.parent.rglob("*")):
        if path.suffix in PACKAGE_SUFFIXES and "__pycache__" not in path.parts:
            yield f"{name}/{path.relative_to(origin.parent).as_posix()}", path


def _metadata(name: str) -> Iterator[tuple[str, bytes]]:
    """The installed metadata of the distribution that holds `name` (holidays reads its own
    version from it)."""
    for dist_name in importlib.metadata.packages_distributions().get(name, ()):
        dist = importlib.metadata.distribution(dist_name)
        text = dist.read_text("METADATA")
        if text is not None:
            folder = f"{re.sub(r'[-_.]+', '_', dist.metadata['Name'])}-{dist.version}.dist-info"
            yield f"{folder}/METADATA", text.encode("utf-8")


def _zip(names: tuple[str, ...]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in names:
            files = [(inside, path.read_bytes()) for inside, path in _module_files(name)]
            for inside, data in [*files, *_metadata(name)]:
                info = zipfile.ZipInfo(inside, date_time=(1980, 1, 1, 0, 0, 0))  # same bytes every build
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
    return buffer.getvalue()


# Run by Node.js: Pyodide compiles every .py of each job's zip with the Python the page runs.
COMPILE_JS = r"""
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { loadPyodide } = await import(pathToFileURL(job.pyodide + "/pyodide.mjs").href);
const options = { indexURL: job.pyodide + "/" };
if (job.stdlib) options.stdLibURL = job.stdlib;
const pyodide = await loadPyodide(options);
pyodide.runPython(job.python);
const compile = pyodide.globals.get("compile_zip");
for (const item of job.zips) {
  pyodide.FS.writeFile("/in.zip", readFileSync(item.source));
  compile("/in.zip", "/out.zip", item.prefix);
  writeFileSync(item.target, pyodide.FS.readFile("/out.zip"));
}
"""
COMPILE_PY = """
import importlib.util, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

def compile_zip(source, target, prefix):
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for info in zin.infolist():
            name, data = info.filename, zin.read(info)
            if name.endswith(".py"):
                code = compile(data, prefix + name, "exec", dont_inherit=True)
                name, data = name + "c", _code_to_hash_pyc(code, importlib.util.source_hash(data), False)
            entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            out.writestr(entry, data)
"""


def _python_version(folder: Path) -> tuple[str, str]:
    major, minor, *_ = json.loads((folder / "pyodide-lock.json").read_text("utf-8"))["info"]["python"].split(".")
    return major, minor


def _compiled_path(folder: Path, prefix: str, data: bytes) -> Path:
    sha = hashlib.sha256()
    for part in (COMPILE_JS.encode(), COMPILE_PY.encode(), (folder / "pyodide-lock.json").read_bytes(),
                 prefix.encode(), data):
        sha.update(len(part).to_bytes(8, "big"))
        sha.update(part)
    return cache_dir() / "builder" / f"{sha.hexdigest()}.zip"


def compiled(root: Path, zips: dict[str, bytes]) -> dict[str, bytes]:
    """`zips` (name -> zip of Python sources) with every module compiled to bytecode for
    Pyodide's Python; the standard library (STDLIB) is compiled first, when asked for, and then
    loads the compiler faster."""
    folder = pyodide_folder(root)
    major, minor = _python_version(folder)
    paths = {name: _compiled_path(folder, PREFIXES[name].format(major=major, minor=minor), data)
             for name, data in zips.items()}
    missing = [name for name in zips if not paths[name].is_file()]
    if missing:
        stdlib = paths.get(STDLIB) or _compiled_path(folder, PREFIXES[STDLIB].format(major=major, minor=minor),
                                                      (folder / STDLIB).read_bytes())
        _run_compiler(folder, {name: (zips[name], paths[name]) for name in missing},
                      stdlib if stdlib.is_file() else None, major, minor)
    out = {}
    for name in zips:
        out[name] = paths[name].read_bytes()
        paths[name].touch()  # recently used: kept by the pruning
    return out


def _run_compiler(folder: Path, jobs: dict[str, tuple[bytes, Path]], stdlib: Path | None,
                  major: str, minor: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        items = []
        for n, (name, (data, _)) in enumerate(jobs.items()):
            (work / f"{n}.zip").write_bytes(data)
            items.append({"source": str(work / f"{n}.zip"), "target": str(work / f"{n}.out"),
                          "prefix": PREFIXES[name].format(major=major, minor=minor)})
        job: dict[str, object] = {"pyodide": str(folder), "stdlib": str(stdlib) if stdlib else None,
                                  "python": COMPILE_PY, "zips": items}
        run_under_node(folder, work, COMPILE_JS, job, "compile the plan builder's Python")
        for n, (_, target) in enumerate(jobs.values()):
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_suffix(f".tmp-{os.getpid()}")
            shutil.copyfile(work / f"{n}.out", temporary)
            os.replace(temporary, target)  # whole or not at all, for a build running beside this one
    prune(next(iter(jobs.values()))[1].parent, "*.zip", KEPT_COMPILED)
def _countries() -> frozenset[str]:
    from generator.facts.client import _countries

    return _countries()


def bundle(kb: KB, ruleset: RuleSet, today: dt.date | None = None) -> bytes:
    """The pickled playbook and calendar facts the browser plans with."""
    year = (today or dt.date.today()).year
    days = {(country, first): calendar._working_days(country, first)
            for country in CALENDAR_COUNTRIES for first in range(year - YEARS_BEFORE, year + YEARS_AFTER)}
    return pickle.dumps(Bundle(kb, ruleset, tuple(sorted(_countries())), days), protocol=pickle.HIGHEST_PROTOCOL)


def builder_files(root: Path, kb: KB, ruleset: RuleSet, today: dt.date | None = None) -> list[tuple[str, bytes]]:
    """(site path, content) of every file the builder page loads: Pyodide, the compiled zips
    (imported from when a plan needs a module the snapshot has not imported) and the snapshot
    of the builder's memory, the playbook in it."""
    pyodide = dict(_pyodide(root))
    code = compiled(root, {STDLIB: pyodide[STDLIB], "opsbook.zip": _zip(("generator", *ALWAYS)),
                           "calendar.zip": _zip(CALENDAR)})
    pyodide[STDLIB] = code.pop(STDLIB)
    year = (today or dt.date.today()).year
    # the pickle's bytes change with CPython's hash seed, the playbook's digests do not
    parts = {**code, STDLIB: pyodide[STDLIB], "playbook": f"{kb.digest}|{ruleset.digest}|{year}".encode()}
    memory = builder_snapshot.snapshot(pyodide_folder(root), pyodide[STDLIB], code["opsbook.zip"],
                                       code["calendar.zip"], lambda: bundle(kb, ruleset, today),
                                       builder_snapshot.key(pyodide_folder(root), parts))
    files = [(f"{FOLDER}/pyodide/{name}", data) for name, data in pyodide.items()]
    files += [(f"{FOLDER}/{name}", data) for name, data in code.items()]
    files.append((f"{FOLDER}/{builder_snapshot.NAME}", memory))
    return files

