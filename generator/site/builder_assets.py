"""The plan builder's files, made at site build time: Pyodide's core copied from the npm
install (node_modules/pyodide, from the locked package.json), the `generator` package and
the pure-Python libraries it plans with, zipped, and the validated playbook pickled with the
calendar facts the browser would otherwise import the holidays library for. Nothing is
fetched: a missing Pyodide is a located error that says to run scripts/setup.sh."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import importlib.util
import io
import pickle
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import generator
from generator.errors import OpsbookError, Problem
from generator.kb.model import KB
from generator.plan import calendar
from generator.rules.ruleset import RuleSet
from generator.site.builder_runtime import Bundle

FOLDER = "assets/builder"  # where the files go in the site, neutral of language
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
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


def _countries() -> frozenset[str]:
    from generator.facts import _countries

    return _countries()


def bundle(kb: KB, ruleset: RuleSet, today: dt.date | None = None) -> bytes:
    """The pickled playbook and calendar facts the browser plans with."""
    year = (today or dt.date.today()).year
    days = {(country, first): calendar._working_days(country, first)
            for country in CALENDAR_COUNTRIES for first in range(year - YEARS_BEFORE, year + YEARS_AFTER)}
    return pickle.dumps(Bundle(kb, ruleset, _countries(), days), protocol=pickle.HIGHEST_PROTOCOL)


def builder_files(root: Path, kb: KB, ruleset: RuleSet) -> list[tuple[str, bytes]]:
    """(site path, content) of every file the builder page loads."""
    files = [(f"{FOLDER}/pyodide/{name}", data) for name, data in _pyodide(root)]
    files.append((f"{FOLDER}/opsbook.zip", _zip(("generator", *ALWAYS))))
    files.append((f"{FOLDER}/calendar.zip", _zip(CALENDAR)))
    files.append((f"{FOLDER}/playbook.pickle", bundle(kb, ruleset)))
    return files

