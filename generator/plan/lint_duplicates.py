"""`lint`: one piece of work once. Items whose texts read almost the same, and two items of one
example's plan that are the same kind of work at the same cadence.

The kind of work of an item is, first, what the KB says: items that are the same work seen from
two steps (the monthly budget report of budget control and the budget variance analysis of the
financial review) share a `work` name, and the rules keep them out of one plan. An item no such
name ties to another is the same kind of work as an item of the same owner whose title reads
almost the same. Titles and definitions of done are compared as word sets in English (stop and
cadence words left out, plural and tense endings cut) and as sets of two-character runs in
Chinese; near-duplicate means a Jaccard similarity at or above the thresholds below in either
language, the one a reader of that language sees.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from generator.core.errors import OpsbookError, Problem
from generator.kb.documents import shown_path, yaml_files
from generator.kb.model import Item, Text
from generator.plan.model import Plan, PlanItem

TITLE_SIMILAR = 0.75  # shared words of two titles, over all their words
DONE_SIMILAR = 0.6  # the same for definitions of done, which are longer and share more by chance
CADENCE_NAMES = {None: "", "FREQ=WEEKLY": ", every week", "FREQ=MONTHLY": ", every month",
                 "FREQ=MONTHLY;INTERVAL=3": ", every quarter"}

_STOP = frozenset({"a", "an", "and", "are", "as", "at", "be", "by", "each", "every", "for", "from", "in", "into",
                   "is", "it", "its", "of", "on", "or", "per", "that", "the", "their", "this", "to", "with",
                   "week", "weekly", "month", "monthly", "quarter", "quarterly"})
_WORD = re.compile(r"[a-z0-9]+")
_CADENCE_ZH = re.compile(r"每周|每月|每季度|月度|季度|周度|按月|按周")
_RUN = re.compile(r"[\u3400-\u9fff]+|[A-Za-z0-9]+")
_ENDINGS = ("ing", "es", "ed", "s")


def _stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[:-len(ending)]
    return word


def words(text: str, lang: str) -> frozenset[str]:
    """The units two texts are compared by: content words (en), two-character runs (zh)."""
    if lang == "en":
        return frozenset(_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP)
    units: set[str] = set()
    for run in _RUN.findall(_CADENCE_ZH.sub(" ", text)):
        if run.isascii():
            units.add(run.lower())
        else:
            units.update(run[i:i + 2] for i in range(max(len(run) - 1, 1)))
    return frozenset(units)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def similar_pairs(sets: Sequence[frozenset[str]], threshold: float) -> Iterator[tuple[int, int]]:
    """Pairs (i < j) of sets at least `threshold` alike. Two such sets share one of the rarest
    words of each (prefix filtering), so only pairs meeting there are compared."""
    rarity = Counter(w for s in sets for w in s)
    seen: defaultdict[str, list[int]] = defaultdict(list)
    for j, current in enumerate(sets):
        ordered = sorted(current, key=lambda w: (rarity[w], w))
        prefix = len(ordered) - math.ceil(threshold * len(ordered)) + 1
        candidates: set[int] = set()
        for w in ordered[:prefix]:
            candidates.update(seen[w])
            seen[w].append(j)
        yield from ((i, j) for i in sorted(candidates) if jaccard(sets[i], current) >= threshold)


def _warn(loc: tuple[str, int, int] | None, message: str) -> Problem:
    path, line, col = loc or ("", 0, 0)
    return Problem(path, line, col, message, "warning")


def _text(item: Item, field: str) -> Text:
    return item.title if field == "title" else item.done_when


FIELD_NAMES = {"title": "title", "done_when": "definition of done"}


def near_duplicates(items: Iterable[Item]) -> Iterator[Problem]:
    """Items whose title or definition of done reads almost the same as another's, in either language.
    Items named as the same `work` are alternatives by design and are not compared."""
    listed = list(items)
    found: dict[tuple[int, int], str] = {}
    for field, threshold in (("title", TITLE_SIMILAR), ("done_when", DONE_SIMILAR)):
        for lang in ("zh", "en"):
            for i, j in similar_pairs([words(_text(it, field)(lang), lang) for it in listed], threshold):
                found.setdefault((i, j), f"{FIELD_NAMES[field]}, {lang}")
    for (i, j), what in sorted(found.items()):
        a, b = listed[i], listed[j]
        if a.work is not None and a.work == b.work:
            continue
        yield _warn(b.loc, f"item `{b.id}` reads almost the same as `{a.id}` ({what}): if they are the same work "
                           f"seen from two steps, give both the same `work: <name>` and keep them out of one plan; "
                           f"otherwise reword one so readers can tell them apart")


class Kind(NamedTuple):
    """Items of one plan that may be the same kind of work at the same cadence."""

    named: bool  # they share a `work` name (else an owner, and their titles are compared)
    why: str
    members: list[PlanItem]


def _kinds(plan: Plan, items: Mapping[str, Item]) -> Iterator[Kind]:
    """The plan's items grouped by cadence and by `work` name where the KB gives one, otherwise by owner."""
    groups: defaultdict[tuple[str | None, bool, str], list[PlanItem]] = defaultdict(list)
    for entry in plan.items:
        item = items[entry.id]
        groups[(entry.recurrence, item.work is not None, item.work or item.owner)].append(entry)
    for (_, named, name), members in groups.items():
        if len(members) > 1:
            yield Kind(named, f"`work: {name}`" if named else f"owner `{name}` and near-identical titles", members)


@functools.cache
def _title_words(title: Text) -> tuple[frozenset[str], frozenset[str]]:
    return words(title.zh, "zh"), words(title.en, "en")


def _titles_alike(a: Item, b: Item) -> bool:
    return any(jaccard(x, y) >= TITLE_SIMILAR for x, y in zip(_title_words(a.title), _title_words(b.title),
                                                                strict=True))


def lone_work(items: Iterable[Item]) -> Iterator[Problem]:
    """A `work` name no other item shares says nothing: the twin was renamed, or never tagged."""
    by_work: defaultdict[str, list[Item]] = defaultdict(list)
    for item in items:
        if item.work is not None:
            by_work[item.work].append(item)
    for name, members in sorted(by_work.items()):
        if len(members) == 1:
            yield _warn(members[0].loc, f"item `{members[0].id}` is the only one with `work: {name}`: give the "
                                        f"same name to the item that is the same work, or drop it")


def duplicate_work(plans: Mapping[str, Plan], items: Mapping[str, Item],
                   rule_loc: Callable[[str], tuple[str, int, int] | None]) -> Iterator[Problem]:
    """Two items of one example's plan at the same cadence that are the same kind of work: the
    same `work` name, or (neither named) the same owner and near-identical titles."""
    reported: set[tuple[str, str]] = set()
    for example, plan in plans.items():
        for kind in _kinds(plan, items):
            for x, y in itertools.combinations(kind.members, 2):
                if (x.id, y.id) in reported or not (kind.named or _titles_alike(items[x.id], items[y.id])):
                    continue
                reported.add((x.id, y.id))
                yield _duplicate(example, x, y, kind.why, rule_loc)


def _duplicate(example: str, x: PlanItem, y: PlanItem, why: str,
               rule_loc: Callable[[str], tuple[str, int, int] | None]) -> Problem:
    rx, ry = x.because[0].rule, y.because[0].rule
    loc = rule_loc(ry) or (example, 1, 1)
    cadence = CADENCE_NAMES.get(x.recurrence, f", {x.recurrence}")
    return _warn(loc, f"the plan of {example} has the same work twice{cadence}: "
                      f"`{x.id}` (from rule `{rx}`) and `{y.id}` (from rule `{ry}`), same {why}: make the rules "
                      f"exclude one where the other is in the plan, or merge the items")


def example_files(kb_dir: Path) -> list[Path]:
    """The example client profiles of the playbook: `examples/` beside the KB folder."""
    folder = kb_dir.parent / "examples"
    return list(yaml_files(folder)) if folder.is_dir() else []


def example_plans(files: Sequence[Path], plan: Callable[[Path], Plan]) -> tuple[dict[str, Plan], list[Problem]]:
    """Each example's plan, made once for the run; an example that cannot be planned is a warning."""
    plans: dict[str, Plan] = {}
    problems: list[Problem] = []
    for path in files:
        try:
            plans[shown_path(path)] = plan(path)
        except OpsbookError as exc:
            problems.extend(Problem(p.path, p.line, p.col, f"example cannot be planned: {p.message}", "warning")
                            for p in exc.problems)
    return plans, problems
