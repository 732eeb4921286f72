"""Laying out a flowchart for reading: node labels wrapped to a few short lines, and nodes
put in rows of at most a few side by side, so that a diagram drawn at its natural size fits
the page's column and its text never has to shrink below reading size.

Mermaid places nodes itself (dagre); `pinned_rows` returns the invisible links (`a ~~~ b`)
that hold each node in the row chosen here: every node gets a link from a node of the row
above and to a node of the row below, so no node can float up or sink into another row."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from itertools import pairwise

MAX_ROW = 2  # nodes side by side: two wrapped labels fit a phone's screen at reading size
LINE_UNITS = 22  # a label line holds about 11 Chinese characters or 22 Latin ones
_WIDE_CHARS = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
# a Chinese character (with a closing mark after it), or a run of other non-space characters
_TOKEN = re.compile(f"[{_WIDE_CHARS}][、，。：；）」』》]?|[^\\s{_WIDE_CHARS}]+")
_WIDE = re.compile(f"[{_WIDE_CHARS}]")

Edge = tuple[str, str]


def units(text: str) -> int:
    """Display width in half-width units: a Chinese character counts two."""
    return sum(2 if _WIDE.match(c) else 1 for c in text)


def wrap(text: str, limit: int = LINE_UNITS) -> list[str]:
    """`text` in lines of about `limit` units, of even length, broken between words or
    between Chinese characters (never inside a Latin word, never before a closing mark)."""
    tokens = _TOKEN.findall(text)
    total = units(text)
    if total <= limit or len(tokens) < 2:
        return [" ".join(text.split())]
    target = math.ceil(total / math.ceil(total / limit))
    lines: list[str] = []
    line = ""
    for token in tokens:
        spaced = line + (" " if line and not _WIDE.match(token[0]) and not _WIDE.match(line[-1]) else "") + token
        if line and (units(spaced) > limit or units(line) >= target):
            lines.append(line)
            line = token
        else:
            line = spaced
    return [*lines, line]


def rows(nodes: Sequence[str], edges: Iterable[Edge], width: int = MAX_ROW) -> list[list[str]]:
    """The nodes in rows of at most `width`: each node below all its predecessors, as high
    as there is room, in the order given (a topological order is kept as it is)."""
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in edges:
        preds[b].append(a)
    placed: dict[str, int] = {}
    out: list[list[str]] = []

    def place(node: str) -> None:
        if node in placed:
            return
        for pred in preds[node]:
            place(pred)
        row = 1 + max((placed[p] for p in preds[node]), default=-1)
        while row < len(out) and len(out[row]) >= width:
            row += 1
        if row == len(out):
            out.append([])
        out[row].append(node)
        placed[node] = row

    for node in nodes:
        place(node)
    return [row for row in out if row]


def pinned_rows(layout: Sequence[Sequence[str]], edges: Iterable[Edge]) -> list[Edge]:
    """Invisible links that keep each node in its row of `layout`: a node without a real
    predecessor in the row above gets a link from it, a node without a real successor in the
    row below gets a link to it (to the node at the nearest position)."""
    real = set(edges)
    links: list[Edge] = []
    for upper, lower in pairwise(layout):
        for i, node in enumerate(lower):
            if not any((u, node) in real for u in upper):
                links.append((upper[min(i, len(upper) - 1)], node))
        for i, node in enumerate(upper):
            if not any((node, v) in real or (node, v) in links for v in lower):
                links.append((node, lower[min(i, len(lower) - 1)]))
    return links
