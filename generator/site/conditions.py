"""A rule's `when` in words, in Chinese and English, made from the KB's fact and value labels:
`{all: [{fact: kpis.complaint_rate, gt: 0.03}, {fact: offering, in: [service, both]}]}` reads
"投诉率（kpis.complaint_rate）大于 0.03，且 提供的是产品还是服务（offering）属于 服务、产品和服务".

Plain text (the page escapes it). `not` is pushed down to the leaves (De Morgan), so every
negation reads as a negated comparison; a negated leaf also holds when its fact is absent,
and says so unless the fact is always given."""

from __future__ import annotations

from collections.abc import Iterator

from generator.kb.model import KB, Text
from generator.rules.model import Condition, Leaf, fold
from generator.rules.operators import OPERATORS, says
from generator.site.kpis import number
from generator.words import section, word


def _word(key: str, lang: str) -> str:
    return section(lang, "conditions")[key]


def _sentence_case(label: str) -> str:
    """`Products or services` -> `products or services` inside an English sentence; names with
    capitals further in (`Net Promoter Score`) keep theirs."""
    words = label.split()
    if len(label) > 1 and label[1].islower() and not any(w[:1].isupper() for w in words[1:]):
        return label[0].lower() + label[1:]
    return label


def fact_label(kb: KB, fact_id: str, lang: str) -> str:
    """The fact's label in `lang` (a KPI's name for `kpis.<id>`), or its ID if the KB has none."""
    if fact_id in kb.fact_by_id:
        return kb.fact_by_id[fact_id].label(lang)
    kpi = kb.kpi_by_id.get(fact_id.removeprefix("kpis.")) if fact_id.startswith("kpis.") else None
    return kpi.name(lang) if kpi else fact_id


def _named(kb: KB, fact_id: str, lang: str) -> str:
    """`投诉率（kpis.complaint_rate）`, `complaint rate (kpis.complaint_rate)`, `industry`."""
    label = fact_label(kb, fact_id, lang)
    if label == fact_id:
        return fact_id
    if lang == "en":
        label = _sentence_case(label)
        if label.lower().replace(" ", "_") == fact_id:
            return label
    return word(lang, "page.aside").format(text=label, aside=fact_id)


def value_text(kb: KB, fact_id: str, value: object, lang: str, in_sentence: bool = True) -> str:
    """A fact value in words: an allowed value's label, yes/no, a number, a date, or the text
    itself; a list of values joined (`服务、产品和服务`). `in_sentence`, text is quoted and
    English labels start in lower case."""
    if isinstance(value, list | tuple):
        return _word("list", lang).join(value_text(kb, fact_id, v, lang, in_sentence) for v in value)
    if isinstance(value, bool):
        return _word("yes" if value else "no", lang)
    if isinstance(value, int | float):
        return number(value)
    fact = kb.fact_by_id.get(fact_id)
    label = next((v.label(lang) for v in fact.values if v.id == value), None) if fact else None
    if label is not None:
        return _sentence_case(label) if lang == "en" and in_sentence else label
    if not in_sentence or (fact is not None and fact.type == "date"):
        return str(value)
    return _word("quoted", lang).format(value=value)


def _may_be_absent(kb: KB, fact_id: str) -> bool:
    fact = kb.fact_by_id.get(fact_id)
    return fact is None or not fact.required


def _leaf(kb: KB, leaf: Leaf, negated: bool, lang: str) -> str:
    derived = bool(kb.fact_by_id.get(leaf.fact)) and kb.fact_by_id[leaf.fact].derived
    name = _named(kb, leaf.fact, lang)
    space = "" if lang == "zh" and name.endswith("）") else " "
    if OPERATORS[leaf.op].presence:
        there = bool(leaf.value) != negated
        said = Text(*says(leaf.op, not there))(lang) if not derived else _word("set" if there else "unset", lang)
        return f"{name}{space}{said}"
    phrase = Text(*says(leaf.op, negated))(lang).format(v=value_text(kb, leaf.fact, leaf.value, lang))
    # A leaf is false when its fact is absent, so its negation is true then.
    absent = _word("or_unset" if derived else "or_absent", lang)
    tail = absent if negated and _may_be_absent(kb, leaf.fact) else ""
    return f"{name}{space}{phrase}{tail}"


Said = tuple[str, bool]  # a part in words, and whether it joins more than one part


def _words(kb: KB, cond: Condition, lang: str) -> str:
    def leaf(leaf: Leaf, negated: bool) -> Said:
        return _leaf(kb, leaf, negated, lang), False

    def join(conjunctive: bool, found: Iterator[Said]) -> Said:
        parts = list(found)
        nested = len(parts) > 1  # a part of several parts is bracketed inside another of several
        texts = (f"{_word('open', lang)}{text}{_word('close', lang)}" if nested and many else text
                 for text, many in parts)
        glue = _word("and" if conjunctive else "or", lang)
        return glue.join(texts).replace(f"{glue}（", f"{glue.rstrip()}（"), nested  # `且（…）`, not `且 （…）`

    return fold(cond, leaf, join)[0]


def describe(cond: Condition | None, kb: KB, lang: str) -> str:
    """When a rule with condition `cond` applies, as one sentence in `lang` (no final stop)."""
    if cond is None:
        return _word("always", lang)
    return _words(kb, cond, lang)
