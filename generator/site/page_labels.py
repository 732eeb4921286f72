"""The words of the generated pages, in both languages (the data brings its own): `page.*` and
`vocab.*` in the catalogues (generator/words)."""

from __future__ import annotations

from generator.words import LANGS, section

__all__ = ["LANGS", "label", "vocab"]


def label(key: str, lang: str) -> str:
    """The page word `key` in `lang`."""
    return section(lang, "page")[key]


def vocab(value: str, lang: str) -> str:
    """A value of a stable vocabulary (RACI letter, cadence, domain, fact type; a horizon as plans
    show it) in `lang`; unknown values are shown as they are."""
    return section(lang, "vocab").get(value) or section(lang, "horizon").get(value, value)
