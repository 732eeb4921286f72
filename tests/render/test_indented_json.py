"""The JSON plan's fast writer gives the text json.dumps(ensure_ascii=False, indent=2) gives, byte for byte:
the plan's bytes are a contract, so any value it takes must come out as the standard library writes it."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render.indented_json import dumps

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                    st.text())
KEYS = st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.lists(inner, max_size=3).map(tuple),
                                                         st.dictionaries(KEYS, inner, max_size=4)), max_leaves=30)


def expected(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_any_json_value_comes_out_as_json_dumps_writes_it(value: object) -> None:
    assert dumps(value) == expected(value)


@pytest.mark.parametrize("value", [
    {}, [], {"a": {}, "b": [], "c": [[]], "d": [{}]},
    {"名": "咖啡 \"店\"\n\t\\", "ctl": "\x00\x1f\x7f\u2028\u2029", "lone": "\ud800"},
    [math.nan, math.inf, -math.inf, -0.0, 1e-05, 1e22, 0.1, 10**30, -(10**30)],
    {1: "int key", 2.5: "float key", False: "bool key", None: "none key", "n": None},
    ("tuple", ("nested", ("deeper",))),
    [True, False, 1, 0],
])
def test_edge_values(value: object) -> None:
    assert dumps(value) == expected(value)


@pytest.mark.parametrize("value", [{"set": {1}}, [b"bytes"], {(1, 2): "tuple key"}, object()])
def test_what_json_refuses_is_refused(value: object) -> None:
    with pytest.raises(TypeError):
        expected(value)
    with pytest.raises(TypeError):
        dumps(value)
