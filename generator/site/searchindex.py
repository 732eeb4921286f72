"""One search index per language. Material's search plugin writes a single index of every
page; this splits it after the build: Chinese pages stay in `search/search_index.json`,
English ones go to `en/search/search_index.json` with their locations relative to `en/`
(the English pages tell the search worker that `en/` is their base, overrides/main.html).

Each index gets the settings its language needs: the Chinese one is segmented (jieba, at
build time) and keeps its ASCII punctuation out of the words by the separator alone; the
English one also trims punctuation off words. Neither is stemmed: Material's worker searches
every word as a prefix (`retention*`), and lunr does not stem a word with a wildcard, so the
stemmed index would never match a whole query word (`nps*` against `np`).

The search worker cuts a Chinese query into the words the index holds, longest first; Material
9.8.1's worker never tries a word that ends the query, so `客户投诉` is searched as `客户 投`
(and `投` finds every word starting with it). `fix_worker` corrects that one loop bound in the
built site's copy of the worker."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

ENGLISH = {"lang": ["en"], "pipeline": ["trimmer", "stopWordFilter"]}
_WORKERS = "assets/javascripts/workers/search.*.min.js"
# Material's search worker: every substring of a Chinese query that is a word of the index,
# except those reaching its end (`o<t.length`); the fix lets them reach it.
_SUBSTRINGS = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e"
_FIXED = "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e"
log = logging.getLogger("mkdocs.plugins.opsbook")


def split(index: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """`{"zh": index, "en": index}` from Material's index of both languages."""
    docs = index["docs"]
    zh = [d for d in docs if not d["location"].startswith("en/")]
    en = [{**d, "location": d["location"].removeprefix("en/")} for d in docs if d["location"].startswith("en/")]
    return {"zh": {"config": index["config"], "docs": zh},
            "en": {"config": {**index["config"], **ENGLISH}, "docs": en}}


def index_file(site_dir: Path, lang: str) -> Path:
    return site_dir / ("" if lang == "zh" else lang) / "search" / "search_index.json"


def write_split(site_dir: Path) -> dict[str, int]:
    """Split the built site's index in place; the number of entries in each language."""
    source = index_file(site_dir, "zh")
    if not source.is_file():  # search turned off
        return {}
    parts = split(json.loads(source.read_text("utf-8")))
    for lang, index in parts.items():
        target = index_file(site_dir, lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), "utf-8")
    return {lang: len(index["docs"]) for lang, index in parts.items()}


def fix_worker(site_dir: Path) -> int:
    """Let the built site's search worker find words that end a Chinese query; the number of
    workers fixed (a worker without the known loop is left as it is, with a warning)."""
    fixed = 0
    for worker in sorted(site_dir.glob(_WORKERS)):
        code = worker.read_text("utf-8")
        if code.count(_SUBSTRINGS) != 1:
            if _FIXED not in code:
                log.warning(f"{worker.name}: Material's search worker changed; Chinese queries keep its "
                            "own word splitting (see generator/site/searchindex.py)")
            continue
        worker.write_text(code.replace(_SUBSTRINGS, _FIXED), "utf-8")
        fixed += 1
    return fixed
