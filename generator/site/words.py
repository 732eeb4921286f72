"""The words the Chinese search segmenter (jieba, at build time) keeps whole: the KB's own
terms, as its user dictionary. Material's search cuts only runs of Chinese characters, so only
names written wholly in them count: glossary terms and their aliases, role titles, KPI names,
and step titles short enough to be one term (`竞品分析`; a longer title is a phrase, which is
better cut into its words, so that a search for one of them finds it)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from generator.kb.model import KB
from generator.site.tooltips import forms

_HAN = re.compile(r"[\u3400-\u9fff]{2,}")
LONGEST_STEP = 4


def _names(texts: Iterable[str], longest: int = 12) -> set[str]:
    return {text for text in texts if _HAN.fullmatch(text) and len(text) <= longest}


def search_words(kb: KB) -> list[str]:
    """The user dictionary: the KB's names written wholly in Chinese characters."""
    words = _names(form for term in kb.glossary for form in forms(term))
    words |= _names(role.title.zh for role in kb.roles)
    words |= _names(kpi.name.zh for kpi in kb.kpis)
    words |= _names((step.title.zh for step in kb.steps), LONGEST_STEP)
    return sorted(words)
