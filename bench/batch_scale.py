"""`opsbook batch --jobs 2` at 10k and 100k clients: throughput and peak memory.

Memory is the peak, over the run, of the proportional set size (PSS) summed over the batch
process and its workers, sampled from /proc every 20 ms: forked workers share the playbook's
pages with their parent, and PSS counts each shared page once, where a sum of RSS would count
it three times. The largest single RSS is reported beside it.

    .venv/bin/python bench/batch_scale.py 10000 100000
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SAMPLE_SECONDS = 0.02


def write_clients(path: Path, clients: int, seed: int = 7) -> None:
    """`clients` facts lines: the examples with a random team size and their own names."""
    import yaml

    rng = random.Random(seed)
    profiles = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in EXAMPLES]
    with path.open("w", encoding="utf-8") as out:
        for n in range(clients):
            facts = dict(rng.choice(profiles), team_size=rng.randint(1, 500))
            facts["client"] = {"name": f"client {n}"}
            out.write(json.dumps(facts, ensure_ascii=False, default=str) + "\n")


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as handle:
            return [int(p) for p in handle.read().split()]
    except OSError:
        return []


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += _children(p)
    return found


def _memory(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in bytes; (0, 0) once it is gone."""
    values = {"Pss:": 0, "Rss:": 0}
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                key, _, rest = line.partition(" ")
                if key in values:
                    values[key] = int(rest.split()[0]) * 1024
    except (OSError, ValueError):
        pass
    return values["Pss:"], values["Rss:"]


def run_batch(src: Path, out: Path, jobs: int) -> tuple[float, int, int]:
    """(seconds, peak PSS of the process tree, peak RSS of one process) of one batch run."""
    cmd = [sys.executable, "-m", "generator.cli.main", "batch", str(src), "--jobs", str(jobs), "--force",
           "-o", str(out)]
    begin = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_pss = peak_rss = 0
    while proc.poll() is None:
        sizes = [_memory(p) for p in _tree(proc.pid)]
        peak_pss = max(peak_pss, sum(s[0] for s in sizes))
        peak_rss = max([peak_rss, *(s[1] for s in sizes)])
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - begin
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"batch failed ({proc.returncode}): {err}")
    return seconds, peak_pss, peak_rss


def batch_rows(clients: list[int], jobs: int = 2) -> list[tuple[str, str, str, str, str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in clients:
            src, out = Path(tmp) / f"clients-{count}.jsonl", Path(tmp) / "out.jsonl"
            write_clients(src, count)
            seconds, pss, rss = run_batch(src, out, jobs)
            size = out.stat().st_size
            out.unlink()
            rows.append((f"{count:,} clients, `opsbook batch --jobs {jobs}`",
                         f"{count / seconds:,.0f} plans/s; peak {pss / 2**20:,.0f} MB (PSS, all processes), "
                         f"largest process {rss / 2**20:,.0f} MB RSS",
                         f"output {size / 2**20:,.0f} MB", f"memory {pss / size:.3f}x the output",
                         "<= 300 MB at 100k clients"))
    return rows


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [10_000]
    for row in batch_rows(counts):
        print(" | ".join(row))



if __name__ == "__main__":
    main()
