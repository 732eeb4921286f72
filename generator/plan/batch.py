"""Planning many clients: one facts object per JSONL line in, one result per line out,
in input order. A bad line is reported with its line number; the others go on.

Each result is an `opsbook-plan-batch/1` record: the rules' decisions for that client
(items with priority, due date, dependencies and the rules behind them; the rules with the
facts they matched). Titles and texts are left out: they come from the knowledge base the
record's `kb_digest` names, the same for every client. `--full` writes whole
`opsbook-plan/1` plans instead.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import gc
import itertools
import json
import multiprocessing
import operator
import os
import re
import signal
import stat
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TypeVar

from generator.core.errors import OpsbookError, Problem, file_kind, hides_a_bug
from generator.facts.client import LATEST_DATE, ClientFacts, facts_from_document, plan_lang, unique_keys
from generator.kb.loader import MAX_BYTES, Document, parse_yaml
from generator.plan.model import DEFAULT_PRIORITY, PRIORITY_RANK, Plan, Reason
from generator.plan.planner import Decision, Template, decide, inputs
from generator.plan.playbook import Playbook, load_playbook
from generator.rules.meaning.results import FactError, RuleError

FORMAT = "opsbook-plan-batch/1"
CHUNK = 25
IN_FLIGHT = 4  # chunks per worker planned ahead of the writer: enough to keep every worker busy


@dataclass(frozen=True)
class Job:
    kb_dir: Path
    rules_dir: Path
    overlays: tuple[Path, ...]
    lang: str | None  # None: each line's `lang`, else zh
    start: dt.date | None
    full: bool
    shown: str  # the input file, as problems name it


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _rules(reasons: Sequence[Reason]) -> dict[str, Any]:
    return {r.rule: {"layer": r.layer, "matched": [[m.fact, m.op, _plain(m.value), _plain(m.actual)]
                                                  for m in r.matched]} for r in reasons}


def _record(line: int, facts: ClientFacts, start: dt.date, tpl: Template, layers: Sequence[str],
            derived: dict[str, object], items: list[list[Any]], excluded: list[list[Any]],
            reasons: list[Reason]) -> dict[str, Any]:
    return {"format": FORMAT, "line": line, "client": facts.name, "start_date": start.isoformat(),
            "lang": tpl.lang, "layers": list(layers), "kb_digest": tpl.digest,
            "facts": {k: _plain(v) for k, v in facts.values.items()},
            "derived": {k: _plain(v) for k, v in derived.items()}, "rules": _rules(reasons),
            "items": items, "excluded": excluded}


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _dumps(value: object) -> str:
    return _JSON.encode(value)


class _Texts(dict[Any, str]):
    """A table of JSON texts filled as keys are first asked for: `texts[key]` costs a lookup."""

    def __init__(self, text: Callable[[Any], str]) -> None:
        super().__init__()
        self.text = text

    def __missing__(self, key: Any) -> str:
        text = self[key] = self.text(key)
        return text


def _day_text(ordinal: int) -> str:
    return f'"{dt.date.fromordinal(ordinal).isoformat()}"'


def _rule_list_text(rules: tuple[str, ...]) -> str:
    return _dumps(list(rules))


_RULE = operator.itemgetter(0)  # Reason.rule
DEFAULT_RANK = PRIORITY_RANK[DEFAULT_PRIORITY]


class Encoder:
    """Writes batch records as JSON text directly: one client's record is mostly the same
    few hundred item IDs, dates and rule lists, so their JSON is made once per playbook and
    reused; what is the client's own (facts, derived facts, the facts each rule matched) is
    encoded in one call."""

    def __init__(self, tpl: Template) -> None:
        self.tpl = tpl
        self.opens = tuple(f"[{_dumps(info.id)}," for info in tpl.infos)  # each item's start, to its ID
        self.all_deps = tuple(_dumps([tpl.infos[d].id for d in deps]) for deps in tpl.deps)
        self.ranks = tuple(_dumps(name) for name in PRIORITY_RANK)  # rank -> its name's JSON
        self.owners = {role: _dumps(role) for role in tpl.role_titles}
        self.days = _Texts(_day_text)  # date ordinal -> JSON text
        self.rule_lists = _Texts(_rule_list_text)  # rule IDs -> JSON list
        self.waits = _Texts(lambda positions: _dumps([tpl.infos[d].id for d in positions]))  # -> JSON list of IDs
        self.heads: dict[tuple[str, ...], str] = {}

    def _head(self, layers: Sequence[str]) -> str:
        """What follows the client's start date: the same for every client of a playbook."""
        key = tuple(layers)
        head = self.heads.get(key)
        if head is None:
            head = self.heads[key] = (f',"lang":{_dumps(self.tpl.lang)},"layers":{_dumps(key)},'
                                      f'"kb_digest":{_dumps(self.tpl.digest)},')
        return head

    def record(self, line: int, layers: Sequence[str], decision: Decision, facts: ClientFacts,
               derived: dict[str, object], start: dt.date) -> str:
        """The client's record as JSON text: what `json.dumps` (compact, not ASCII-escaped) writes
        for the record `compact_from_plan` makes of the client's whole plan."""
        items, used = self._items(decision)
        dropped = sorted(decision.because.keys() & decision.excluded.keys())
        body = _dumps({"facts": dict(facts.values), "derived": derived,
                       "rules": _rules_of(decision, used, dropped)})
        excluded = [[self.tpl.infos[n].id, list(map(_RULE, decision.excluded[n]))] for n in dropped]
        return "".join(('{"format":"', FORMAT, '","line":', str(line), ',"client":', _dumps(facts.name),
                        ',"start_date":', self.days[start.toordinal()], self._head(layers), body[1:-1],
                        ',"items":[', ",".join(items), '],"excluded":', _dumps(excluded), "}"))

    def _items(self, decision: Decision) -> tuple[list[str], list[tuple[str, ...]]]:
        """Each chosen item's JSON list, and the IDs of the rules behind it."""
        tpl, because, start_of, due, owner, rank = (self.tpl, decision.because, decision.start, decision.due,
                                                    decision.owner, decision.rank)
        opens, all_deps, deps, ranks, days, owners = (self.opens, self.all_deps, tpl.deps, self.ranks, self.days,
                                                      self.owners)
        rule_lists, waits, chosen = self.rule_lists, self.waits, set(decision.chosen)
        items, used = [], []
        for n in decision.chosen:
            rules = tuple(map(_RULE, because[n]))
            used.append(rules)
            # an item waits for all its dependencies unless the plan leaves one out
            after = all_deps[n] if chosen.issuperset(deps[n]) else waits[inputs(tpl, decision.timing, chosen, n)]
            items.append(f"{opens[n]}{ranks[rank.get(n, DEFAULT_RANK)]},{days[start_of[n]]},{days[due[n]]},"
                         f"{owners[owner[n]]},{after},{rule_lists[rules]}]")
        return items, used


def _rules_of(decision: Decision, used: list[tuple[str, ...]], dropped: list[int]) -> dict[str, Any]:
    """The record's `rules`: each rule behind a chosen item, then behind a left-out one, in the
    order first met, with its layer and the facts it matched (Match tuples write as JSON lists)."""
    # rule IDs are unique and each rule fires once: all items a rule put in hold the same Reason
    chosen_reasons = itertools.chain.from_iterable(map(decision.because.__getitem__, decision.chosen))
    reasons = dict(zip(itertools.chain.from_iterable(used), chosen_reasons, strict=True))
    for n in dropped:
        for reason in decision.excluded[n]:
            reasons.setdefault(reason.rule, reason)
    return {rule: {"layer": r.layer, "matched": r.matched} for rule, r in reasons.items()}


def compact(line: int, tpl: Template, layers: Sequence[str], decision: Decision, facts: ClientFacts,
            derived: dict[str, object], start: dt.date) -> dict[str, Any]:
    """The batch record of one client, straight from the planner's decision."""
    record: dict[str, Any] = json.loads(Encoder(tpl).record(line, layers, decision, facts, derived, start))
    return record


def compact_from_plan(line: int, plan: Plan, tpl: Template, facts: ClientFacts) -> dict[str, Any]:
    """The same record made from a whole plan: what planning the client alone gives."""
    reasons: dict[str, Reason] = {}
    for reason in [r for item in plan.items for r in item.because] + [r for e in plan.excluded for r in e.excluded_by]:
        reasons.setdefault(reason.rule, reason)
    items = [[i.id, i.priority, i.start.isoformat(), i.due.isoformat(), i.owner, list(i.depends_on),
              [r.rule for r in i.because]] for i in plan.items]
    excluded = [[e.id, [r.rule for r in e.excluded_by]] for e in plan.excluded]
    return _record(line, facts, plan.start_date, tpl, plan.layers, dict(plan.derived), items, excluded,
                   list(reasons.values()))


# What reading a line keeps of bytes that are not UTF-8 (the surrogateescape error handler)
_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def parse_line(text: str, line: int, shown: str, playbook: Playbook) -> ClientFacts:
    """Facts from one JSONL line; problems carry the line number and column."""
    if len(text) > MAX_BYTES:
        message = f"line is {len(text):,} characters; the limit is {MAX_BYTES:,} (1 MiB) per client"
        raise OpsbookError(Problem(shown, line, 1, message))
    bad = _NOT_UTF8.search(text)
    if bad is not None:
        raise OpsbookError(Problem(shown, line, bad.start() + 1, "not valid UTF-8 text: save the file as UTF-8"))
    try:
        data = json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as exc:
        raise OpsbookError(Problem(shown, line, exc.colno, f"JSON syntax error: {exc.msg}")) from None
    except (ValueError, RecursionError):
        refused = None  # a duplicate key or too deep nesting: the YAML reading below says where
    else:
        try:
            return facts_from_document(Document(shown, data), playbook.kb)
        except OpsbookError as exc:
            refused = exc  # parse again, slowly, only to say where each problem is
    try:  # blank lines in front, so the YAML reader counts lines as the file does
        facts_from_document(parse_yaml("\n" * (line - 1) + text, shown), playbook.kb)
    except OpsbookError as exc:
        raise OpsbookError(exc.problems) from None
    if refused is not None:
        # YAML read the line otherwise (it folds a line break such as U+0085 inside a string, which
        # JSON keeps): the JSON reading's problems stand, at the line's start
        raise OpsbookError(tuple(Problem(shown, line, 1, p.message, p.severity) for p in refused.problems)) from None
    raise AssertionError("facts refused once must be refused again")


class LineResult(NamedTuple):
    """What became of one input line."""

    text: str  # its output line: a record, a plan, or an error record
    problems: tuple[Problem, ...] = ()  # what is wrong with the line (or the bug met on it)
    crash: str | None = None  # the traceback of a bug met on this line, for the crash report


# Plans run a few years past their start, and past 9999-12-31 no date can be written; a start
# this late is a typo or a "never" (9999-01-01), not a plan.
LATEST_START = LATEST_DATE

_STATE: dict[object, Any] = {}


def _setup(job: Job) -> None:
    _STATE.clear()  # nothing made for an earlier job's playbook may serve this one
    _STATE["job"] = job
    playbook = _STATE["playbook"] = load_playbook(job.kb_dir, job.rules_dir, job.overlays)
    for lang in (job.lang,) if job.lang else ("zh", "en"):  # made once, before workers fork
        _encoder(playbook.template(lang))


def _one(line: int, text: str) -> LineResult:
    """One line's result; whatever goes wrong stays that line's, and the other lines go on."""
    job: Job = _STATE["job"]
    try:
        return LineResult(_planned(job, line, text))
    except OpsbookError as exc:
        return _refused(line, exc.problems)
    except RuleError as exc:
        if hides_a_bug(exc):
            return _crashed(job, line, exc)
        return _refused(line, (_rule_problem(job, line, text, exc),))
    except Exception as exc:  # a bug: reported with the line it was met on
        return _crashed(job, line, exc)


def _rule_problem(job: Job, line: int, text: str, exc: RuleError) -> Problem:
    """A rule error met on this line; a fact the engine refused is located at the fact in the line."""
    if not isinstance(exc, FactError):
        return Problem(job.shown, line, 1, str(exc))
    try:  # read again, as parse_line does to locate problems, only when a fact was refused
        doc = parse_yaml("\n" * (line - 1) + text, job.shown)
    except OpsbookError:  # JSON the YAML reader refuses: the line's start
        doc = Document(job.shown, None, {(): (line, 1)})
    return exc.problem(doc)


def _planned(job: Job, line: int, text: str) -> str:
    playbook: Playbook = _STATE["playbook"]
    facts = parse_line(text, line, job.shown, playbook)
    start = _start(job, facts, line)
    lang = plan_lang(facts, job.lang)
    if job.full:
        from generator.render.jsonplan import plan_to_dict

        plan = playbook.plan(facts, lang, start)
        return json.dumps(plan_to_dict(plan), ensure_ascii=False, separators=(",", ":"))
    tpl = playbook.template(lang)
    evaluation = playbook.evaluate(facts)
    decision = decide(tpl, evaluation, facts, start)
    return _encoder(tpl).record(line, playbook.ruleset.layers, decision, facts, dict(evaluation.derived), start)


def _start(job: Job, facts: ClientFacts, line: int) -> dt.date:
    start = job.start or facts.start_date or dt.date.today()
    if start > LATEST_START:
        message = f"`start_date` {start.isoformat()} is too late: give a date up to {LATEST_START.isoformat()}"
        raise OpsbookError(Problem(job.shown, line, 1, message))
    return start


def _encoder(tpl: Template) -> Encoder:
    """The encoder of this template: one made for another playbook's template would write its item IDs."""
    encoder: Encoder | None = _STATE.get(("encoder", tpl.lang))
    if encoder is None or encoder.tpl is not tpl:
        encoder = _STATE[("encoder", tpl.lang)] = Encoder(tpl)
    return encoder


def _refused(line: int, problems: Sequence[Problem]) -> LineResult:
    record = {"format": FORMAT, "line": line, "errors": [str(p) for p in problems]}
    return LineResult(json.dumps(record, ensure_ascii=False), tuple(problems))


def _crashed(job: Job, line: int, exc: BaseException) -> LineResult:
    problem = Problem(job.shown, line, 1, f"internal error while planning this line ({type(exc).__name__}: {exc})")
    details = f"{job.shown}, line {line}:\n" + "".join(traceback.format_exception(exc))
    return _refused(line, (problem,))._replace(crash=details)


def _chunk(lines: list[tuple[int, str]]) -> list[LineResult]:
    return [_one(n, text) for n, text in lines]


class Piece(NamedTuple):
    """The results of consecutive lines as the output holds them: what a worker hands back,
    in one message, for a chunk of lines."""

    data: bytes  # each line's result and a newline, in UTF-8
    problems: tuple[tuple[Problem, ...], ...]  # those of each line that has problems, in order
    crashes: tuple[str, ...]  # the traceback of each bug met


def _piece(lines: list[tuple[int, str]]) -> Piece:
    results = _chunk(lines)
    data = ("\n".join(result.text for result in results) + "\n").encode("utf-8")
    return Piece(data, tuple(r.problems for r in results if r.problems), tuple(r.crash for r in results if r.crash))


def _chunks(lines: Iterable[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    it = iter(lines)
    while chunk := list(itertools.islice(it, CHUNK)):
        yield chunk


def _worker_start() -> None:
    # A worker ends at once on SIGTERM or SIGHUP, with no clean-up of the parent's to run (the
    # parent may have turned SIGTERM into an exception to remove its temporary output file).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    gc.set_threshold(GC_THRESHOLD)


# A client's plan makes tens of thousands of objects, and a few reference cycles among them: the
# collector looking every 700 new objects (Python's default) took up to a tenth of the time of a
# batch client; every 10,000 it takes little, and the cycles are still freed every client or two.
GC_THRESHOLD = 10_000


@contextlib.contextmanager
def _collecting_less() -> Iterator[None]:
    """While inside, this process's collector looks for cycles every GC_THRESHOLD new objects."""
    saved = gc.get_threshold()
    gc.set_threshold(GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def run_batch(job: Job, lines: Iterable[tuple[int, str]], jobs: int,
              progress: Callable[[int], None]) -> Iterator[LineResult]:
    """Results in input order, as they are made; `progress(n)` after every n lines. Lines are
    read as they are needed and at most IN_FLIGHT chunks per worker are planned ahead of the
    writer, so memory does not grow with the number of clients."""
    for results in _in_order(job, lines, jobs, _chunk, progress):
        yield from results


def run_pieces(job: Job, lines: Iterable[tuple[int, str]], jobs: int,
               progress: Callable[[int], None]) -> Iterator[Piece]:
    """The output of `run_batch`, as the bytes to write, a chunk of lines at a time: a worker
    encodes its chunk's lines once, and the writer has neither strings to decode nor to join."""
    return _in_order(job, lines, jobs, _piece, progress)


_Done = TypeVar("_Done")


def _in_order(job: Job, lines: Iterable[tuple[int, str]], jobs: int,
              work: Callable[[list[tuple[int, str]]], _Done], progress: Callable[[int], None]) -> Iterator[_Done]:
    """`work` done on each chunk of lines, by `jobs` worker processes, handed on in input order."""
    _setup(job)
    # The playbook lives as long as the run: the collector need not walk it again every few
    # thousand allocations of a client's plan, and forked workers do not copy its pages doing so.
    gc.freeze()
    if jobs <= 1:
        with _collecting_less():
            for chunk in _chunks(lines):
                done = work(chunk)
                progress(len(chunk))
                yield done
        return
    # Forked workers start with the playbook this process loaded (its durable rulesets
    # included: durable keeps them in plain process memory and runs no threads here). The
    # executor's one thread both waits for results and reads them: multiprocessing.Pool wakes a
    # second thread in a loop for as long as a result waits in its pipe, about 0.1 ms of CPU per
    # client taken from the workers.
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_worker_start)
    try:
        pending: collections.deque[tuple[int, Future[_Done]]] = collections.deque()
        for chunk in _chunks(lines):
            pending.append((len(chunk), pool.submit(work, chunk)))
            if len(pending) >= IN_FLIGHT * jobs:
                yield _done(pending.popleft(), progress)
        while pending:
            yield _done(pending.popleft(), progress)
    finally:  # a run ended early (an interrupt, a reader that stops) plans no more chunks
        pool.shutdown(cancel_futures=True)


def _done(entry: tuple[int, Future[_Done]], progress: Callable[[int], None]) -> _Done:
    size, future = entry
    done = future.result()
    progress(size)
    return done


def plan_lines(lines: Iterable[tuple[int, str]], job: Job) -> Iterator[str]:
    """The result line (JSON text, without its newline) of each numbered facts line, in order:
    what `opsbook batch` writes for them. A line with problems gets its error record in place.
    For a map step on a cluster (Dask, Spark): each part calls this on its own lines.

        job = Job(Path("kb"), Path("rules"), (), "zh", None, False, "clients.jsonl")
        bag = dask.bag.from_sequence(enumerate(texts, start=1), npartitions=8)
        plans = bag.map_partitions(lambda part: list(plan_lines(part, job)))
    """
    _setup(job)
    for number, raw in lines:
        text = raw.strip().removeprefix("\ufeff")
        if text:  # blank lines are no clients, as in a batch file
            yield _one(number, text).text


# A batch holds many clients of up to MAX_BYTES each; past this it is not a batch file.
MAX_BATCH_BYTES = 1024 * 1024 * 1024


def iter_lines(path: Path, shown: str) -> Iterator[tuple[int, str]]:
    """Non-blank lines with their numbers, read as they are needed (bytes that are not UTF-8 are
    kept as surrogates, so that line is reported and the others go on). The file is checked when
    the first line is asked for: a FIFO, a device or a folder is refused without waiting on it."""
    with _open_batch(path, shown) as handle:
        read = 0
        for number, data in enumerate(handle, start=1):
            read += len(data)
            if read > MAX_BATCH_BYTES:
                _too_big(shown, f"more than {MAX_BATCH_BYTES:,}")
            text = data.decode("utf-8", errors="surrogateescape").strip().removeprefix("\ufeff")
            if text:
                yield number, text


def count_lines(path: Path, shown: str) -> int:
    """How many clients `iter_lines` will give (for progress); refuses what cannot be read."""
    return sum(1 for _ in iter_lines(path, shown))


def read_lines(path: Path, shown: str) -> list[tuple[int, str]]:
    """Every non-blank line with its number, at once: for callers that need them all."""
    return list(iter_lines(path, shown))


def _open_batch(path: Path, shown: str) -> BinaryIO:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # a FIFO must not block
        info = os.fstat(fd)
    except OSError as exc:
        raise OpsbookError(Problem(shown, 1, 1, f"cannot read file: {exc.strerror}")) from None
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        message = f"cannot read file: it is {file_kind(info.st_mode)}, not a regular file: expected a JSONL file"
        raise OpsbookError(Problem(shown, 1, 1, message))
    if info.st_size > MAX_BATCH_BYTES:
        os.close(fd)
        _too_big(shown, f"{info.st_size:,}")
    return os.fdopen(fd, "rb", buffering=1 << 20)


def _too_big(shown: str, amount: str) -> None:
    message = (f"file is {amount} bytes; the limit is {MAX_BATCH_BYTES:,} ({MAX_BATCH_BYTES >> 20} MiB): "
               "split the clients over several batch files")
    raise OpsbookError(Problem(shown, 1, 1, message))
