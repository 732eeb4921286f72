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

from generator.core.errors import OpsbookError
from generator.kb.documents import shown_path
from generator.site import builder, reading, searchindex
from generator.site.content import Clients, SiteContent, site_content
from generator.site.escape import cjk_lines
from generator.site.paths import in_lang

ABBR_EXTENSION = "generator.site.abbr"
SITE_NAME_EN = "Operations playbook · opsbook"  # unless mkdocs.yml's extra.opsbook.site_name_en
log = get_plugin_logger("opsbook")
_content: SiteContent | None = None  # this build's content, set by on_config
_names: dict[str, str] = {}  # lang -> the site's name, set by on_config
_builder_files: list[tuple[str, bytes]] = []  # the plan builder's assets, set by on_config


def _root(config: Any) -> Path:
    return Path(config.config_file_path).resolve().parent


class Download(File):
    """A file copied into the site as it is, even a `.md` one (a template's fill-in form),
    which MkDocs would otherwise render as a page."""

    def is_documentation_page(self) -> bool:
        return False


def clients(config: Any) -> Clients:
    """The clients to publish, from `extra.opsbook` of the config."""
    options = (config.extra or {}).get("opsbook") or {}
    return Clients(tuple(str(f) for f in options.get("clients") or ()),
                   tuple(str(o) for o in options.get("overlays") or ()))


def _lang(page: Any) -> str:
    return "en" if page.file.src_uri.startswith("en/") else "zh"


def on_config(config: Any) -> Any:
    global _content
    root, wanted = _root(config), clients(config)
    try:
        _content = site_content(root, wanted, Path(config.docs_dir))
        made = builder.builder_site(root, [root / o for o in wanted.overlays])
    except OpsbookError as exc:
        raise PluginError(f"the knowledge base, the rules or a client's facts are invalid:\n{exc}") from None
    _content = builder.with_builder(_content, made)
    _builder_files[:] = made.files
    for problem in _content.warnings:
        log.info(str(problem))
    config.nav = _content.nav
    if ABBR_EXTENSION not in config.markdown_extensions:
        config.markdown_extensions.append(ABBR_EXTENSION)
    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" chatter is not news
    for word in _content.search_words:  # the KB's own terms, as jieba's user dictionary
        jieba.add_word(word)
    options = (config.extra or {}).get("opsbook") or {}
    _names.update(zh=config.site_name, en=str(options.get("site_name_en") or SITE_NAME_EN))
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
    for lang, made in _content.downloads.items():
        for path, data in made:
            files.append(Download.generated(config, in_lang(path, lang), content=data))
    for path, data in _builder_files:
        files.append(Download.generated(config, path, content=data))
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
    # MkDocs makes the page's Markdown converter right after this event, from this config:
    # the glossary tooltips in the page's language
    options = {**config.mdx_configs.get(ABBR_EXTENSION, {}), "glossary": _content.abbreviations[_lang(page)]}
    config.mdx_configs[ABBR_EXTENSION] = options
    if page.file.generated_by is None:  # hand-written: its line breaks inside Chinese text
        markdown = cjk_lines(markdown)
    return markdown


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """The site's name in the page's language (header, <title>), the English home page as
    English pages' home, and previous / next along the start-here path."""
    lang = _lang(page)
    config.site_name = _names[lang]
    config.extra["homepage"] = "en/" if lang == "en" else None
    page.previous_page, page.next_page = _neighbours(page, nav, lang)
    return context


def _neighbours(page: Any, nav: Any, lang: str) -> tuple[Any, Any]:
    assert _content is not None, "on_config runs first"
    by_path = {p.file.src_uri: p for p in nav.pages}
    before, after = reading.neighbours(_content.reading_path, page.file.src_uri.removeprefix("en/"))
    if before or after:
        return (by_path.get(in_lang(before, lang)) if before else None,
                by_path.get(in_lang(after, lang)) if after else None)
    same = [p for p in (page.previous_page, page.next_page)]
    return tuple(p if p is not None and _lang(p) == lang else None for p in same)  # type: ignore[return-value]


def on_post_build(config: Any) -> None:
    config.site_name = _names.get("zh", config.site_name)
    searchindex.write_split(Path(config.site_dir))
    searchindex.fix_worker(Path(config.site_dir))


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    root, wanted = _root(config), clients(config)
    folders = {root / "kb", root / "rules", *(root / o for o in wanted.overlays)}
    folders |= {(root / f).parent for f in wanted.facts}  # globs name files in one folder
    for path in sorted(folders - {root}):  # the whole playbook would include build output
        if path.is_dir():
            server.watch(str(path))
    return server
