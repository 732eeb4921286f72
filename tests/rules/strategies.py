"""Hypothesis strategies for rules and facts over a small vocabulary.

The vocabulary is small on purpose, so that random conditions and random facts meet
often; values mix kinds on every path (a number where a string is usual, `True` next
to `1`, "0.15" next to 0.15) and include the texts durable's raw string comparison
gets wrong, so the differential test exercises type strictness and text ordering.
"""

from __future__ import annotations

from hypothesis import strategies as st

from generator.rules.model import OPS, Action, All, Any_, Condition, Leaf, Not, Rule

CLIENT_FACTS = ("industry", "channels", "team_size", "kpis.rate", "start_date")
DERIVED_FACTS = ("risk", "focus", "stage2")
FACTS = CLIENT_FACTS + DERIVED_FACTS

# Texts that durable's raw strncmp orders wrongly ("a" vs "a!", escapes), Chinese,
# and texts that look like numbers.
TEXTS = ("", "a", "a!", "a ", 'a"', "a\\", "a\n", "ab", "B", "中文", "retail", "0.15", "1")
NUMBERS = (0, 1, -1, 2, 0.0, -0.0, 0.15, 0.2, 1.0, 1e-05, 2.5e-08, 1e16, -3.5, 2**53)
BOOLS = (True, False)

texts = st.sampled_from(TEXTS)
numbers = st.sampled_from(NUMBERS) | st.integers(-5, 20) | st.floats(-10, 10, allow_nan=False)
scalars = texts | numbers | st.sampled_from(BOOLS)
text_lists = st.just(()) | st.lists(texts, min_size=1, max_size=4).map(tuple)
values = scalars | text_lists


def leaf_values(op: str) -> st.SearchStrategy[object]:
    if op == "exists":
        return st.booleans()
    if op in ("in", "not_in", "contains_any"):
        return st.lists(scalars | text_lists, max_size=4).map(tuple)
    if op == "contains":
        return texts | scalars
    return scalars | text_lists  # lists are legal values too: they never compare


leaves = st.tuples(st.sampled_from(FACTS), st.sampled_from(OPS)).flatmap(
    lambda fo: leaf_values(fo[1]).map(lambda v: Leaf(fo[0], fo[1], v))  # type: ignore[arg-type]
)


def _extend(children: st.SearchStrategy[Condition]) -> st.SearchStrategy[Condition]:
    groups = st.lists(children, max_size=3).map(tuple)
    return groups.map(All) | groups.map(Any_) | children.map(Not)


conditions: st.SearchStrategy[Condition] = st.recursive(leaves, _extend, max_leaves=6)

# Mostly one value per derived fact, so chains form; sometimes another, for conflicts.
USUAL = {"risk": True, "focus": "high", "stage2": 1}
derived_sets = st.sampled_from(DERIVED_FACTS).flatmap(
    lambda name: st.tuples(
        st.just(name),
        st.sampled_from((USUAL[name],) * 12 + (False, "low", 0.5, 1.0, True)),
    )
)


@st.composite
def rule_sets(draw: st.DrawFn, max_rules: int = 8) -> tuple[Rule, ...]:
    """Rule sets where some rules set derived facts that others read (chains, cycles)."""
    count = draw(st.integers(1, max_rules))
    rules = []
    for i in range(count):
        when = draw(st.none() | conditions | conditions)
        sets = draw(st.lists(derived_sets, max_size=1))
        layer = draw(st.sampled_from(("base", "clients/acme")))
        rules.append(Rule(f"r{i}", f"规则{i}", f"rule {i}", when, Action(set=tuple(sets)), layer))
    return tuple(rules)


# Client facts: any subset of the vocabulary, each with a value of any kind; now and
# then a derived fact's name too (a client fact that a rule confirms or contradicts).
fact_dicts = st.builds(
    lambda client, derived: {**client, **derived},
    st.dictionaries(st.sampled_from(CLIENT_FACTS), values),
    st.dictionaries(st.sampled_from(DERIVED_FACTS), derived_sets.map(lambda t: t[1]), max_size=1)
    | st.just({})
    | st.just({}),
)
