"""A playbook from the cache leaves most of its KB (phases, steps, items) unread until something asks
for it: a plan never does, as its template holds what it needs, and unpickling that part was about 40%
of reading the cached playbook. The template of a language is read when a plan in it is made."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from types import MethodType

import pytest

from generator.kb.model import DEFERRED, KB, deferred, split
from generator.plan.playbook import load_playbook
from generator.render import GROUPINGS, RENDERERS, View

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def fresh() -> KB:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OPSBOOK_NO_CACHE", "1")
        return load_playbook(ROOT / "kb", ROOT / "rules").kb


def _cut(kb: KB, reads: list[int]) -> KB:
    order, now, rest = split(kb)

    def read() -> dict[str, object]:
        reads.append(1)
        return rest

    return deferred(order, now, read)


def test_the_deferred_part_is_read_once_and_only_when_asked_for(fresh: KB) -> None:
    reads: list[int] = []
    kb = _cut(fresh, reads)
    assert kb.facts == fresh.facts and kb.role_by_id == fresh.role_by_id and kb.digest == fresh.digest
    assert not reads, "what a plan reads is there without the deferred part"
    assert len(kb.steps) == len(fresh.steps) > 0
    assert kb.item_by_id.keys() == fresh.item_by_id.keys()
    assert reads == [1]
    assert list(vars(kb)) == list(vars(fresh)), "the attributes in the order the KB was made with"


@pytest.mark.parametrize("use", [lambda kb: kb == kb, repr, hash, copy.copy, pickle.dumps])
def test_comparing_printing_copying_or_pickling_reads_it_first(fresh: KB, use: object) -> None:
    reads: list[int] = []
    kb = _cut(fresh, reads)
    assert callable(use)
    use(kb)
    assert reads == [1]
    assert kb == fresh
    assert pickle.dumps(kb) == pickle.dumps(fresh), "the same bytes as the KB it was cut from"


def test_a_missing_attribute_is_still_an_attribute_error(fresh: KB) -> None:
    kb = _cut(fresh, [])
    with pytest.raises(AttributeError, match="no_such_field"):
        kb.no_such_field  # type: ignore[attr-defined]  # noqa: B018  # the access is the test
    assert not hasattr(kb, "__deepcopy__")


@pytest.mark.parametrize("fmt", ["json", "md"])
def test_a_plan_from_the_cache_never_reads_the_deferred_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              fresh: KB, fmt: str) -> None:
    monkeypatch.setenv("OPSBOOK_CACHE", str(tmp_path))
    monkeypatch.delenv("OPSBOOK_NO_CACHE", raising=False)
    built = load_playbook(ROOT / "kb", ROOT / "rules")  # a miss: validated, then stored
    cached = load_playbook(ROOT / "kb", ROOT / "rules")
    from generator.facts.client import load_facts

    facts = load_facts(ROOT / "examples" / "coffee-chain.yaml", cached.kb)
    text = RENDERERS[fmt].render(cached.plan(facts), View(GROUPINGS[0], None))
    assert "_rest" in vars(cached.kb), f"a {fmt} plan read the deferred part of the KB"
    assert isinstance(cached.stored, MethodType)  # the reader of the entry's parts, bound
    read = vars(cached.stored.__self__)["_read"]
    assert len(read) == 1 and list(cached.templates) == ["zh"], "a Chinese plan read the English template"
    assert text == RENDERERS[fmt].render(built.plan(facts), View(GROUPINGS[0], None))
    english = RENDERERS[fmt].render(cached.plan(facts, "en"), View(GROUPINGS[0], None))
    assert english == RENDERERS[fmt].render(built.plan(facts, "en"), View(GROUPINGS[0], None)) != text
    assert cached.kb == fresh and set(DEFERRED) <= set(vars(cached.kb))
    # the site's plan builder pickles these: the same bytes, whether the playbook came from the cache or not
    assert pickle.dumps((cached.kb, cached.ruleset)) == pickle.dumps((built.kb, built.ruleset))
