"""The compiled engine: durable_rules' sharp edges, each handled and shown to be.

Run as a script (`python test_engine.py load-test`), this module is the child process
of the capacity test, so that a hang or crash inside durable's C core fails the test
instead of taking pytest down with it.
"""

from __future__ import annotations

import enum
import gc
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import durable_rules_engine  # type: ignore[import-not-found]  # durable's C core
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import fact_dicts, rule_sets

from generator.rules.durable import host as durable_host
from generator.rules.durable.engine import Engine
from generator.rules.meaning.reference import evaluate_reference
from generator.rules.meaning.results import Evaluation, Match, RuleError
from generator.rules.model import Action, All, Any_, Condition, Leaf, Not, Op, Rule

ROOT = Path(__file__).resolve().parents[2]


def rule(rid: str, when: Condition | None, sets: Mapping[str, object] | None = None) -> Rule:
    return Rule(rid, rid, rid, when, Action(set=tuple((sets or {}).items())))


def fired(result: Evaluation) -> list[str]:
    return [f.rule for f in result.fired]


@pytest.fixture
def engines() -> Iterator[list[Engine]]:
    """Engines made by a test, closed afterwards."""
    made: list[Engine] = []
    yield made
    for engine in made:
        engine.close()


def make(engines: list[Engine], rules: list[Rule]) -> Engine:
    engine = Engine(rules)
    engines.append(engine)
    return engine


COMPLAINTS = rule(
    "cs-high-complaints",
    All(
        (
            Leaf("kpis.complaint_rate", "gt", 0.03),
            Any_((Leaf("offering", "in", ("service", "both")), Leaf("channels", "contains", "offline_store"))),
        )
    ),
    {"service_risk": True},
)


def test_no_timer_threads_and_concurrent_callers_are_serialised(engines: list[Engine]) -> None:
    before = threading.active_count()
    durable_host._QuietHost()  # a stock durable Host would start two timer threads here
    engine = make(engines, [COMPLAINTS, rule("baseline", None)])
    cases = [{"kpis.complaint_rate": r / 100, "offering": "both"} for r in range(8)]
    expected = [engine.evaluate(facts) for facts in cases]
    assert threading.active_count() == before
    results: dict[int, list[Evaluation]] = {}

    def work(n: int) -> None:
        results[n] = [engine.evaluate(facts) for facts in cases * 25]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(got == expected * 25 for got in results.values())


def sessions_alive(engine: Engine, sids: range) -> list[str]:
    alive = []
    for names in engine._names:
        for name in names:
            handle = durable_host.host()._ruleset_directory[name]._handle
            for sid in map(str, sids):
                try:
                    durable_rules_engine.get_state(handle, sid)
                    alive.append(f"{name}/{sid}")
                except durable_rules_engine.error:
                    pass  # 309: no such session
    return alive


def test_an_exception_in_an_action_stays_itself_and_frees_the_session(
    engines: list[Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A failure inside the engine is a bug, reported as an internal error: never as a rule error,
    # which the CLI would show as a mistake in the user's rules.
    engine = make(engines, [rule("baseline", None), COMPLAINTS])
    facts = {"kpis.complaint_rate": 0.07, "offering": "both"}

    def explode(rule: int, fired: list[int]) -> None:
        raise ValueError("disk full")

    monkeypatch.setattr(engine, "_on_fire", explode)
    with pytest.raises(ValueError, match="disk full") as caught:
        engine.evaluate(facts)
    assert not isinstance(caught.value, RuleError)
    assert "while durable_rules evaluated rules cs-high-complaints" in "".join(caught.value.__notes__)
    monkeypatch.undo()
    assert fired(engine.evaluate(facts)) == ["baseline", "cs-high-complaints"]
    assert sessions_alive(engine, range(1, 5)) == []


def test_each_evaluation_has_its_own_session_and_deletes_it(engines: list[Engine]) -> None:
    engine = make(engines, [COMPLAINTS])
    for _ in range(1100):  # more than the 1,024 live sessions durable allows per ruleset
        engine.evaluate({"kpis.complaint_rate": 0.07, "offering": "both"})
    assert sessions_alive(engine, range(1, 1101)) == []


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads RSS from /proc")
def test_memory_stays_flat_over_100_000_evaluations(engines: list[Engine]) -> None:
    engine = make(engines, [COMPLAINTS, rule("baseline", None), rule("quiet", Not(Leaf("service_risk", "eq", True)))])
    cases = [
        {"kpis.complaint_rate": 0.07, "offering": "both"},
        {"kpis.complaint_rate": 0.01, "channels": ("offline_store",)},
    ]

    def run(times: int) -> None:
        for n in range(times):
            engine.evaluate(cases[n % 2])

    run(20_000)  # let allocator pools and caches reach their working size
    gc.collect()
    before = rss_bytes()
    run(100_000)
    gc.collect()
    assert rss_bytes() - before < 2 * 1024 * 1024


def test_any_fires_once_even_when_several_alternatives_hold(
    engines: list[Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    either = rule(
        "either",
        Any_(
            (
                Leaf("a", "eq", 1),
                Leaf("b", "eq", 1),
                All((Leaf("c", "eq", 1), Any_((Leaf("d", "eq", 1), Leaf("e", "eq", 1))))),
            )
        ),
    )
    engine = make(engines, [either])
    calls: list[int] = []
    original = engine._on_fire

    def counting(rule: int, fired: list[int]) -> None:
        calls.append(rule)
        original(rule, fired)

    monkeypatch.setattr(engine, "_on_fire", counting)
    result = engine.evaluate({"a": 1, "b": 1, "c": 1, "d": 1, "e": 1})
    assert calls == [0]  # one action call, not one per matching alternative
    assert [m.fact for m in result.fired[0].matched] == ["a", "b", "c", "d", "e"]


@settings(max_examples=60, deadline=None)
@given(rules=rule_sets(max_rules=6), facts=fact_dicts, seed=st.randoms(use_true_random=False))
def test_results_do_not_depend_on_fact_or_rule_order(
    rules: tuple[Rule, ...], facts: dict[str, object], seed: random.Random
) -> None:
    shuffled_facts = dict(seed.sample(sorted(facts.items(), key=str), len(facts)))
    shuffled_rules = seed.sample(rules, len(rules))

    def outcome(rules: list[Rule] | tuple[Rule, ...], facts: dict[str, object]) -> tuple[object, ...] | str:
        engine = Engine(rules)
        try:
            result = engine.evaluate(facts)
        except RuleError:
            return "RuleError"
        finally:
            engine.close()
        return tuple(sorted(map(repr, result.fired))), result.derived

    first = outcome(rules, facts)
    assert outcome(rules, shuffled_facts) == first
    assert outcome(shuffled_rules, shuffled_facts) == first


def test_negation_sees_the_whole_fact_whatever_its_order(engines: list[Engine]) -> None:
    # durable's own negation is decided by the facts seen so far; ours by complete facts.
    rules = [
        rule("no-production", Not(Leaf("has_production", "eq", True))),
        rule("not-both", Not(All((Leaf("industry", "eq", "retail"), Leaf("team_size", "lt", 10))))),
        rule("unless-risk", Not(Leaf("risk", "exists", True))),
        rule("risky", Leaf("team_size", "lt", 10), {"risk": True}),
    ]
    engine = make(engines, rules)
    facts = {"industry": "retail", "has_production": True, "team_size": 3}
    for order in (facts, dict(reversed(list(facts.items())))):
        assert fired(engine.evaluate(order)) == ["risky"]
    assert fired(engine.evaluate({})) == ["no-production", "not-both", "unless-risk"]
    assert engine.evaluate({}).fired[0].matched == (Match("has_production", "not eq", True, None),)


def test_derived_facts_chain_and_settle_or_fail(engines: list[Engine]) -> None:
    chain = [
        rule("c", Leaf("b", "eq", True), {"c": "high"}),
        COMPLAINTS,
        rule("b", Leaf("service_risk", "eq", True), {"b": True}),
    ]
    result = make(engines, chain).evaluate({"kpis.complaint_rate": 0.07, "offering": "both"})
    assert fired(result) == ["c", "cs-high-complaints", "b"]
    assert result.derived == (("b", True), ("c", "high"), ("service_risk", True))
    flip = make(
        engines,
        [
            rule("x-unless-y", Not(Leaf("y", "exists", True)), {"x": True}),
            rule("y-if-x", Leaf("x", "exists", True), {"y": True}),
        ],
    )
    with pytest.raises(RuleError, match="x-unless-y, y-if-x never settle"):
        flip.evaluate({})
    clash = make(engines, [rule("hot", None, {"risk": "high"}), rule("cold", Leaf("a", "eq", 1), {"risk": "low"})])
    with pytest.raises(RuleError, match="rules hot and cold set fact risk"):
        clash.evaluate({"a": 1})


def test_unmatched_and_odd_facts_do_not_raise(engines: list[Engine]) -> None:
    engine = make(engines, [rule("retail", Leaf("industry", "eq", "retail"))])
    for facts in ({}, {"other": 1}, {"t": "x", "sid": "9", "id": "i", "$s": 1, "industry": "saas"}):
        assert fired(engine.evaluate(facts)) == []
    assert fired(engine.evaluate({"id": "x", "t": 5, "industry": "retail"})) == ["retail"]


def test_an_engine_without_rules_or_durable_rules(engines: list[Engine]) -> None:
    assert make(engines, []).evaluate({"x": 1}) == Evaluation((), ())
    always = make(engines, [rule("baseline", None), rule("never", Leaf("x", "in", ()))])
    assert always._program.levels[0].shards == ()  # constant rules never reach durable
    assert fired(always.evaluate({"x": 1})) == ["baseline"]


def test_identical_facts_evaluated_again_and_again(engines: list[Engine]) -> None:
    # durable refuses an identical fact twice in one session; each evaluation has its own.
    rules = [COMPLAINTS, rule("grow", Leaf("service_risk", "eq", True), {"service_risk": True})]
    engine = make(engines, rules)
    facts = {"kpis.complaint_rate": 0.07, "offering": "both"}
    results = {engine.evaluate(facts) for _ in range(3)}
    assert len(results) == 1 and fired(results.pop()) == ["cs-high-complaints", "grow"]


@pytest.mark.parametrize(
    ("when", "facts", "expected"),
    [
        (Leaf("rate", "lt", 0.2), {"rate": "0.15"}, False),  # no "0.15" < 0.2
        (Leaf("rate", "lt", 0.2), {"rate": 0.15}, True),
        (Leaf("flag", "eq", 1), {"flag": True}, False),  # no True == 1
        (Leaf("flag", "eq", True), {"flag": 1}, False),
        (Leaf("flag", "ne", 1), {"flag": True}, False),
        (Leaf("n", "eq", 1), {"n": 1.0}, True),
        (Leaf("n", "in", ("1", True)), {"n": 1}, False),
        (Leaf("n", "not_in", ("1", True)), {"n": 1}, True),
        (Leaf("tags", "contains", "1"), {"tags": ("1",)}, True),
        (Leaf("tags", "contains", 1), {"tags": ("1",)}, False),
        (Leaf("rate", "lt", 1e-05), {"rate": 5e-07}, True),  # Python's "1e-05" is no JSON to durable
        (Leaf("rate", "gt", 1e16), {"rate": 2e16}, True),
        (Leaf("big", "eq", 2**53), {"big": 2**53}, True),
        (Leaf("tags", "contains_any", ("a",)), {"tags": []}, False),
        (Not(Leaf("tags", "contains", "a")), {"tags": ()}, True),  # "no item is a" holds for []
    ],
)
def test_types_stay_strict(engines: list[Engine], when: Condition, facts: dict[str, object], expected: bool) -> None:
    result = make(engines, [rule("r", when)]).evaluate(facts)
    assert bool(result.fired) is expected
    assert result == evaluate_reference([rule("r", when)], facts)


def test_subclasses_of_the_usual_types_count_as_their_values(engines: list[Engine]) -> None:
    class Industry(str, enum.Enum):  # noqa: UP042  # on purpose: its str() is "Industry.RETAIL"
        RETAIL = "retail"

    class Size(enum.IntEnum):
        SMALL = 5

    rules = [rule("r", All((Leaf("industry", "eq", "retail"), Leaf("industry", "lt", "s"), Leaf("size", "eq", 5))))]
    facts = {"industry": Industry.RETAIL, "size": Size.SMALL}
    assert fired(make(engines, rules).evaluate(facts)) == ["r"] == fired(evaluate_reference(rules, facts))


@pytest.mark.parametrize("value", [2**53 + 1, float("nan"), float("inf"), {"a": 1}, ("a", 1), object()])
def test_values_durable_cannot_represent_are_refused_by_name(engines: list[Engine], value: object) -> None:
    engine = make(engines, [rule("r", Leaf("kpis.nps", "exists", True))])
    with pytest.raises(RuleError, match=r"fact kpis\.nps: "):
        engine.evaluate({"kpis.nps": value})


def test_a_rule_constant_durable_cannot_represent_is_refused_by_rule(engines: list[Engine]) -> None:
    with pytest.raises(RuleError, match="rule huge: integer"):
        Engine([rule("huge", Leaf("n", "gt", 2**60))])


TEXTS = ["", "a", "a!", "a ", 'a"', "a\\", "a\n", "a#", "ab", "B", "b", "中", "中文", "é", "2026-01-01", "2026-01-01 x"]


def test_text_order_and_chinese_text(engines: list[Engine]) -> None:
    # durable compares raw JSON text with strncmp and gets "a" < "a!" wrong on its own.
    ops: tuple[Op, ...] = ("eq", "ne", "lt", "le", "gt", "ge")
    rules = [rule(f"{op}:{text}", Leaf("客户.名称", op, text)) for text in TEXTS for op in ops]
    rules.append(rule("规则-中文", Leaf("渠道", "contains", "线下门店"), {"风险": "高"}))
    engine = make(engines, rules)
    for text in TEXTS:
        facts = {"客户.名称": text, "渠道": ("线上", "线下门店")}
        assert engine.evaluate(facts) == evaluate_reference(rules, facts)
    assert engine.evaluate({"渠道": ("线下门店",)}).derived == (("风险", "高"),)


def test_engines_can_be_recreated_and_free_their_rulesets() -> None:
    before = durable_host.registered()
    for _ in range(200):
        engine = Engine([COMPLAINTS, rule("baseline", None)])
        assert fired(engine.evaluate({"offering": "both", "kpis.complaint_rate": 0.5}))[0] == "cs-high-complaints"
        del engine  # the finalizer drops its rulesets
    gc.collect()
    assert durable_host.registered() == before
    closed = Engine([COMPLAINTS])
    closed.close()
    assert durable_host.registered() == before
    with pytest.raises(RuntimeError, match="closed"):
        closed.evaluate({"offering": "both", "kpis.complaint_rate": 0.5})


def test_a_condition_too_big_for_one_durable_rule_is_split(engines: list[Engine]) -> None:
    # 200 alternatives and 20 negations: beyond durable's 64-path stack and 32
    # expression slots per rule, so the compiler cuts it into several durable rules.
    wide = Any_(tuple(All((Leaf("a", "eq", i), Leaf("b", "ne", i))) for i in range(200)))
    deep = Not(Any_(tuple(Leaf(f"x{i}", "eq", i) for i in range(20))))
    rules = [rule("wide", wide), rule("deep", deep)]
    engine = make(engines, rules)
    assert sum(len(shard.pieces) for level in engine._program.levels for shard in level.shards) > 2
    for facts in ({"a": 7, "b": 8}, {"a": 7, "b": 7}, {"x3": 3}, {}):
        assert engine.evaluate(facts) == evaluate_reference(rules, facts)


def test_a_fact_never_carries_more_properties_than_durable_allows(engines: list[Engine]) -> None:
    # A text compared by order also travels as hex, and `exists` adds a flag: 3
    # properties per path, 270 for two such rules; durable refuses more than 255.
    def reading(prefix: str, count: int) -> Condition:
        return All(
            tuple(
                x
                for i in range(count)
                for x in (Leaf(f"{prefix}.{i}", "ge", "a"), Leaf(f"{prefix}.{i}", "exists", True))
            )
        )

    rules = [rule("left", reading("l", 45)), rule("right", reading("r", 45))]
    engine = make(engines, rules)
    facts: dict[str, object] = {f"{side}.{i}": "b" for i in range(45) for side in "lr"}
    assert fired(engine.evaluate(facts)) == ["left", "right"]
    with pytest.raises(RuleError, match="rule wide reads too many facts"):
        Engine([rule("wide", reading("w", 90))])


def many_rules(count: int = 5000) -> list[Rule]:
    """Rules in the shapes durable cannot take in one ruleset: hundreds matching one
    fact, hundreds with one first test, 300 fact paths, wide `any`s, and chaining."""
    rnd = random.Random(7)
    rules = []
    for i in range(count):
        shape, sets = i % 10, {}
        if shape < 3:
            when: Condition | None = Leaf("team_size", "gt", i % 50)
        elif shape < 5:
            when = All((Leaf("industry", "eq", "retail"), Leaf(f"kpis.k{i % 300}", "lt", 0.5)))
        elif shape == 5:
            when = Any_((Leaf("channels", "contains", f"c{i % 7}"), Not(Leaf("goals", "contains_any", ("g1", "g2")))))
        elif shape == 6:
            when, sets = Leaf(f"kpis.k{i % 300}", "ge", 0.3), {f"d{i % 20}": True}
        elif shape == 7:
            when = All((Leaf(f"d{(i - 1) % 20}", "eq", True), Not(Leaf("stage", "in", ("idea", "decline")))))
        elif shape == 8:
            when = None
        else:
            when = Any_(tuple(Leaf("industry", "eq", f"i{j}") for j in range(rnd.randint(1, 90))))
        rules.append(rule(f"r{i}", when, sets))
    return rules


def load_test() -> None:
    rules = many_rules()
    engine = Engine(rules)
    rnd = random.Random(3)
    for n in range(4):
        facts: dict[str, object] = {f"kpis.k{j}": rnd.random() for j in range(300)}
        facts |= {
            "team_size": (0, 25, 100)[n % 3],
            "industry": ("retail", "i3")[n % 2],
            "channels": ("c1",),
            "goals": ("g2",) * (n % 2),
            "stage": "growth",
        }
        assert engine.evaluate(facts) == evaluate_reference(rules, facts), facts
    print("ok", len(rules), "rules in", sum(len(level.shards) for level in engine._program.levels), "rulesets")


def test_5000_rules_compile_and_agree_with_the_reference() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    started = time.monotonic()
    child = subprocess.run(
        [sys.executable, __file__, "load-test"], env=env, capture_output=True, text=True, timeout=120
    )
    assert child.returncode == 0, child.stderr[-3000:]
    assert child.stdout.startswith("ok 5000 rules"), child.stdout
    assert time.monotonic() - started < 120


if __name__ == "__main__" and sys.argv[1:] == ["load-test"]:
    load_test()
