"""Glossary tooltips: every surface form of a glossary term (both languages, aliases) as a
Markdown abbreviation whose title is the definition in the page's language. The hook gives
them to `generator.site.abbr` for each page (its `glossary` option: the same as appending
their definitions to the page, without parsing ~150 definitions on each of ~230 pages), which
turns occurrences into `<abbr>`, shown by Material as a tooltip (`content.tooltips`)."""

from __future__ import annotations

from collections.abc import Iterator

from markdown.extensions.abbr import AbbrBlockprocessor

from generator.kb.model import KB, Term


def forms(term: Term) -> Iterator[str]:
    """The ways `term` is written: its Chinese and English names, the English name in lower
    case as it reads mid-sentence, and its aliases."""
    yield term.term.zh
    yield term.term.en
    en = term.term.en
    if en[:1].isupper() and en[1:2].islower():
        yield en[0].lower() + en[1:]
    yield from term.aliases


def abbreviations(kb: KB, lang: str) -> dict[str, str]:
    """Surface form -> tooltip text; a form two terms share keeps the first term's."""
    found: dict[str, str] = {}
    for term in kb.glossary:
        colon = "：" if lang == "zh" else ": "
        tip = " ".join(f"{term.term(lang)}{colon}{term.definition(lang)}".split())
        for form in forms(term):
            # `]` would end the abbreviation's name in the `*[name]: text` syntax.
            if form.strip() and "]" not in form:
                found.setdefault(form.strip(), tip)
    return found


def definitions(abbrs: dict[str, str]) -> str:
    """The abbreviations in Markdown's `*[name]: text` syntax, to append to a page. Blank
    lines between them keep parsing linear: Python-Markdown re-tests the rest of a block
    against every block processor after each definition it takes out of it."""
    return "\n\n".join(f"*[{name}]: {tip}" for name, tip in abbrs.items())


def glossary(abbrs: dict[str, str]) -> dict[str, str]:
    """The abbreviations Markdown reads from `definitions(abbrs)` (a name it cannot read, with
    a backslash, is left out), for the extension's `glossary` option."""
    read: dict[str, str] = {}
    for block in definitions(abbrs).split("\n\n"):
        found = AbbrBlockprocessor.RE.search(block)
        name, tip = (found["abbr"].strip(), found["title"].strip()) if found else ("", "")
        if name and tip:
            if tip in ("''", '""'):
                read.pop(name, None)
            else:
                read[name] = tip
    return read
