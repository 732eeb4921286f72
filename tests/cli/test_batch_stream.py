"""A batch streams: lines are read as they are planned, results are written as they are made,
and the output file appears whole, or not at all."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from generator.core.errors import OpsbookError
from generator.core.files import write_atomic_pieces
from generator.plan.batch import CHUNK, IN_FLIGHT, Job, iter_lines, run_batch

ROOT = Path(__file__).parents[2]
COFFEE = json.dumps(yaml.safe_load((ROOT / "examples" / "coffee-chain.yaml").read_text(encoding="utf-8")),
                    ensure_ascii=False, default=str)


@pytest.mark.parametrize("jobs", [1, 2])
def test_lines_are_read_only_as_far_as_planning_has_got(jobs: int) -> None:
    read: list[int] = []

    def lines() -> Iterator[tuple[int, str]]:
        for number in range(1, 100_001):  # far more than any bound on what is planned ahead
            read.append(number)
            yield number, COFFEE

    job = Job(ROOT / "kb", ROOT / "rules", (), "zh", None, False, "clients.jsonl")
    results = run_batch(job, lines(), jobs, lambda n: None)
    first = next(results)
    results.close()
    assert json.loads(first.text)["line"] == 1
    ahead = CHUNK if jobs == 1 else CHUNK * (IN_FLIGHT * jobs + 1)
    assert len(read) <= ahead, f"{len(read)} lines read for the first result"


def test_results_keep_input_order_across_workers() -> None:
    count = CHUNK * IN_FLIGHT * 3 + 7  # more chunks than are ever in flight, and a part chunk
    job = Job(ROOT / "kb", ROOT / "rules", (), "zh", None, False, "clients.jsonl")
    lines = [(n * 2, COFFEE if n % 5 else "{bad") for n in range(1, count + 1)]
    done: list[int] = []
    results = list(run_batch(job, lines, 2, done.append))
    assert [json.loads(r.text)["line"] for r in results] == [n for n, _ in lines]
    assert sum(done) == count
    assert [bool(r.problems) for r in results] == [n % 5 == 0 for n in range(1, count + 1)]


def test_blank_lines_and_a_byte_order_mark_are_skipped_with_numbers_kept(tmp_path: Path) -> None:
    path = tmp_path / "clients.jsonl"
    path.write_bytes(b"\xef\xbb\xbf{\"a\": 1}\n\n   \n{\"b\": 2}\r\n{\"c\": \xff}")
    assert [(n, t[:6]) for n, t in iter_lines(path, "clients.jsonl")] == [
        (1, '{"a": '), (4, '{"b": '), (5, '{"c": ')]


def test_a_folder_is_refused_with_its_name(tmp_path: Path) -> None:
    with pytest.raises(OpsbookError) as caught:
        list(iter_lines(tmp_path, "clients"))
    assert str(caught.value.problems[0]).startswith("clients:1:1: cannot read file: it is a folder")


def test_output_appears_only_when_whole(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"earlier\n")

    def pieces() -> Iterator[bytes]:
        yield b"first\n"
        assert out.read_bytes() == b"earlier\n", "nothing replaces the old file while writing"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomic_pieces(out, pieces())
    assert out.read_bytes() == b"earlier\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"], "no temporary file left"
    write_atomic_pieces(out, iter([b"a\n", b"b\n"]))
    assert out.read_bytes() == b"a\nb\n"


def test_a_file_written_meanwhile_is_kept_without_force(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"

    def pieces() -> Iterator[bytes]:
        yield b"mine\n"
        out.write_bytes(b"another run's\n")

    with pytest.raises(OpsbookError, match="file exists"):
        write_atomic_pieces(out, pieces(), replace=False)
    assert out.read_bytes() == b"another run's\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]
