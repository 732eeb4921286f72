"""The word catalogues: every key in both languages, nothing empty, the same `{fields}`."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

import generator
from generator.words import LANGS, section, word, words


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_key_is_in_both_languages() -> None:
    zh, en = (set(words(lang)) for lang in LANGS)
    assert sorted(zh - en) == [], "only in zh.py"
    assert sorted(en - zh) == [], "only in en.py"


# Separators between sentences or list entries: nothing at all in Chinese, a space in English.
SEPARATORS = ("sep", "gap")


@pytest.mark.parametrize("lang", LANGS)
def test_no_value_is_empty(lang: str) -> None:
    assert [key for key, text in words(lang).items() if not text.strip() and not key.endswith(SEPARATORS)] == []


def test_both_languages_name_the_same_fields() -> None:
    differ = {key: (_fields(zh), _fields(words("en")[key])) for key, zh in words("zh").items()
              if _fields(zh) != _fields(words("en").get(key, ""))}
    assert differ == {}


@pytest.mark.parametrize("lang", LANGS)
def test_keys_are_namespaced(lang: str) -> None:
    assert [key for key in words(lang) if "." not in key or not key.split(".", 1)[0].isidentifier()] == []


def test_a_section_is_its_namespace_without_the_prefix() -> None:
    plan = section("en", "plan")
    assert plan["title"] == word("en", "plan.title") == "Operations action plan"
    assert len(plan) == sum(key.startswith("plan.") for key in words("en"))
    assert section("zh", "no-such-namespace") == {}


def test_unknown_language_or_key_is_an_error() -> None:
    with pytest.raises(KeyError):
        words("fr")
    with pytest.raises(KeyError):
        word("en", "plan.no-such-word")


# Latin words the Chinese catalogue may hold: abbreviations, file formats, commands, options and
# country codes that are written the same in Chinese text.
LATIN_IN_CHINESE = {"KPI", "RACI", "R", "A", "C", "I", "ID", "ISO", "YYYY", "MM", "DD", "CN", "US", "DE", "JP", "GB",
                    "Markdown", "YAML", "JSON", "CSV", "ICS", "Excel", "xlsx", "md", "format",
                    "opsbook", "explain", "list", "kpis", "roles", "FACTS"}


def test_the_chinese_catalogue_holds_no_english() -> None:
    latin = {key: found for key, text in words("zh").items()
             if (found := set(re.findall(r"[A-Za-z]+", re.sub(r"`[^`]*`|\{\w+\}", "", text)))) - LATIN_IN_CHINESE}
    assert latin == {}


def _text(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _word_tables(tree: ast.AST) -> list[int]:
    """Lines of dicts keyed "zh" and "en" holding words (or tables of words), and of
    `Text("...", "...")` made from literals: words that belong in the catalogues."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and {"zh", "en"} <= {k.value for k in node.keys if isinstance(k, ast.Constant)} \
                and all(_text(v) or (isinstance(v, ast.Dict) and all(map(_text, v.values))) for v in node.values):
            found.append(node.lineno)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Text" \
                and len(node.args) == 2 and all(map(_text, node.args)):
            found.append(node.lineno)
    return found


def test_no_module_keeps_its_own_table_of_words() -> None:
    package = Path(generator.__file__).parent
    tables = {str(path.relative_to(package)): lines for path in sorted(package.rglob("*.py"))
              if path.parent.name != "words" and (lines := _word_tables(ast.parse(path.read_text("utf-8"))))}
    assert tables == {}
