"""A safe YAML loader that keeps the line and column of every key and value.

It builds plain values straight from the parser's event stream (no recursion, so deep
nesting cannot overflow the stack), refuses anything but the plain YAML types, refuses
duplicate keys, and bounds what aliases may expand to, so a "billion laughs" file is
refused once it passes MAX_NODES values instead of filling memory. Booleans are only
true/false (as in YAML 1.2), so English text such as `en: No` stays text.
"""

from __future__ import annotations

import copy
import errno
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.core.errors import OpsbookError, Problem, file_kind

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 200_000

# The parser comes from libyaml when PyYAML was built with it (about 5x faster).
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_TAGS = {
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:str",
}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
# Characters YAML does not allow in a stream (YAML 1.1 section 5.1), found before parsing so
# the position is counted in characters: libyaml reports its own in bytes.
_NOT_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


def control_character(text: str) -> str | None:
    """`U+001B` for the first character YAML does not allow in text (tab and line breaks are
    allowed), else None. Escapes such as "\\x1b" make them too: they must not reach a
    terminal, a calendar or a workbook."""
    bad = _NOT_PRINTABLE.search(text)
    return f"U+{ord(bad.group()):04X}" if bad else None


JsonPath = tuple[str | int, ...]


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Our own subclass: the global loaders stay untouched."""


@dataclass
class Document:
    """A parsed file: its data and where each value (and each mapping key) stands."""

    path: str
    data: Any
    marks: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)

    def at(self, path: JsonPath, key: bool = False) -> tuple[int, int]:
        """The position of the value at `path` (or of its key), else of its nearest parent."""
        table = self.key_marks if key else self.marks
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.marks:
                return self.marks[probe]
            probe = probe[:-1]
        return self.marks.get((), (1, 1))

    def problem(self, path: JsonPath, message: str, key: bool = False, severity: str = "error") -> Problem:
        line, col = self.at(path, key)
        return Problem(self.path, line, col, message, severity)


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters, as the parser counts) of a byte offset."""
    start = raw.rfind(b"\n", 0, offset) + 1
    col = len(raw[start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, col


def read_text(path: Path, shown: str, limit: int = MAX_BYTES, hint: str = "split it into smaller files",
              expected: str = "a UTF-8 YAML text file") -> str:
    """Read a file as UTF-8 text, refusing big (over `limit` bytes), binary and mis-encoded files."""
    raw = read_bytes(path, shown, limit, hint, expected)
    nul = raw.find(b"\0")
    if nul >= 0:
        line, col = _position(raw, nul)
        raise OpsbookError(Problem(shown, line, col, f"binary content (NUL byte): expected {expected}"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _position(raw, exc.start)
        raise OpsbookError(Problem(shown, line, col, "not valid UTF-8 text: save the file as UTF-8")) from None
    return text.removeprefix("\ufeff")


def read_bytes(path: Path, shown: str, limit: int = MAX_BYTES, hint: str = "split it into smaller files",
               expected: str = "a UTF-8 YAML text file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes. The one way inputs are read: a FIFO,
    a device or a folder is refused without waiting on it, and at most limit + 1 bytes are read,
    so a file that grows (or lies about its size) cannot fill memory."""
    try:
        _regular(os.stat(path).st_mode, shown, expected)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # a FIFO swapped in must not block
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            _regular(info.st_mode, shown, expected)  # what was opened, not what the name showed before
            _within(info.st_size, limit, shown, hint)
            raw = handle.read(limit + 1)
    except OSError as exc:
        raise OpsbookError(Problem(shown, 1, 1, _unreadable(path, exc))) from None
    if len(raw) > limit:
        _within(len(raw), limit, shown, hint, more=True)
    return raw


def _regular(mode: int, shown: str, expected: str) -> None:
    if not stat.S_ISREG(mode):
        message = f"cannot read file: it is {file_kind(mode)}, not a regular file: expected {expected}"
        raise OpsbookError(Problem(shown, 1, 1, message))


def _within(size: int, limit: int, shown: str, hint: str, more: bool = False) -> None:
    if size > limit:
        amount = f"more than {limit:,}" if more else f"{size:,}"
        message = f"file is {amount} bytes; the limit is {limit:,} ({limit >> 20} MiB): {hint}"
        raise OpsbookError(Problem(shown, 1, 1, message))


def _unreadable(path: Path, exc: OSError) -> str:
    """`cannot read file: <reason>`, saying how to fix a broken symbolic link."""
    if exc.errno == errno.ELOOP:
        return "cannot read file: a symbolic link loop (a link that leads back to itself): fix or remove the link"
    if exc.errno == errno.ENOENT and _is_link(path):
        return "cannot read file: a dangling symbolic link (what it leads to does not exist): fix or remove the link"
    return f"cannot read file: {exc.strerror}"


def _is_link(path: Path) -> bool:
    try:
        return os.path.islink(path)
    except (OSError, ValueError):
        return False


def inside(path: Path, root: Path, shown: str | None = None) -> Path:
    """The real path of `path`, a file found while walking the folder `root`, if it stays inside
    root. A link that leads out of root (to /etc/passwd, to another client's overlay), a dangling
    link and a link loop are OpsbookErrors, and nothing of the linked file is read, so nothing of
    it is echoed in a message. Folder walkers call this on every file they find."""
    shown = shown if shown is not None else str(path)
    try:
        real = Path(os.path.realpath(path, strict=True))
        top = Path(os.path.realpath(root, strict=True))
    except OSError as exc:
        raise OpsbookError(Problem(shown, 1, 1, _unreadable(path, exc))) from None
    if real != top and top not in real.parents:
        message = f"cannot read file: it is a symbolic link that leads out of `{root}`: copy the file into the folder"
        raise OpsbookError(Problem(shown, 1, 1, message))
    return real


def parse_json(text: str, shown: str) -> Any:
    """Plain values from JSON text; a syntax error, or nesting too deep to read, is a located problem."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise OpsbookError(Problem(shown, exc.lineno, exc.colno, f"JSON syntax error: {exc.msg}")) from None
    except RecursionError:
        raise OpsbookError(_too_deep(text, shown)) from None


def _too_deep(text: str, shown: str) -> Problem:
    """Where JSON text first nests deeper than MAX_DEPTH (brackets inside strings do not count)."""
    depth, quoted, escaped = 0, False, False
    for offset, char in enumerate(text):
        if quoted:
            escaped, quoted = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            quoted = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line, col = text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
                return Problem(shown, line, col, f"nesting deeper than {MAX_DEPTH} levels: flatten the structure")
        elif char in "]}":
            depth -= 1
    return Problem(shown, 1, 1, "nesting too deep to read: flatten the structure")


def load_yaml(path: Path | str, shown: str | None = None, root: Path | None = None) -> Document:
    """Load one YAML file; raise OpsbookError with a located problem if it is not acceptable.
    With `root`, the file was found in that folder and must stay inside it (see `inside`)."""
    path = Path(path)
    shown = shown if shown is not None else str(path)
    if root is not None:
        path = inside(path, root, shown)
    return parse_yaml(read_text(path, shown), shown)


def parse_yaml(text: str, shown: str) -> Document:
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line, col = _position(text.encode("utf-8"), len(text[: bad.start()].encode("utf-8")))
        code = f"U+{ord(bad.group()):04X}"
        message = f"control character {code} is not allowed in YAML text: remove it"
        raise OpsbookError(Problem(shown, line, col, message))
    deep = too_deep_flow(text)
    if deep is not None:
        line, col = deep
        raise OpsbookError(Problem(shown, line, col, f"nesting deeper than {MAX_DEPTH} levels: flatten the structure"))
    loader = _Loader(text)
    try:
        return _Builder(loader, shown).document()
    except yaml.YAMLError as exc:
        raise OpsbookError(_syntax_problem(exc, shown)) from None
    finally:
        loader.dispose()


def _syntax_problem(exc: yaml.YAMLError, shown: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = str(getattr(exc, "problem", None) or exc)
    message = f"YAML syntax error: {problem}"
    context, start = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if "tab" in problem:
        message += ": indent with spaces, not tabs"
    elif problem.startswith("mapping values are not allowed"):
        message += ": a `: ` inside unquoted text reads as a new key: put the text in quotes"
    elif context and start is not None and start is not mark:
        message += f" ({context} that starts at line {start.line + 1}, column {start.column + 1})"
    return Problem(shown, line, col, message)


# What the flow-nesting scan stops at: brackets, quotes, comments and line breaks. Patterns
# compile when a scan first needs them (re caches them), not at import.
_FLOW_MARKS = r"""[\[\]{}"'#\n]"""
_QUOTED = {'"': r'(?s)"(?:[^"\\]|\\.)*"', "'": r"'(?:[^']|'')*'"}
# After these (or at the start of a line) a bracket or quote begins a value in block context;
# elsewhere it is part of plain text such as `en: item [1`.
_VALUE_START = frozenset(":-?")


def too_deep_flow(text: str) -> tuple[int, int] | None:
    """Line and column of the first bracket that nests flow collections deeper than MAX_DEPTH, else None.

    Our own limit, checked before any parser sees the text: parsers have nesting limits of their
    own (libyaml's is 1,000), whose wording and position would otherwise decide what a user reads.
    Brackets inside quotes, comments and block plain text do not count."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None  # too few brackets to nest that deep: the common case costs two counts
    depth, block, pos = 0, 0, 0
    marks = re.compile(_FLOW_MARKS)
    while (found := marks.search(text, pos)) is not None:
        char, at = found.group(), found.start()
        pos = at + 1
        if char == "\n":
            continue
        before = _previous(text, at)
        if char == "#":
            if at == 0 or text[at - 1] in " \t\n":
                newline = text.find("\n", at)
                pos = len(text) if newline < 0 else newline
        elif char in "\"'":
            if depth or before in _VALUE_START or before == "\n":
                end = re.compile(_QUOTED[char]).match(text, at)
                if end is None:
                    return None  # an unclosed quote: the parser reports it where it is
                pos = end.end()
        elif char in "[{":
            if depth or before in _VALUE_START or before == "\n":
                if not depth:  # a flow collection that is a block value sits in that block collection too
                    block = 1 if before in _VALUE_START else 0
                depth += 1
                if depth + block > MAX_DEPTH:
                    line_start = text.rfind("\n", 0, at) + 1
                    return text.count("\n", 0, at) + 1, at - line_start + 1
        elif depth:
            depth -= 1
    return None


def _previous(text: str, at: int) -> str:
    """The nearest character before `at` that is not a space or tab ("\\n" at the start of a line)."""
    while at > 0:
        at -= 1
        if text[at] not in " \t":
            return text[at]
    return "\n"


class _Frame:
    __slots__ = ("anchor", "container", "nodes_before", "path", "pending_key", "seen")

    def __init__(
        self, container: dict[str, Any] | list[Any], path: JsonPath, anchor: str | None, nodes_before: int
    ) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.nodes_before = nodes_before
        self.pending_key: str | None = None
        self.seen: dict[str, tuple[int, int]] = {}


class _Builder:
    """Turns the event stream into values plus marks, with an explicit stack."""

    def __init__(self, loader: _Loader, shown: str) -> None:
        self.loader = loader
        self.shown = shown
        self.doc = Document(shown, None)
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.nodes = 0

    def fail(self, event: Any, message: str) -> OpsbookError:
        mark = event.start_mark
        return OpsbookError(Problem(self.shown, mark.line + 1, mark.column + 1, message))

    def document(self) -> Document:
        documents = 0
        for event in self._events():
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise self.fail(event, "more than one YAML document in the file: keep one per file")
            elif isinstance(event, yaml.ScalarEvent):
                self._scalar(event)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                self._open(event)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                self._close()
            elif isinstance(event, yaml.AliasEvent):
                self._alias(event)
        return self.doc

    def _events(self) -> Iterator[Any]:
        while self.loader.check_event():
            yield self.loader.get_event()

    def _count(self, event: Any, n: int = 1) -> None:
        self.nodes += n
        if self.nodes > MAX_NODES:
            raise self.fail(
                event, f"the file expands to more than {MAX_NODES:,} values (alias expansion?): write it out plainly"
            )

    def _slot(self, event: Any) -> JsonPath | None:
        """Where the next value goes; None when it is a mapping key."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        if top.pending_key is None:
            return None
        return (*top.path, top.pending_key)

    def _place(self, value: Any, path: JsonPath, event: Any) -> None:
        mark = event.start_mark
        self.doc.marks[path] = (mark.line + 1, mark.column + 1)
        if not self.stack:
            self.doc.data = value
            return
        top = self.stack[-1]
        if isinstance(top.container, list):
            top.container.append(value)
        else:
            assert top.pending_key is not None
            top.container[top.pending_key] = value
            top.pending_key = None

    def _key(self, event: Any) -> None:
        top = self.stack[-1]
        if not isinstance(event, yaml.ScalarEvent):
            raise self.fail(event, "mapping keys must be plain text")
        if event.tag not in (None, "!", "tag:yaml.org,2002:str"):
            raise self.fail(event, f"mapping keys must be plain text: remove the tag `{_short(event.tag)}`")
        key = event.value
        self._printable(event, key)
        if key == "<<" and event.implicit[0]:
            raise self.fail(event, "merge keys (<<) are not supported: write the keys out")
        mark = event.start_mark
        here = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if key in top.seen:
            first = top.seen[key]
            raise self.fail(event, f"duplicate key `{key}` (first defined at line {first[0]}): remove one of them")
        top.seen[key] = here
        top.pending_key = key
        self.doc.key_marks[(*top.path, key)] = here

    def _check_tag(self, event: Any, allowed: set[str]) -> None:
        tag = event.tag
        if tag and tag not in allowed and tag != "!":
            raise self.fail(
                event,
                f"tag `{_short(tag)}` is not allowed: "
                "only plain YAML values (text, numbers, true/false, lists, mappings)",
            )

    def _scalar(self, event: Any) -> None:
        path = self._slot(event)
        if path is None:
            self._key(event)
            return
        self._count(event)
        self._check_tag(event, _PLAIN_TAGS | {_TIMESTAMP})
        value = self._construct(event)
        if isinstance(value, str):
            self._printable(event, value)
        self._remember(event, value, 1)
        self._place(value, path, event)

    def _printable(self, event: Any, text: str) -> None:
        code = control_character(text)
        if code:
            raise self.fail(event, f"control character {code} (written as an escape) is not allowed in text: remove it")

    def _construct(self, event: Any) -> Any:
        if event.tag in (None, "!") or event.tag == "tag:yaml.org,2002:str":
            if event.tag is None:
                tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
            else:
                tag = "tag:yaml.org,2002:str"
        else:
            tag = event.tag
        if tag == _TIMESTAMP or tag == "tag:yaml.org,2002:str":
            return event.value  # dates stay ISO text; the fact vocabulary types them
        if tag == _BOOL and event.tag is None and event.value.lower() not in ("true", "false"):
            return event.value  # YAML 1.2: `en: No` or `en: On` is text, not a boolean
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        if tag not in _PLAIN_TAGS:
            raise self.fail(event, f"tag `{_short(tag)}` is not allowed")
        try:
            return self.loader.construct_object(node)
        except (ValueError, KeyError, IndexError):  # an explicit tag on a value it does not fit: `!!int x`
            raise self.fail(event, f"`{event.value}` is not a valid `{_short(tag)}` value: "
                                   "remove the tag or fix the value") from None

    def _open(self, event: Any) -> None:
        path = self._slot(event)
        if path is None:
            raise self.fail(event, "mapping keys must be plain text, not a list or mapping")
        if len(self.stack) >= MAX_DEPTH:
            raise self.fail(event, f"nesting deeper than {MAX_DEPTH} levels: flatten the structure")
        self._count(event)
        is_map = isinstance(event, yaml.MappingStartEvent)
        self._check_tag(event, {_MAP if is_map else _SEQ})
        container: dict[str, Any] | list[Any] = {} if is_map else []
        self._place(container, path, event)
        self.stack.append(_Frame(container, path, event.anchor, self.nodes - 1))

    def _close(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.container, self.nodes - frame.nodes_before)

    def _remember(self, event: Any, value: Any, size: int) -> None:
        if getattr(event, "anchor", None):
            self.anchors[event.anchor] = (value, size)

    def _alias(self, event: Any) -> None:
        path = self._slot(event)
        if path is None:
            raise self.fail(event, "an alias cannot be a mapping key")
        if event.anchor not in self.anchors:
            raise self.fail(event, f"alias `*{event.anchor}` refers to no finished anchor")
        value, size = self.anchors[event.anchor]
        self._count(event, size)
        self._place(copy.deepcopy(value), path, event)
