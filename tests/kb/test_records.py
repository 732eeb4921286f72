"""A record class (generator/core/records.py) behaves as the frozen dataclass it replaces: the same
construction and errors, equality and hash over the compared fields, repr, replace(), pickling,
and refusal to change."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass, field
from typing import Any

import pytest

from generator.core.records import record
from generator.kb.model import KB, Item, Text


@dataclass(frozen=True)
class AsDataclass:
    id: str
    size: int
    loc: tuple[str, int, int] = field(default=("", 0, 0), compare=False)
    tags: tuple[str, ...] = field(default_factory=tuple, repr=False)


@record
class AsRecord:
    id: str
    size: int
    loc: tuple[str, int, int] = field(default=("", 0, 0), compare=False)
    tags: tuple[str, ...] = field(default_factory=tuple, repr=False)


def _made(cls: type[Any], args: tuple[object, ...], kwargs: dict[str, object]) -> Any:
    try:
        return cls(*args, **kwargs)
    except TypeError:
        return TypeError


CALLS = [(("a", 1), {}), (("a",), {"size": 2}), ((), {"id": "a", "size": 3, "tags": ("x",)}),
         (("a", 1, ("f.yaml", 2, 3)), {}), (("a", 1, ("", 0, 0), ("t",)), {}),
         (("a",), {}), (("a", 1, ("", 0, 0), (), 5), {}), (("a",), {"id": "b"}), (("a", 1), {"colour": 1})]


@pytest.mark.parametrize(("args", "kwargs"), CALLS)
def test_construction_is_the_dataclass_one(args: tuple[object, ...], kwargs: dict[str, object]) -> None:
    ours, theirs = _made(AsRecord, args, kwargs), _made(AsDataclass, args, kwargs)
    if theirs is TypeError:
        assert ours is TypeError
    else:
        assert repr(ours) == repr(theirs).replace("AsDataclass", "AsRecord")
        assert dataclasses.astuple(ours) == dataclasses.astuple(theirs)


def test_equality_and_hash_leave_out_fields_not_compared() -> None:
    one, moved, other = AsRecord("a", 1), AsRecord("a", 1, ("f.yaml", 9, 9)), AsRecord("a", 2)
    assert one == moved and hash(one) == hash(moved)
    assert one != other and one != AsDataclass("a", 1)
    assert len({one, moved, other}) == 2


def test_frozen_replaced_pickled_and_copied() -> None:
    one = AsRecord("a", 1, tags=("x",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.size = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del one.size
    assert dataclasses.replace(one, size=2) == AsRecord("a", 2, tags=("x",))
    assert pickle.loads(pickle.dumps(one)) == one == copy.deepcopy(one)
    assert pickle.loads(pickle.dumps(one)).tags == ("x",)


def test_the_kb_model_keeps_post_init_lookups() -> None:
    text = Text("一", "one")
    item = Item("s.i", "s", text, text, "ops", 1, 0.5, "once", None, (), (), True)
    kb = KB((), (), (), (), (), (), (), (), "sha256:0")
    assert kb.item_by_id == {} and kb.counts()["items"] == 0
    assert item == dataclasses.replace(item, loc=("kb/x.yaml", 1, 1))
    assert repr(text) == "Text(zh='一', en='one')"


@dataclass(frozen=True, order=True)
class OrderedDataclass:
    path: str
    line: int
    note: str = field(default="", compare=False)


@record(order=True)
class OrderedRecord:
    path: str
    line: int
    note: str = field(default="", compare=False)


def test_ordered_records_sort_as_ordered_dataclasses() -> None:
    rows = [("b.yaml", 2, "x"), ("a.yaml", 9, "y"), ("b.yaml", 1, "z"), ("a.yaml", 9, "a")]
    ours = sorted(OrderedRecord(*row) for row in rows)
    theirs = sorted(OrderedDataclass(*row) for row in rows)
    assert [(r.path, r.line, r.note) for r in ours] == [(r.path, r.line, r.note) for r in theirs]
    one, two = OrderedRecord("a", 1), OrderedRecord("a", 2)
    assert one < two and one <= two and two > one and two >= one and not one > two
    with pytest.raises(TypeError):
        assert one < AsRecord("a", 1)  # type: ignore[operator]
    with pytest.raises(TypeError):
        assert AsRecord("a", 1) < AsRecord("b", 1)  # type: ignore[operator]
