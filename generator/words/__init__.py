"""Every word opsbook shows to people: one catalogue per language (zh.py, en.py), same keys.

Keys are namespaced by where the words are used: `plan.title` (the plan renderers),
`interview.intro`, `page.glossary` (the site's pages), `priority.critical`... `{name}` fields
are filled in by the code that shows them. The catalogues are plain dict literals, each imported
when its language is first asked for (a JSON plan may need neither); tests/words checks that
both hold the same keys, that no value is empty and that both name the same `{fields}`.

Data brings its own words (the KB's titles, a rule's title); what people type (answers such
as `是` or `yes`) is read by the modules that parse it, not listed here.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache

LANGS = ("zh", "en")


@cache
def words(lang: str) -> Mapping[str, str]:
    """The whole catalogue of `lang`, keyed `namespace.key` (a KeyError for a language there is none of)."""
    if lang not in LANGS:
        raise KeyError(lang)
    catalogue: dict[str, str] = importlib.import_module(f"generator.words.{lang}").WORDS
    return catalogue


def word(lang: str, key: str) -> str:
    """The word `key` (`plan.title`) in `lang`."""
    return words(lang)[key]


@cache
def section(lang: str, namespace: str) -> dict[str, str]:
    """The words of one namespace in `lang`, keyed without it: section("en", "plan")["title"].
    Shared between callers: read it, never change it."""
    return _sections(lang).get(namespace, {})


@cache
def _sections(lang: str) -> dict[str, dict[str, str]]:
    grouped: dict[str, dict[str, str]] = {}
    for key, text in words(lang).items():
        namespace, _, rest = key.partition(".")
        grouped.setdefault(namespace, {})[rest] = text
    return grouped
