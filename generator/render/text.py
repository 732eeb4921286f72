"""How an item's reason and owner are said, the same in every format; Markdown text whose web
addresses stay links; how wide text shows in a spreadsheet column."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

from generator.plan.model import PlanItem, Reason
from generator.plan.wording import condition
from generator.render.plan_labels import LABELS, md

# A web or mail address as GitHub's Markdown links it by itself (its "extended autolinks"):
# ASCII characters a URL may hold, so the address ends at a space, an angle bracket, a
# backtick, a bracket or a Chinese character, whichever comes first.
_URL = re.compile(r"(?<![A-Za-z0-9])(?:(?:https?|ftp)://|www\.)[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]+"
                  r"|(?<![A-Za-z0-9._+-])[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_TRAILING = "?!.,:;*_~'"  # punctuation after an address ends the sentence, not the address
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);")


def why(item: PlanItem, lang: str) -> str:
    """The short reason as plain text: each rule's title, with the facts that matched."""
    parts = []
    for reason in item.because:
        held = "; ".join(condition(m.fact, m.op, m.value, m.actual) for m in reason.matched)
        parts.append(f"{reason.title} ({held or LABELS[lang]['always']})")
    return " · ".join(parts)


def _url_end(url: str) -> int:
    """Where an address found by _URL really ends: without the sentence's closing punctuation
    or a closing parenthesis that opened before it."""
    end = len(url)
    while end and (url[end - 1] in _TRAILING or (url[end - 1] == ")" and url.count("(", 0, end) <
                                                   url.count(")", 0, end))):
        end -= 1
    return end


def _kind(char: str) -> str:
    """A character as CommonMark's emphasis rules see it (the text's ends count as space)."""
    if not char or char.isspace():
        return "space"
    return "punct" if unicodedata.category(char)[0] in "PS" else "other"


def _opens(text: str, start: int, end: int) -> bool:
    """Whether the run of `_` or `~` at text[start:end] could open emphasis or strikethrough
    (CommonMark 6.2: left-flanking; an `_` also not right-flanking unless punctuation precedes).
    Every other `_`, `~` and `*` of the text is escaped, so a run that cannot open closes nothing."""
    before, after = _kind(text[start - 1:start]), _kind(text[end:end + 1])
    left = after != "space" and (after != "punct" or before != "other")
    right = before != "space" and (before != "punct" or after != "other")
    return left and (text[start] == "~" or not right or before == "punct")


def _url_md(text: str, start: int, end: int) -> str:
    """The address at text[start:end] written so an autolinking reader links it exactly (a
    backslash escape would become part of the link), and a reader that does not shows it as
    text: only what could still start emphasis, strikethrough or an entity is escaped."""
    out, at = [], start
    while at < end:
        char, stop = text[at], at + 1
        if char in "_~":
            while stop < end and text[stop] == char:
                stop += 1
            run = text[at:stop]
            out.append("".join("\\" + c for c in run) if _opens(text, at, stop) else run)
        elif char == "*":  # the plan's own bold (`**title**`) could pair with any of them
            out.append("\\*")
        else:
            out.append("&amp;" if char == "&" and _ENTITY.match(text, at) else char)
        at = stop
    return "".join(out)


def md_text(text: str) -> str:
    """Markdown-escaped text (data never becomes markup or HTML) whose web and mail addresses are
    left readable to GitHub's autolinks: `a\\_b` inside an address would link to `a%5C_b`."""
    if "@" not in text and "://" not in text and "www." not in text:
        return md(text)  # no address _URL could find: most text, at a third of the cost
    out, at = [], 0
    for found in _URL.finditer(text):
        end = found.start() + _url_end(found.group())
        if end <= found.start():
            continue
        out += [md(text[at:found.start()]), _url_md(text, found.start(), end)]
        at = end
    return "".join([*out, md(text[at:])])


def _code(text: str) -> str:
    return "`" + text.replace("`", "'").replace("\r", " ").replace("\n", " ") + "`"


def why_md(item: PlanItem, lang: str) -> str:
    """The short reason in Markdown: rule titles as text, the matched facts as code."""
    return " · ".join(_cached_reason_md(reason, lang) for reason in item.because)


def _cached_reason_md(reason: Reason, lang: str) -> str:
    # A rule that puts twenty items in a plan gives each of them the same reason: written once.
    try:
        return _reason_md_once(reason, lang)
    except TypeError:  # a value that cannot be hashed, so not cached
        return _reason_md(reason, lang)


def _reason_md(reason: Reason, lang: str) -> str:
    held = ", ".join(_code(condition(m.fact, m.op, m.value, m.actual)) for m in reason.matched)
    return f"{md_text(reason.title)} ({held or LABELS[lang]['always']})"


_reason_md_once = functools.lru_cache(maxsize=1024)(_reason_md)


def owner_text(item: PlanItem, lang: str) -> str:
    """The real owner, and the playbook's role they cover for when that differs."""
    if item.owner_role == item.owner:
        return item.owner_title
    return item.owner_title + LABELS[lang]["covers_for"].format(role=item.owner_role_title)


def display_width(text: str) -> int:
    """How many spreadsheet width units (the width of `0`) the longest line of `text` takes:
    two for a Chinese character or other wide character, one for anything else."""
    return max((sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
                for line in text.split("\n")), default=0)


def longest_word(text: str) -> int:
    """The width of the widest run between spaces: the least a column can be without breaking a
    word of its header."""
    return max((display_width(word) for word in text.split()), default=0)


def fitted(texts: Iterable[str], least: int, most: int, padding: int = 2) -> int:
    """A column width that shows the widest text on one line, between `least` and `most` (longer
    text wraps)."""
    return max(least, min(most, max((display_width(t) for t in texts), default=0) + padding))
