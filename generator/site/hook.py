"""The MkDocs hook (`hooks:` in mkdocs.yml): validates kb/ next to mkdocs.yml, adds the
generated pages of both languages (nothing generated is written into site/), the
navigation and the glossary tooltips, and makes `mkdocs serve` watch kb/, rules/ and the
published clients' files.

Which client plans a build publishes comes from the config, `extra.opsbook`:
`clients` (facts files or globs, relative to mkdocs.yml) and `overlays` (folders);
`opsbook site build --client FACTS --overlay DIR` sets them for one build.

All page content comes from the pure generators in this package; this file only connects
them to MkDocs events."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import jieba
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from generator.errors import OpsbookError
from generator.kb.documents import shown_path
from generator.site.content import Clients, SiteContent, site_content
from generator.site.paths import in_lang

ABBR_EXTENSION = "generator.site.abbr"
log = get_plugin_logger("opsbook")
_content: SiteContent | None = None  # this build's content, set by on_config


def _root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


def clients(config: Any) -> Clients:
    """The clients to publish, from `extra.opsbook` of the config."""
    options = (config.extra or {}).get("opsbook") or {}
    return Clients(tuple(str(f) for f in options.get("clients") or ()),
                   tuple(str(o) for o in options.get("overlays") or ()))


def on_config(config: Any) -> Any:
    global _content
    try:
        _content = site_content(_root(config), clients(config))
    except OpsbookError as exc:
        raise PluginError(f"the knowledge base, the rules or a client's facts are invalid:\n{exc}") from None
    for problem in _content.warnings:
        log.info(str(problem))
    config.nav = _content.nav
    if ABBR_EXTENSION not in config.markdown_extensions:
        config.markdown_extensions.append(ABBR_EXTENSION)
    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" chatter is not news
    for word in _content.search_words:
        jieba.add_word(word)
    return config


def on_files(files: Files, config: Any) -> Files:
    assert _content is not None, "on_config runs first"
    written = {f.src_uri for f in files.documentation_pages()}
    for lang, pages in _content.pages.items():
        for page in pages:
            path = in_lang(page.path, lang)
            if path in written:
                where = shown_path(Path(config.docs_dir) / path)
                raise PluginError(f"{where}: this page is generated from kb/ at build time; "
                                  "remove the file (or rename it)")
            files.append(File.generated(config, path, content=page.content))
    _check_counterparts(files, Path(config.docs_dir))
    return files


def _check_counterparts(files: Files, docs: Path) -> None:
    """Every page needs its other-language twin, or the language switch leads nowhere."""
    pages = {f.src_uri for f in files.documentation_pages()}
    for uri in sorted(pages):
        twin = uri.removeprefix("en/") if uri.startswith("en/") else f"en/{uri}"
        if twin not in pages:
            log.warning(f"{shown_path(docs / uri)} has no counterpart {shown_path(docs / twin)}: "
                        "the language switch would lead nowhere")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    assert _content is not None, "on_config runs first"
    lang = "en" if page.file.src_uri.startswith("en/") else "zh"
    return f"{markdown}\n\n{_content.abbreviations[lang]}\n"


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    root, wanted = _root(config), clients(config)
    folders = {root / "kb", root / "rules", *(root / o for o in wanted.overlays)}
    folders |= {(root / f).parent for f in wanted.facts}  # globs name files in one folder
    for path in sorted(folders - {root}):  # the whole playbook would include build output
        if path.is_dir():
            server.watch(str(path))
    return server
