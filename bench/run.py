"""opsbook benchmarks: every figure is a ratio against a baseline measured in the same run.

    .venv/bin/python bench/run.py            # all figures (a few minutes)
    .venv/bin/python bench/run.py --quick    # smaller samples, skips the 100x scale

Prints one table row per figure: what was measured, the baseline, the ratio, the target.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale import synthetic_playbook  # noqa: E402  (after the path is set)
from timing import median_time  # noqa: E402

from generator.facts.client import load_facts  # noqa: E402
from generator.plan.playbook import load_playbook  # noqa: E402
from generator.rules.durable import host as durable_host  # noqa: E402
from generator.rules.durable.fact_json import fact_json  # noqa: E402

PY = sys.executable
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
Row = tuple[str, str, str, str, str]


def wall(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    def once() -> None:
        subprocess.run(cmd, check=True, capture_output=True, env=env, cwd=ROOT)

    once()  # warm the OS file cache (and the playbook cache, for opsbook)
    return median_time(once, runs)


def durable_shards(playbook: object) -> list[tuple[object, str]]:
    """The durable rulesets of the playbook's rules, whichever back end plans: the baseline."""
    from generator.rules.durable.engine import Engine

    engine = playbook.engine  # type: ignore[attr-defined]
    if not isinstance(engine, Engine):
        engine = Engine(playbook.ruleset.rules)  # type: ignore[attr-defined]
        _KEEP.append(engine)  # its rulesets live as long as the engine
    return engine.rulesets()  # type: ignore[return-value]


_KEEP: list[object] = []


def engines(runs: int) -> Row:
    """Evaluate only, per client: the pure-Python back end against the durable one."""
    from generator.rules.durable.engine import Engine
    from generator.rules.python.level_functions import PythonEngine

    playbook = load_playbook(ROOT / "kb", ROOT / "rules")
    durable, python = Engine(playbook.ruleset.rules), PythonEngine(playbook.ruleset.rules)
    facts = [load_facts(p, playbook.kb).values for p in EXAMPLES]
    ours, theirs = [], []
    for _ in range(runs):  # interleaved, so both see the same machine
        ours.append(median_time(lambda: [python.evaluate(f) for f in facts], 1) / len(facts))
        theirs.append(median_time(lambda: [durable.evaluate(f) for f in facts], 1) / len(facts))
    a, b = statistics.median(ours), statistics.median(theirs)
    return ("evaluate one client: pure-Python engine", f"{a * 1e3:.3f} ms", f"durable engine {b * 1e3:.3f} ms",
            f"{a / b:.2f}x", "<= 1.5x")


def warm_one_client(runs: int) -> Row:
    """evaluate + plan of one client, against durable's own assertion of the same facts."""
    playbook = load_playbook(ROOT / "kb", ROOT / "rules")
    shards = durable_shards(playbook)
    host = durable_host.host()
    ours, raw = [], []
    for path in EXAMPLES:
        facts = load_facts(path, playbook.kb)
        encoded = [(name, json.loads(fact_json(shard.slots, facts.values, "1"))) for shard, name in shards]

        def assert_raw(encoded: list[tuple[str, dict[str, object]]] = encoded) -> None:
            for name, fact in encoded:
                host.assert_fact(name, fact)
                host.delete_state(name, "1")

        def plan(facts: object = facts) -> None:
            playbook.plan(facts, "zh")  # type: ignore[arg-type]

        for _ in range(20):
            plan()
            assert_raw()
        for _ in range(runs):  # interleaved, so both see the same machine
            ours.append(median_time(plan, 1))
            raw.append(median_time(assert_raw, 1))
    a, b = statistics.median(ours), statistics.median(raw)
    return ("one client, warm: evaluate + plan", f"{a * 1e3:.3f} ms",
            f"durable assert_fact {b * 1e3:.3f} ms", f"{a / b:.2f}x", "<= 2x")


def batch(clients: int) -> Row:
    """`opsbook plan --batch --jobs 2` throughput, against raw durable assertions per second."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "clients.jsonl"
        with src.open("w", encoding="utf-8") as out:
            for facts in _clients(clients):
                out.write(json.dumps(facts, ensure_ascii=False, default=str) + "\n")
        cmd = [PY, "-m", "generator.cli.main", "plan", "--batch", str(src), "--jobs", "2", "--force",
               "-o", str(Path(tmp) / "out.jsonl")]
        seconds = wall(cmd, 3)
    rate = clients / seconds
    per_client = warm_raw_rate()
    return (f"{clients} clients, --batch --jobs 2", f"{rate:,.0f} plans/s",
            f"durable assert_fact {per_client:,.0f}/s (1 core)", f"{rate / per_client:.2f}x", ">= 1,500 plans/s")


def schedule_share(clients: int) -> Row:
    """How much of a batch client's time the schedule takes (staffing, calendar and scheduler),
    measured in process over the same clients as `batch`: batch throughput without scheduling
    would be higher by this share."""
    from generator.plan import batch as batch_module
    from generator.plan import planner

    lines = [json.dumps(facts, ensure_ascii=False, default=str) for facts in _clients(clients)]
    spent = [0.0]
    real = planner._schedule

    def timed(*args: object) -> object:
        begin = time.perf_counter()
        try:
            return real(*args)  # type: ignore[arg-type]
        finally:
            spent[0] += time.perf_counter() - begin

    job = batch_module.Job(ROOT / "kb", ROOT / "rules", (), None, None, False, "clients.jsonl")
    batch_module._setup(job)
    for number, text in enumerate(lines[:50], 1):  # warm
        batch_module._one(number, text)
    planner._schedule = timed  # type: ignore[assignment]
    try:
        begin = time.perf_counter()
        for number, text in enumerate(lines, 1):
            batch_module._one(number, text)
        total = time.perf_counter() - begin
    finally:
        planner._schedule = real
    share = spent[0] / total
    return (f"{clients} batch clients: time in the schedule", f"{spent[0] / clients * 1e3:.3f} ms per client",
            f"whole batch path {total / clients * 1e3:.3f} ms per client", f"{share:.0%}",
            "throughput falls by at most 20%")


def _clients(count: int) -> list[dict[str, object]]:
    """The batch benchmark's clients: the examples with a random team size and their own names."""
    import random

    import yaml

    rng = random.Random(7)
    profiles = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in EXAMPLES]
    clients = []
    for n in range(count):
        facts = dict(rng.choice(profiles), team_size=rng.randint(1, 500))
        facts["client"] = {"name": f"client {n}"}
        clients.append(facts)
    return clients


def batch_scale(counts: list[int]) -> list[Row]:
    from batch_scale import batch_rows

    return batch_rows(counts)


def warm_raw_rate() -> float:
    playbook = load_playbook(ROOT / "kb", ROOT / "rules")
    shards = durable_shards(playbook)
    host = durable_host.host()
    facts = [load_facts(p, playbook.kb) for p in EXAMPLES]
    encoded = [[(name, json.loads(fact_json(s.slots, f.values, "1"))) for s, name in shards] for f in facts]

    def run() -> None:
        for per in encoded * 20:
            for name, fact in per:
                host.assert_fact(name, fact)
                host.delete_state(name, "1")

    return len(encoded) * 20 / median_time(run, 5)


def cold(runs: int) -> Row:
    """A first plan in a new process, JSON and Markdown, against importing the libraries it cannot
    do without. Both sides run with bytecode, as an installed package has it: the environment may
    forbid writing it (PYTHONDONTWRITEBYTECODE), so it goes to a temporary folder outside the checkout;
    the warm-up run writes it and fills the playbook cache. Runs are interleaved, so all three see the
    same machine; CPU time (user + system) is reported beside wall time, as it moves less when other
    work shares the machine."""
    import resource

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(OPSBOOK_CACHE=tempfile.mkdtemp(), PYTHONPYCACHEPREFIX=tempfile.mkdtemp())
    plan = [PY, "-m", "generator.cli.main", "plan", "examples/coffee-chain.yaml", "--format"]
    commands = {"json": [*plan, "json"], "md": [*plan, "md"], "base": [PY, "-c", "import yaml, click, durable.engine"]}
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}

    def once(name: str) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        begin = time.perf_counter()
        subprocess.run(commands[name], check=True, capture_output=True, env=env, cwd=ROOT)
        walls[name].append(time.perf_counter() - begin)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)

    for name in commands:
        once(name)  # the warm-up
    for samples in (walls, cpus):
        for name in commands:
            samples[name].clear()
    for _ in range(runs):
        for name in commands:
            once(name)
    wall_s, cpu_s = ({name: statistics.median(s[name]) for name in commands} for s in (walls, cpus))

    def ratio(fmt: str) -> str:
        return f"{wall_s[fmt] / wall_s['base']:.2f}x (cpu {cpu_s[fmt] / cpu_s['base']:.2f}x)"

    return ("cold `opsbook plan examples/coffee-chain.yaml --format json` (and `md`)",
            f"json {wall_s['json'] * 1e3:.0f} ms (cpu {cpu_s['json'] * 1e3:.0f}), "
            f"md {wall_s['md'] * 1e3:.0f} ms (cpu {cpu_s['md'] * 1e3:.0f})",
            f"import yaml, click, durable.engine {wall_s['base'] * 1e3:.0f} ms (cpu {cpu_s['base'] * 1e3:.0f})",
            f"json {ratio('json')}, md {ratio('md')}", "<= 1.5x")


def scaling(factors: list[int]) -> list[Row]:
    rows: list[Row] = []
    base: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for factor in factors:
            kb, rules, facts = synthetic_playbook(ROOT, Path(tmp) / f"x{factor}", factor)
            env = dict(os.environ, OPSBOOK_NO_CACHE="1")
            check = [PY, "-m", "generator.cli.main", "validate", "--kb", str(kb), "--rules", str(rules)]
            validate = wall(check, 1, env)
            plan = wall([PY, "-m", "generator.cli.main", "plan", str(facts), "--kb", str(kb), "--rules", str(rules),
                         "--format", "json"], 1, env)
            for name, seconds in (("validate", validate), ("plan", plan)):
                base.setdefault(name, seconds)
                ratio = seconds / base[name]
                target = "—" if factor == 1 else f"<= {1.2 * factor:g}x (linear)"
                rows.append((f"scale {factor}x: {name}", f"{seconds:.2f} s", f"1x {base[name]:.2f} s",
                             f"{ratio:.1f}x", target))
    return rows


def site() -> list[Row]:
    from site_build import site_rows

    return site_rows(ROOT)


def taskjuggler() -> list[Row]:
    from taskjuggler import taskjuggler_rows

    return taskjuggler_rows(ROOT)


def zen(runs: int) -> list[Row]:
    from zen_table import zen_rows

    return zen_rows(ROOT, runs=runs)


def builder(runs: int) -> list[Row]:
    from builder import builder_rows

    return builder_rows(ROOT, runs=runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller samples; scale up to 10x only")
    parser.add_argument("--only", choices=["warm", "zen", "batch", "batch-scale", "cold", "scale", "site",
                                                   "taskjuggler", "builder"],
                        action="append",
                        help="run only these figures (repeatable)")
    args = parser.parse_args()
    wanted = set(args.only or ["warm", "zen", "batch", "batch-scale", "cold", "scale", "site", "taskjuggler",
                                "builder"])
    rows: list[Row] = []
    if "warm" in wanted:
        rows.append(warm_one_client(5 if args.quick else 30))
        rows.append(engines(5 if args.quick else 30))
    if "zen" in wanted:
        rows += zen(5 if args.quick else 30)
    if "batch" in wanted:
        rows.append(batch(1000))
        rows.append(schedule_share(1000))
    if "batch-scale" in wanted:
        rows += batch_scale([10_000] if args.quick else [10_000, 100_000])
    if "cold" in wanted:
        rows.append(cold(3 if args.quick else 10))
    if "scale" in wanted:
        rows += scaling([1, 10] if args.quick else [1, 10, 100])
    if "site" in wanted:
        rows += site()
    if "taskjuggler" in wanted:
        rows += taskjuggler()
    if "builder" in wanted:
        rows += builder(1 if args.quick else 3)
    header = ("figure", "measured", "baseline (same run)", "ratio", "target")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(5)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print(" | ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
