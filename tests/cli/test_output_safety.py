"""Writing output files: only regular files are replaced, links never lead out of the folder,
new files follow the umask, every failure is a located message (exit 1) that leaves no
temporary file behind, and a file written meanwhile by another run is never lost."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.core.errors import OpsbookError
from generator.core.files import check_target, write_atomic

ROOT = Path(__file__).parents[2]
COFFEE = str(ROOT / "examples" / "coffee-chain.yaml")


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".opsbook-tmp-" in p.name)


def test_a_fifo_is_never_replaced_even_with_force(run_cli, tmp_path: Path) -> None:
    fifo = tmp_path / "plan.md"
    os.mkfifo(fifo)
    code, _, err = run_cli("plan", COFFEE, "-o", str(fifo), "--force")
    assert code == 1 and "Traceback" not in err
    assert f"{fifo}:1:1: cannot write file: it is a FIFO (named pipe), not a regular file" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_link_out_of_the_folder_is_refused_and_kept(run_cli, tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out").mkdir()
    outside = tmp_path / "elsewhere" / "notes.md"
    outside.write_text("mine\n")
    link = tmp_path / "out" / "plan.md"
    link.symlink_to(outside)
    code, _, err = run_cli("plan", COFFEE, "-o", str(link), "--force")
    assert code == 1 and "symbolic link that leads out of its folder" in err
    assert link.is_symlink() and outside.read_text() == "mine\n"


def test_a_link_inside_the_folder_writes_the_file_it_leads_to(tmp_path: Path) -> None:
    real = tmp_path / "plan-v2.md"
    real.write_text("old\n")
    (tmp_path / "plan.md").symlink_to("plan-v2.md")
    write_atomic(tmp_path / "plan.md", b"new\n")
    assert (tmp_path / "plan.md").is_symlink() and real.read_text() == "new\n"


@pytest.mark.parametrize(("umask", "mode"), [(0o077, 0o600), (0o002, 0o664)])
def test_new_files_follow_the_umask(run_cli, tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        code, _, err = run_cli("plan", COFFEE, "-o", str(tmp_path / "plan.md"))
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE((tmp_path / "plan.md").stat().st_mode) == mode


def test_a_replaced_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("old\n")
    target.chmod(0o640)
    write_atomic(target, b"new\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640 and target.read_text() == "new\n"


def test_a_missing_folder_is_a_located_user_error(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "nope" / "plan.md"
    code, _, err = run_cli("plan", COFFEE, "-o", str(target))
    assert code == 1 and "Traceback" not in err
    assert f"{target}:1:1: cannot write file: No such file or directory: create its folder first" in err


@pytest.mark.parametrize(("name", "expected"), [
    ("a" * 300 + ".md", "File name too long: choose a shorter file name"),
    ("folder", "it is a folder, not a regular file"),
])
def test_write_errors_say_what_to_do(tmp_path: Path, name: str, expected: str) -> None:
    (tmp_path / "folder").mkdir()
    with pytest.raises(OpsbookError) as caught:
        write_atomic(tmp_path / name, b"x")
    assert f"{tmp_path / name}:1:1: cannot write file: {expected}" in str(caught.value)
    assert _leftovers(tmp_path) == []


def test_what_cannot_be_written_is_refused_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "plan.md").write_text("mine\n")
    assert check_target(tmp_path / "new.md", replace=False) is False
    assert check_target(tmp_path / "plan.md", replace=True) is True
    for path, message in [(tmp_path / "plan.md", "file exists: add --force"),
                          (tmp_path / ("a" * 300), "cannot write file: File name too long"),
                          (tmp_path / "nope" / "new.md", "cannot write file: No such file or directory"),
                          (tmp_path / "plan.md" / "new.md", "cannot write file: Not a directory")]:
        with pytest.raises(OpsbookError, match=message):
            check_target(path, replace=False)


def test_a_full_disk_keeps_the_old_file_and_no_temporary_one(run_cli, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.md"
    target.write_text("my notes\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    code, _, err = run_cli("plan", COFFEE, "-o", str(target), "--force")
    assert code == 1 and "Traceback" not in err
    assert f"{target}:1:1: cannot write file: No space left on device: free some disk space" in err
    assert target.read_text() == "my notes\n" and _leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_a_located_user_error(run_cli, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _, err = run_cli("plan", COFFEE, "-o", str(folder / "plan.md"))
    finally:
        folder.chmod(0o755)
    assert code == 1 and f"{folder / 'plan.md'}:1:1: cannot write file: Permission denied" in err


def test_temporary_files_of_killed_runs_are_removed(run_cli, tmp_path: Path) -> None:
    stale, fresh = tmp_path / ".plan.md.opsbook-tmp-0123abcd", tmp_path / ".plan.md.opsbook-tmp-89abcdef"
    stale.write_text("half a plan")
    fresh.write_text("a write in progress")
    hours_ago = time.time() - 2 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    assert run_cli("plan", COFFEE, "-o", str(tmp_path / "plan.md"))[0] == 0
    assert not stale.exists() and fresh.exists()


KILLED = """
import os, signal, sys
from generator.cli.main import main
def killed(fd):
    os.kill(os.getpid(), signal.SIGTERM)
os.fsync = killed
sys.exit(main(["plan", sys.argv[1], "-o", sys.argv[2]]))
"""


def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    proc = subprocess.run([sys.executable, "-c", KILLED, COFFEE, str(target)], capture_output=True, cwd=ROOT,
                          timeout=120, check=False)
    assert proc.returncode == 128 + 15, proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_two_runs_writing_one_new_file_never_both_succeed(tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    start = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def write(name: str) -> None:
        start.wait()
        try:
            write_atomic(target, name.encode(), replace=False)
            outcome[name] = "wrote"
        except OpsbookError as exc:
            outcome[name] = str(exc)

    threads = [threading.Thread(target=write, args=(name,)) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [name for name, result in outcome.items() if result == "wrote"]
    assert len(winners) == 1 and target.read_text() == winners[0]
    loser = next(result for result in outcome.values() if result != "wrote")
    assert loser == f"{target}:1:1: file exists: add --force to overwrite it"


def test_a_plan_written_meanwhile_by_another_run_is_not_lost(run_cli, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.plan.playbook import Playbook

    target = tmp_path / "plan.md"
    plan = Playbook.plan

    def slow_plan(*args: Any, **kwargs: Any) -> Any:  # another run writes the file while this one plans
        target.write_text("the other run's plan\n")
        return plan(*args, **kwargs)

    monkeypatch.setattr(Playbook, "plan", slow_plan)
    code, _, err = run_cli("plan", COFFEE, "-o", str(target))
    assert code == 1 and "file exists" in err
    assert target.read_text() == "the other run's plan\n"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["plan", COFFEE], ["plan", "--batch", "LINES"]])
def test_a_full_standard_output_is_a_user_error(tmp_path: Path, args: list[str]) -> None:
    lines = tmp_path / "clients.jsonl"
    lines.write_text(json.dumps(yaml.safe_load(Path(COFFEE).read_text()), default=str) + "\n")
    args = [str(lines) if a == "LINES" else a for a in args]
    with open("/dev/full", "wb") as full:
        proc = subprocess.run([sys.executable, "-m", "generator.cli.main", *args], stdout=full,
                              stderr=subprocess.PIPE, cwd=ROOT, timeout=120, check=False)
    err = proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "opsbook: cannot write to standard output: No space left on device" in err
    assert "internal error" not in err and "Traceback" not in err
