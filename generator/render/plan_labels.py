"""The words renderers put around plan data, in both languages, and text escaping.

The words live in the catalogues (generator/words: `plan.*`, `priority.*`, `horizon.*`,
`recurrence.*`, `status.*`); these are their tables per language, as the renderers use them.
`{name}` fields are filled in by the renderer.
"""

from __future__ import annotations

import datetime as dt
import re

from generator.words import LANGS, section

LABELS = {lang: section(lang, "plan") for lang in LANGS}
PRIORITY_NAMES = {lang: section(lang, "priority") for lang in LANGS}
HORIZON_NAMES = {lang: section(lang, "horizon") for lang in LANGS}
TARGET_OPS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<"}  # a target's comparison, as the table shows it
RECURRENCE_NAMES = {lang: section(lang, "recurrence") for lang in LANGS}
STATUS = {lang: (section(lang, "status")["todo"], section(lang, "status")["doing"], section(lang, "status")["done"])
          for lang in LANGS}
# What people write in a status cell or a `done` field, read back case-insensitively: the
# drop-down's own words in both languages plus the usual yes/no spellings.
DONE_WORDS = frozenset({STATUS["zh"][2], STATUS["en"][2], "完成", "x", "yes", "y", "true", "1", "completed",
                        "complete", "✓", "✔"})
OPEN_WORDS = frozenset({*STATUS["zh"][:2], *STATUS["en"][:2], "", "no", "n", "false", "0", "not started",
                        "needs-action", "in-process"})
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def md(text: str) -> str:
    """Markdown-escaped text: data never becomes markup or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;")).replace("\r", " ").replace("\n", " ")


def ticked(word: str) -> bool | None:
    """Whether a status word means done; None when it is no status word we know."""
    word = word.strip().lower()
    return True if word in DONE_WORDS else False if word in OPEN_WORDS else None


def dates(lang: str, first: dt.date, last: dt.date) -> str:
    """A stretch of days, or the one day it is."""
    if first == last:
        return first.isoformat()
    return LABELS[lang]["dates"].format(first=first.isoformat(), last=last.isoformat())


def counted(lang: str, key: str, n: float) -> str:
    """`key` filled with `n`, in its singular form where the language has one."""
    words = LABELS[lang]
    return words[f"{key}_one" if n == 1 else key].format(n=number(n))


def number(value: float) -> str:
    """A person-day figure as people read it: 3, 2.5, 0.25 (at most two decimals)."""
    return f"{round(value, 2):g}"
