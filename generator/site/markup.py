"""Building blocks of generated Markdown. Data text is escaped here (through `md`), so
page generators never paste raw data into a page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.kb.model import KB, Text
from generator.site import paths
from generator.site.escape import cjk_text, md
from generator.site.page_labels import label
from generator.words import section


@dataclass(frozen=True)
class Ctx:
    """One page being written: the KB, its language and its own path (for relative links)."""

    kb: KB
    lang: str
    path: str

    def t(self, text: Text) -> str:
        """A bilingual data text, escaped, in the page's language (no stray spaces between
        Chinese sentences from the source's line breaks)."""
        return md(cjk_text(text(self.lang)))

    def word(self, key: str) -> str:
        return label(key, self.lang)

    def a(self, text: str, to_path: str, fragment: str = "") -> str:
        """A link with escaped `text` to another page (or an entry on it)."""
        return f"[{md(text)}]({paths.link(self.path, to_path, fragment)})"

    def step(self, step_id: str) -> str:
        step = self.kb.step_by_id[step_id]
        return self.a(step.title(self.lang), paths.step(step))

    def phase(self, phase_id: str) -> str:
        return self.a(self.kb.phase_by_id[phase_id].title(self.lang), paths.phase(phase_id))

    def role(self, role_id: str) -> str:
        return self.a(self.kb.role_by_id[role_id].title(self.lang), paths.role(role_id))

    def kpi(self, kpi_id: str) -> str:
        kpi = self.kb.kpi_by_id[kpi_id]
        return self.a(kpi.name(self.lang), paths.KPIS, paths.anchor("kpi", kpi_id))

    def term(self, term_id: str) -> str:
        term = self.kb.term_by_id[term_id]
        return self.a(term.term(self.lang), paths.GLOSSARY, paths.anchor("term", term_id))

    def source(self, section_id: str) -> str:
        section = self.kb.section_by_id[section_id]
        return self.a(f"{section_id} {section.title(self.lang)}", paths.SOURCES,
                      paths.anchor("src", section_id))

    def sources(self, section_ids: Iterable[str]) -> str:
        return self.listing(self.source(s) for s in section_ids)

    def listing(self, parts: Iterable[str]) -> str:
        """Inline list: `a、b` in Chinese, `a, b` in English."""
        return section(self.lang, "page")["list_sep"].join(parts)

    def pair(self, name: str, value: str) -> str:
        """`name：value` in Chinese, `name: value` in English (both already Markdown)."""
        return section(self.lang, "page")["pair"].format(name=name, value=value)


def heading(level: int, text: str, anchor: str = "") -> str:
    """A heading of already-escaped `text`, with an explicit id when `anchor` is given."""
    return "#" * level + " " + text + (f" {{ #{anchor} }}" if anchor else "")


def bullets(lines: Iterable[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], centred: int = 0) -> str:
    """A Markdown table of already-escaped cells; the last `centred` columns are centred."""
    rule = ["---"] * (len(headers) - centred) + [":-:"] * centred
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(rule) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def join(*blocks: str) -> str:
    """Blocks separated by blank lines (empty blocks dropped), ending in a newline."""
    return "\n\n".join(b for b in blocks if b) + "\n"


def search_boost(boost: float) -> str:
    """Front matter that weighs a page's sections in search (Material's `search.boost`): a
    reference that mentions every term, like the rule catalogue, should not come before the
    page that is about the term."""
    return f"---\nsearch:\n  boost: {boost}\n---\n\n"
