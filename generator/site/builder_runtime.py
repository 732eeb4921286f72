"""The plan builder's Python side, run in the browser by Pyodide (and by the tests in CPython):
the playbook the site was built with, unpickled, planning on the pure-Python rules engine with
the package's own facts checks, planner and writers, so the page gives what `opsbook plan` gives.

Working days and the list of countries with a calendar were worked out at build time by the
same functions (builder_assets.py); the holidays library, shipped beside this package, is only
imported for a country or a year the build did not cover."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from generator.core.errors import OpsbookError
from generator.facts.client import ClientFacts, FactValue, facts_from_data, plan_lang
from generator.facts.interview import Question, facts_text, questions, read_answer, reply
from generator.kb.model import KB
from generator.plan.cache import unpickled
from generator.plan.model import Plan
from generator.plan.playbook import Playbook
from generator.render import RENDERERS
from generator.rules.backends import make_engine
from generator.rules.ruleset import RuleSet

SHOWN = "<builder>"  # where refused facts are said to come from
DOWNLOADS = ("md", "json", "csv", "ics")
# Markdown's inline syntax the CLI's Markdown never writes (it escapes what a client types):
# links, images, references, autolinks and hard line breaks.
UNUSED_INLINE = ("reference", "link", "image_link", "image_reference", "short_reference", "short_image_ref",
                 "autolink", "automail", "linebreak")


@dataclass(frozen=True)
class Bundle:
    """What the site build hands the browser: the validated playbook, and the calendar facts
    worked out by the holidays library at build time."""

    kb: KB
    ruleset: RuleSet
    countries: tuple[str, ...]  # sorted: a set's pickle would follow the build's hash seed
    working_days: Mapping[tuple[str, int], tuple[int, ...]]  # (country, first year) -> day ordinals


def install_calendar(bundle: Bundle) -> None:
    """Answer the calendar questions from the bundle where it can, from holidays otherwise."""
    from generator.facts import client as facts
    from generator.plan import calendar

    # straight from the library: the playbook cache's files need os.link, which Pyodide lacks
    computed = functools.cache(calendar._count_working_days)

    def working_days(country: str, first_year: int) -> tuple[int, ...]:
        known = bundle.working_days.get((country, first_year))
        return known if known is not None else computed(country, first_year)

    calendar._working_days = working_days  # type: ignore[assignment]  # same answers, looked up
    countries = frozenset(bundle.countries)
    facts._countries = lambda: countries  # type: ignore[assignment]


class Builder:
    """One loaded playbook; plans and downloads for facts given as JSON."""

    def __init__(self, data: bytes) -> None:
        bundle = cast(Bundle, unpickled(data))  # written by this site's own build
        install_calendar(bundle)
        engine = make_engine(bundle.ruleset.rules, name="python")
        self.playbook = Playbook(bundle.kb, bundle.ruleset, engine)
        self.last: tuple[ClientFacts, Plan] | None = None

    def facts(self, text: str) -> ClientFacts:
        return facts_from_data(json.loads(text), self.playbook.kb, SHOWN)

    def plan(self, text: str) -> str:
        """The opsbook-plan/1 JSON of the facts, or `{"error": ...}` with every problem."""
        try:
            client = self.facts(text)
            result = self.playbook.plan(client, plan_lang(client))
        except (OpsbookError, ValueError, TypeError) as exc:
            self.last = None
            return json.dumps({"error": str(exc)}, ensure_ascii=False)
        self.last = client, result
        return RENDERERS["json"].render(result).decode("utf-8")

    def download(self, fmt: str) -> bytes:
        """The last plan in `fmt` (md, json, csv, ics), or its facts file (`yaml`)."""
        assert self.last is not None, "a plan comes first"
        client, result = self.last
        if fmt == "yaml":
            return facts_yaml(self.playbook.kb, client, result.lang).encode("utf-8")
        return RENDERERS[fmt].render(result)

    def view(self) -> str:
        """The last plan as the CLI's Markdown shows it, in HTML (raw HTML in it shown as text:
        a client's name is the client's, not markup)."""
        assert self.last is not None, "a plan comes first"
        return markdown_html(self.download("md").decode("utf-8"))

    def check(self, answers_json: str, lang: str) -> str:
        """The form's answers (field id -> typed text) checked as the interview checks them:
        `{"facts": {...}}` ready to plan, or `{"problems": {field: message}}` in `lang`."""
        typed: dict[str, Any] = json.loads(answers_json)
        values: dict[str, FactValue] = {}
        problems: dict[str, str] = {}
        for question in questions(self.playbook.kb, lang, dt.date.today()):
            raw = typed.get(question.id)
            value, problem = _answer(question, raw, lang)
            if problem is not None:
                problems[question.id] = problem
            elif value is not None:
                values[question.id] = value
        if problems:
            return json.dumps({"problems": problems}, ensure_ascii=False)
        return json.dumps({"facts": nested(values)}, ensure_ascii=False)


def markdown_html(text: str) -> str:
    import markdown
    from markdown.extensions.tables import TableExtension  # by name it needs installed metadata

    # tab_length 2: the CLI's Markdown nests an item's details two spaces in
    converter = markdown.Markdown(extensions=[TableExtension()], output_format="html", tab_length=2)
    converter.ESCAPED_CHARS = [*converter.ESCAPED_CHARS, "<", "|", "~"]  # as the CLI's Markdown escapes them
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    for name in UNUSED_INLINE:  # tried on every piece of text: a third of the time, for nothing
        converter.inlinePatterns.deregister(name)
    # under the page's title and its "your plan" heading: the plan's own headings two levels down
    return re.sub(r"<(/?)h([1-4])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 2}", converter.convert(text))


def _answer(question: Question, raw: Any, lang: str) -> tuple[FactValue | None, str | None]:
    if isinstance(raw, list):  # ticked choices
        return read_answer(question, ",".join(raw), lang) if raw else (None, None)
    if isinstance(raw, bool):
        return raw, None
    text = "" if raw is None else str(raw)
    return reply(question, text, None, lang)


def nested(values: Mapping[str, FactValue]) -> dict[str, Any]:
    """Flat facts (`kpis.nps`) nested as a facts file writes them, in the order given."""
    document: dict[str, Any] = {}
    for key, value in values.items():
        *groups, leaf = key.split(".")
        target = document
        for group in groups:
            target = target.setdefault(group, {})
        target[leaf] = list(value) if isinstance(value, tuple) else value
    return document


def facts_yaml(kb: KB, client: ClientFacts, lang: str) -> str:
    """The facts file `opsbook interview` would write for these facts (facts it does not ask,
    such as `team`, after the asked ones)."""
    asked = questions(kb, lang, dt.date.today())
    known = {q.id for q in asked}
    by_id = {f.id: f for f in kb.facts}
    extra = []
    for key in client.values:
        if key not in known:
            fact = by_id.get(key) or by_id[key.split(".")[0]]
            extra.append(Question(dataclasses.replace(fact, id=key)))
    return facts_text(kb, (*asked, *extra), dict(client.values), lang)
