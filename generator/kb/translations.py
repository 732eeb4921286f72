"""Keeping English translations honest: `en_src` beside each `en` holds the hash of the
Chinese text it was translated from. `lint` warns when the Chinese changed since; `stamp`
records the hash where it is missing, editing the YAML text in place (comments, order and
layout stay as they were)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import yaml

from generator.core.errors import OpsbookError, Problem
from generator.core.files import write_atomic
from generator.kb.documents import shown_path
from generator.kb.loader import inside, parse_yaml, read_text


def text_hash(zh: str) -> str:
    """The `en_src` of an English text: the first 8 hex digits of the Chinese text's SHA-256."""
    return hashlib.sha256(zh.encode("utf-8")).hexdigest()[:8]


def _texts(node: yaml.Node) -> Iterator[yaml.MappingNode]:
    """Every `{zh, en}` mapping of two texts below `node` that has no `en_src` yet."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            texts = {k.value for k, v in current.value if isinstance(k, yaml.ScalarNode) and _scalar(v)}
            keys = {k.value for k, _ in current.value if isinstance(k, yaml.ScalarNode)}
            if {"zh", "en"} <= texts and "en_src" not in keys:
                yield current
            stack.extend(v for _, v in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _scalar(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode)


def _insertion(text: str, node: yaml.MappingNode, newline: str) -> tuple[int, str]:
    """Where to write `en_src` in this mapping, and what: right after the `en` text, so whatever
    follows (a trailing comma, a comment, the closing brace) stays as it was."""
    pairs = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    stamp = text_hash(pairs["zh"][1].value)
    key, value = pairs["en"]
    end = value.end_mark.index
    if node.flow_style:
        return end, f', en_src: "{stamp}"'
    indent = " " * key.start_mark.column
    if text[end - 1] == "\n":  # a block scalar ends at the start of the next line
        return end, f'{indent}en_src: "{stamp}"{newline}'
    return end, f'{newline}{indent}en_src: "{stamp}"'


def stamp_text(text: str, shown: str = "<text>") -> tuple[str, int]:
    """The text with `en_src` added to every translation lacking one, and how many. The text is
    edited in place: comments, order, layout and line endings stay as they were. Text the loader
    refuses (a syntax error, a duplicate key...) is an OpsbookError with the loader's located problem.
    The hash is quoted: `12345678` would otherwise read as a number."""
    parse_yaml(text, shown)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:  # what the loader took, and PyYAML's own parser does not
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise OpsbookError(Problem(shown, line, col, f"YAML syntax error: {exc.problem}")) from None
    if root is None:
        return text, 0
    newline = "\r\n" if "\r\n" in text else "\n"
    edits = sorted((_insertion(text, node, newline) for node in _texts(root)), reverse=True)
    for index, insert in edits:
        text = text[:index] + insert + text[index:]
    return text, len(edits)


def stamp_files(files: Iterable[tuple[Path, Path]]) -> int:
    """Stamp each file (given with the folder it was found in, which it must stay inside), or none:
    every file that cannot be read or parsed is reported before any file is written. Returns how
    many translations were stamped."""
    edits: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    total = 0
    for path, root in files:
        shown = shown_path(path)
        try:
            real = inside(path, root, shown)  # written where it really is: a link stays a link
            text, count = stamp_text(read_text(real, shown), shown)
        except OpsbookError as exc:
            problems.extend(exc.problems)
            continue
        if count:
            edits.append((real, text))
            total += count
    if problems:
        raise OpsbookError(problems)
    for real, text in edits:
        write_atomic(real, text.encode("utf-8"))
    return total
