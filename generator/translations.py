"""Keeping English translations honest: `en_src` beside each `en` holds the hash of the
Chinese text it was translated from. `lint` warns when the Chinese changed since; `stamp`
records the hash where it is missing, editing the YAML text in place (comments, order and
layout stay as they were)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import yaml

from generator.output import write_atomic


def text_hash(zh: str) -> str:
    """The `en_src` of an English text: the first 8 hex digits of the Chinese text's SHA-256."""
    return hashlib.sha256(zh.encode("utf-8")).hexdigest()[:8]


def _texts(node: yaml.Node) -> Iterator[yaml.MappingNode]:
    """Every `{zh, en}` mapping below `node` that has no `en_src` yet."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            keys = {k.value for k, _ in current.value if isinstance(k, yaml.ScalarNode)}
            if {"zh", "en"} <= keys and "en_src" not in keys:
                yield current
            stack.extend(v for _, v in current.value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


def _insertion(text: str, node: yaml.MappingNode) -> tuple[int, str]:
    """Where to write `en_src` in this mapping, and what."""
    pairs = {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}
    stamp = text_hash(pairs["zh"][1].value)
    if node.flow_style:
        return node.end_mark.index - 1, f', en_src: "{stamp}"'  # just before the closing brace
    key, value = pairs["en"]
    indent = " " * key.start_mark.column
    end = value.end_mark.index
    if text[end - 1] == "\n":  # a block scalar ends at the start of the next line
        return end, f'{indent}en_src: "{stamp}"\n'
    return end, f'\n{indent}en_src: "{stamp}"'


def stamp_text(text: str) -> tuple[str, int]:
    """The text with `en_src` added to every translation lacking one, and how many.
    The hash is quoted: `12345678` would otherwise read as a number."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        return text, 0
    edits = sorted((_insertion(text, node) for node in _texts(root)), reverse=True)
    for index, insert in edits:
        text = text[:index] + insert + text[index:]
    return text, len(edits)


def stamp(path: Path) -> int:
    text, count = stamp_text(path.read_text(encoding="utf-8"))
    if count:
        write_atomic(path, text.encode("utf-8"))
    return count
