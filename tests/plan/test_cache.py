"""The playbook cache never answers with a stale, damaged or foreign entry, and stays small."""

from __future__ import annotations

import errno
import os
import pickle
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from generator.plan import cache
from generator.plan.cache import cached, fingerprint
from generator.plan.playbook import Playbook, load_playbook

PACKAGE_ROOT = Path(__file__).parents[2]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test only."""
    path = tmp_path / "cache"
    monkeypatch.setenv("OPSBOOK_CACHE", str(path))
    monkeypatch.delenv("OPSBOOK_NO_CACHE", raising=False)
    return path


class Builds:
    """A build that counts its calls and returns what `make` returns."""

    def __init__(self, make: Callable[[], object] = lambda: {"value": 1}) -> None:
        self.make = make
        self.count = 0

    def __call__(self) -> object:
        self.count += 1
        return self.make()


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{cache.ENTRY_SUFFIX}"))


def titles(playbook: Playbook) -> list[str]:
    return [rule.title_en for rule in playbook.ruleset.rules]


def fresh(root: Path, monkeypatch: pytest.MonkeyPatch) -> Playbook:
    with monkeypatch.context() as patch:
        patch.setenv("OPSBOOK_NO_CACHE", "1")
        return load_playbook(root / "kb", root / "rules")


# --- the key follows every input -------------------------------------------------------------


def test_a_rule_changed_in_a_symlinked_pack_is_seen(mini_playbook: Path, folder: Path) -> None:
    pack = mini_playbook / "packs" / "base"
    shutil.move(mini_playbook / "rules" / "base", pack)
    (mini_playbook / "rules" / "base").symlink_to(pack, target_is_directory=True)
    load = lambda: load_playbook(mini_playbook / "kb", mini_playbook / "rules")  # noqa: E731
    assert titles(load())[0] == "Baseline plan"
    rules = pack / "base.yaml"
    rules.write_text(rules.read_text("utf-8").replace("Baseline plan", "Baseline plan revised"), "utf-8")
    assert titles(load())[0] == "Baseline plan revised"


def test_a_rule_changed_in_a_symlinked_file_is_seen(mini_playbook: Path, folder: Path) -> None:
    # links are followed inside the folder being loaded only: keep the real file there, under a
    # name the rule loader does not read itself
    real = mini_playbook / "rules" / "base" / "base.yaml.txt"
    shutil.move(mini_playbook / "rules" / "base" / "base.yaml", real)
    (mini_playbook / "rules" / "base" / "base.yaml").symlink_to(real)
    load = lambda: load_playbook(mini_playbook / "kb", mini_playbook / "rules")  # noqa: E731
    assert titles(load())[0] == "Baseline plan"
    real.write_text(real.read_text("utf-8").replace("Baseline plan", "Baseline plan revised"), "utf-8")
    assert titles(load())[0] == "Baseline plan revised"


def key_in_a_process(folder: Path) -> str:
    """The fingerprint of `folder`, failing (not hanging the suite) if it does not end."""
    probe = "import sys; from pathlib import Path; from generator.plan.cache import fingerprint; " \
            "print(fingerprint([Path(sys.argv[1])]))"
    return subprocess.run([sys.executable, "-c", probe, str(folder)], capture_output=True, text=True, check=True,
                          timeout=60).stdout


def test_symlink_loops_end_and_changes_below_them_still_count(tmp_path: Path) -> None:
    root = tmp_path / "rules"
    (root / "pack").mkdir(parents=True)
    for name in ("up", "back"):  # two ways round: walked blindly, the paths double at every level
        (root / "pack" / name).symlink_to(root, target_is_directory=True)
    (root / "pack" / "a.yaml").write_text("a: 1\n")
    before = key_in_a_process(root)
    (root / "pack" / "a.yaml").write_text("a: 2\n")
    assert key_in_a_process(root) != before


def test_a_kb_given_as_one_file_is_keyed_by_its_content(tmp_path: Path) -> None:
    kb = tmp_path / "kb.yaml"
    kb.write_text("a: 1\n")
    before = fingerprint([kb])
    kb.write_text("a: 2\n")
    assert fingerprint([kb]) != before


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the installed package that the key is taken from, as after an edit in an editable install."""
    copy = tmp_path / "generator"
    shutil.copytree(cache.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "PACKAGE", copy)
    cache.package_digest.cache_clear()
    yield copy
    cache.package_digest.cache_clear()


@pytest.mark.parametrize("edited", ["schemas/kb.schema.json", "plan/planner.py", "__init__.py"])
def test_an_edit_of_the_package_is_a_new_key(package: Path, tmp_path: Path, folder: Path, edited: str) -> None:
    (tmp_path / "kb").mkdir()
    key = lambda: fingerprint([tmp_path / "kb"])  # noqa: E731
    build = Builds()
    cached(key, build)
    cached(key, build)
    assert build.count == 1, "unchanged code: the stored value"
    with (package / edited).open("a", encoding="utf-8") as handle:
        handle.write("\n")  # same version number, same everything but the bytes
    cache.package_digest.cache_clear()  # as a new process would
    cached(key, build)
    assert build.count == 2


def test_a_file_saved_during_the_build_is_not_filed_under_its_old_content(tmp_path: Path, folder: Path) -> None:
    source = tmp_path / "rules" / "a.yaml"
    source.parent.mkdir()
    source.write_text("old\n")
    key = lambda: fingerprint([source.parent])  # noqa: E731

    def saved_meanwhile() -> str:
        source.write_text("new\n")
        return source.read_text()

    assert cached(key, saved_meanwhile) == "new\n"
    source.write_text("old\n")
    assert cached(key, source.read_text) == "old\n"


# --- damaged and foreign entries ---------------------------------------------------------------


class Planted:
    """Creates `path` when unpickled: what an entry written by someone else could do."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, ...]:
        return (open, (str(self.path), "w"))


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1:]


def corruptions(blob: bytes, marker: Path) -> dict[str, bytes]:
    planted = pickle.dumps(Planted(marker))
    header = len(cache.MAGIC) + cache.TAG_BYTES
    found = {f"flip@{at}": flip(blob, at) for at in (0, len(cache.MAGIC), header, header + 7, len(blob) // 2,
                                                    len(blob) - 1)}
    return found | {
        "truncated": blob[: len(blob) // 2],
        "header only": blob[:header],
        "empty": b"",
        "planted pickle": planted,
        "planted pickle with a forged header": cache.MAGIC + bytes(cache.TAG_BYTES) + planted,
        "planted pickle behind a valid tag": blob[:header] + planted,
    }


def test_a_damaged_or_planted_entry_is_rebuilt_and_never_run(tmp_path: Path, folder: Path) -> None:
    marker = tmp_path / "ran"
    build = Builds(lambda: {"plan": list(range(50))})
    cached(lambda: "key", build)
    [entry] = entries(folder)
    good = entry.read_bytes()
    for name, blob in corruptions(good, marker).items():
        entry.write_bytes(blob)
        before = build.count
        assert cached(lambda: "key", build) == {"plan": list(range(50))}, name
        assert build.count == before + 1, f"{name}: rebuilt, not read"
        assert not marker.exists(), f"{name}: the planted code ran"
        assert cached(lambda: "key", build) == {"plan": list(range(50))}
        assert build.count == before + 1, f"{name}: the rebuilt value is stored again"


@pytest.mark.parametrize("damage", ["flip", "truncate", "plant"])
def test_a_damaged_playbook_entry_gives_the_same_playbook_as_a_fresh_load(
        mini_playbook: Path, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    load_playbook(mini_playbook / "kb", mini_playbook / "rules")
    [entry] = entries(folder)
    blob = entry.read_bytes()
    marker = tmp_path / "ran"
    entry.write_bytes({"flip": flip(blob, len(blob) - 100), "truncate": blob[:-100],
                       "plant": pickle.dumps(Planted(marker))}[damage])
    loaded = load_playbook(mini_playbook / "kb", mini_playbook / "rules")
    expected = fresh(mini_playbook, monkeypatch)
    assert (loaded.kb, loaded.ruleset) == (expected.kb, expected.ruleset)
    assert not marker.exists()


class Unloadable:
    """Pickles fine, fails when loaded, as an entry of classes since renamed would."""

    def __reduce__(self) -> tuple[object, ...]:
        return (int, ("not a number",))


def test_a_signed_entry_that_no_longer_loads_is_rebuilt(folder: Path) -> None:
    build = Builds()
    cached(lambda: "key", build)
    [entry] = entries(folder)
    secret = (folder / cache.SECRET_FILE).read_bytes()
    for payload in (pickle.dumps(Unloadable()), b"not a pickle", pickle.dumps({"a": 1})[:-3]):
        entry.write_bytes(cache.MAGIC + cache._tag(secret, entry, payload) + payload)
        assert cached(lambda: "key", build) == {"value": 1}
    assert build.count == 4


def test_an_entry_copied_under_another_key_is_refused(folder: Path) -> None:
    cached(lambda: "one", lambda: "value of one")
    [one] = entries(folder)
    cached(lambda: "two", lambda: "value of two")
    [two] = [e for e in entries(folder) if e != one]
    shutil.copyfile(one, two)
    assert cached(lambda: "two", lambda: "value of two") == "value of two"


def test_the_secret_is_private_and_a_shared_one_is_replaced(folder: Path) -> None:
    build = Builds()
    cached(lambda: "key", build)
    secret = folder / cache.SECRET_FILE
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert len(secret.read_bytes()) == cache.SECRET_BYTES
    secret.chmod(0o644)  # others could have read it and signed their own entries
    cached(lambda: "key", build)
    assert build.count == 2, "what the readable secret signed is not trusted"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600


# --- size ----------------------------------------------------------------------------------------


def store_aged(folder: Path, keys: list[str], build: Builds) -> None:
    """Store one entry per key, each older than the next, without sleeping between them."""
    for age, key in zip(range(len(keys), 0, -1), keys, strict=True):
        known = set(entries(folder))
        cached(lambda key=key: key, build)
        [new] = set(entries(folder)) - known
        past = (os.stat(new).st_mtime_ns - age * 10**9,) * 2
        os.utime(new, ns=past)


def test_the_least_recently_used_entries_are_evicted(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    build = Builds()
    store_aged(folder, ["a", "b", "c"], build)
    cached(lambda: "a", build)  # read: now the most recently used
    cached(lambda: "d", build)
    assert len(entries(folder)) == 3
    assert build.count == 4
    for key in ("a", "c", "d"):
        cached(lambda key=key: key, build)
    assert build.count == 4, "kept"
    cached(lambda: "b", build)
    assert build.count == 5, "the least recently used went"


def test_the_folder_stays_under_its_byte_cap(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build = Builds(lambda: os.urandom(10_000))
    cached(lambda: "probe", build)
    monkeypatch.setattr(cache, "MAX_BYTES", entries(folder)[0].stat().st_size * 5 // 2)
    store_aged(folder, [f"key {i}" for i in range(6)], build)
    assert sum(e.stat().st_size for e in entries(folder)) <= cache.MAX_BYTES
    assert len(entries(folder)) == 2
    too_big = os.urandom(cache.MAX_BYTES)
    assert cached(lambda: "big", lambda: too_big) == too_big
    assert len(entries(folder)) == 2


def test_old_formats_and_left_over_temp_files_go_but_other_files_stay(folder: Path) -> None:
    folder.mkdir()
    legacy = folder / "playbook-7bb029ecbba631cccc1a795a5767945b.pickle"
    legacy.write_bytes(b"x" * 1000)
    left_over = folder / f"{cache.TEMP_PREFIX}abc"
    left_over.write_bytes(b"x")
    os.utime(left_over, (0, 0))
    in_progress = folder / f"{cache.TEMP_PREFIX}def"
    in_progress.write_bytes(b"x")
    notes = folder / "notes.txt"
    notes.write_text("mine")
    cached(lambda: "key", Builds())
    assert not legacy.exists()
    assert not left_over.exists()
    assert in_progress.exists(), "another process may still be writing it"
    assert notes.read_text() == "mine"


def test_a_failed_write_leaves_no_temp_file(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached(lambda: "first", Builds())

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache.os, "replace", disk_full)
    assert cached(lambda: "second", Builds()) == {"value": 1}
    assert sorted(p.name for p in folder.iterdir()) == sorted([entries(folder)[0].name, cache.SECRET_FILE])


# --- where there is no cache ---------------------------------------------------------------------


def test_an_unwritable_cache_folder_still_plans(mini_playbook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = mini_playbook / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("OPSBOOK_CACHE", str(blocker / "cache"))
    loaded = load_playbook(mini_playbook / "kb", mini_playbook / "rules")
    assert titles(loaded) == titles(fresh(mini_playbook, monkeypatch))


def test_a_read_only_cache_still_serves_and_builds(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build = Builds()
    cached(lambda: "stored", build)

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    monkeypatch.setattr(os, "utime", read_only)
    assert cached(lambda: "stored", build) == {"value": 1}
    assert build.count == 1
    assert cached(lambda: "new", lambda: "built") == "built"


def test_no_cache_means_nothing_is_read_or_written(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPSBOOK_NO_CACHE", "1")
    build = Builds()
    cached(lambda: "key", build)
    cached(lambda: "key", build)
    assert build.count == 2
    assert not folder.exists()


def test_the_test_run_keeps_its_cache_out_of_the_home_folder(_private_cache: Path) -> None:
    assert cache.cache_dir() == _private_cache


COLLECTOR_SEEN: list[bool] = []


def note_collector() -> None:
    """Unpickled from an entry: notes whether the garbage collector ran during the load."""
    import gc

    COLLECTOR_SEEN.append(gc.isenabled())


class Watch:
    def __reduce__(self) -> tuple[Callable[[], None], tuple[()]]:
        return note_collector, ()


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_an_entry_leaves_the_garbage_collector_as_it_found_it(folder: Path, enabled: bool) -> None:
    import gc

    build = Builds()
    cached(lambda: "key", build)
    [entry] = entries(folder)
    secret = (folder / cache.SECRET_FILE).read_bytes()
    COLLECTOR_SEEN.clear()
    try:
        (gc.enable if enabled else gc.disable)()
        for payload in (pickle.dumps([Watch()]), pickle.dumps(Unloadable())):
            entry.write_bytes(cache.MAGIC + cache._tag(secret, entry, payload) + payload)
            cached(lambda: "key", build)
            assert gc.isenabled() is enabled  # also after a load that failed
    finally:
        gc.enable()
    assert COLLECTOR_SEEN == [False]  # paused while the entry was read


def test_reading_an_entry_loads_no_openssl(tmp_path: Path) -> None:
    """The key, the entry's name and its signature are BLAKE2 digests from Python's own module: hashlib
    and hmac load OpenSSL, 2-4 ms of a cold plan. Only writing an entry may import them."""
    probe = ("import sys; from generator.plan.cache import cached, fingerprint; from pathlib import Path; "
             "value = cached(lambda: fingerprint([Path('kb')]), lambda: 'built'); "
             "print(value, sorted({'hashlib', '_hashlib', 'hmac'} & set(sys.modules)))")
    env = {**os.environ, "OPSBOOK_CACHE": str(tmp_path)}
    env.pop("OPSBOOK_NO_CACHE", None)
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=PACKAGE_ROOT,
                           env=env).stdout for _ in range(2)]
    assert runs[1] == "built []\n", runs
