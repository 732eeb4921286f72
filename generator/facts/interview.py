"""The interview: the fact questions for someone who will not write YAML. Questions come from
the fact vocabulary; answers are read as people type them (`30%`, `12人`, a choice's number or
name), checked, and re-asked with the reason and the allowed values in the manager's language.
Any question can be gone back to, every answer is reviewed before anything is written, and
the facts file always names a start date and the language it was answered in.

Two front ends ask the same questions: `Lines` (numbered prompts on standard error, answers
read line by line, so scripts can drive it) and `Terminal` (arrow keys and checkboxes, drawn on
standard error so standard output carries nothing but the facts file)."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, TextIO

import yaml

from generator.core.errors import OpsbookError
from generator.facts.client import LATEST_DATE, FactValue, facts_from_data, normalise, typed_number
from generator.kb.cross_checks import CORE_KPIS
from generator.kb.model import KB, Fact, Text
from generator.words import LANGS, section, word

if TYPE_CHECKING:
    from questionary import Question as Prompt

# The interview's words (`interview.*` in the catalogues, generator/words); `file_*` entries go into
# the facts file, not to the screen.
WORDS = {lang: section(lang, "interview") for lang in LANGS}
# What people may type for "back", "clear", "confirm", yes and no: answers read, not words shown.
BACK_WORDS = frozenset({"<", "back", "返回", "上一题"})
CLEAR_WORDS = frozenset({"-"})
CONFIRM_WORDS = frozenset({"", "y", "yes", "ok", "是", "确认", "好"})
YES_WORDS = frozenset({"是", "是的", "对", "有", "y", "yes", "true"})
NO_WORDS = frozenset({"否", "不", "不是", "没有", "无", "n", "no", "false"})
# The answer most businesses give, preselected so Enter takes it; always shown with the choices.
CHOICE_DEFAULTS: dict[str, FactValue] = {"industry": "retail", "business_model": "b2c", "stage": "growth",
                                         "offering": "product", "has_supply_chain": False, "has_production": False}
FACT_UNITS = {"team_size": "people", "plan_share": "ratio"}  # a KPI's unit is in the KB
NOT_ASKED = ("lang",)  # recorded from the interview's language; changed on the review screen


# ------------------------------------------------------------------ questions
@dataclass(frozen=True)
class Question:
    fact: Fact
    unit: str = ""  # ratio, score, people, times... (how a number may be typed)
    default: FactValue | None = None
    asked: bool = True
    intro: Fact | None = None  # a group's heading, shown before its first question
    formula: Text | None = None

    @property
    def id(self) -> str:
        return self.fact.id


def next_working_day(today: dt.date) -> dt.date:
    """The plan start the interview offers: the next weekday after today (Monday after a weekend)."""
    day = today + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def questions(kb: KB, lang: str, today: dt.date) -> tuple[Question, ...]:
    """Every fact a client gives, in vocabulary order; the core KPIs in place of `kpis`."""
    asked: list[Question] = []
    for fact in kb.facts:
        if fact.derived or fact.type == "team":
            continue  # people per role: given in the facts file (team_size answers the question)
        if fact.type == "kpis":
            kpis = [kb.kpi_by_id[k] for k in CORE_KPIS if k in kb.kpi_by_id]
            asked += [Question(Fact(f"kpis.{k.id}", "number", k.name, k.definition, (), k.min, k.max, False, False,
                                    (), False), k.unit, intro=fact if n == 0 else None, formula=k.formula)
                      for n, k in enumerate(kpis)]
            continue
        default = {"start_date": next_working_day(today).isoformat(), "lang": lang}.get(fact.id)
        asked.append(Question(fact, FACT_UNITS.get(fact.id, ""), CHOICE_DEFAULTS.get(fact.id, default),
                              fact.id not in NOT_ASKED))
    return tuple(asked)


# ------------------------------------------------------------------ reading answers
Answer = tuple[FactValue | None, str | None]  # (value, None) or (None, what is wrong, in the manager's words)


def _flat(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def options(question: Question) -> tuple[tuple[FactValue, Text], ...]:
    """The choices of an enum, list or yes/no question: (value, label)."""
    if question.fact.type == "bool":
        return ((True, Text(word("zh", "interview.yes"), word("en", "interview.yes"))),
                (False, Text(word("zh", "interview.no"), word("en", "interview.no"))))
    return tuple((v.id, v.label) for v in question.fact.values)


def _pick(question: Question, token: str) -> FactValue | None:
    flat = _flat(token)
    choices = options(question)
    if flat.isdigit() and 1 <= int(flat) <= len(choices):
        return choices[int(flat) - 1][0]
    if question.fact.type == "bool":
        return True if flat in YES_WORDS else False if flat in NO_WORDS else None
    names = {_flat(name): value for value, label in choices for name in (str(value), label.zh, label.en)}
    return names.get(flat, names.get(re.sub(r"[\s\-]+", "_", flat)))


def _not_choice(question: Question, token: str, lang: str) -> str:
    labels = [label(lang) for _, label in options(question)]
    close = difflib.get_close_matches(token.strip(), labels, n=1, cutoff=0.5)
    hint = WORDS[lang]["did_you_mean"].format(label=close[0]) if close else ""
    return WORDS[lang]["not_choice"].format(answer=token.strip(), hint=hint)


def _choices(question: Question, text: str, lang: str) -> Answer:
    if question.fact.type != "list":
        value = _pick(question, text)
        return (value, None) if value is not None else (None, _not_choice(question, text, lang))
    chosen: list[str] = []
    for token in (t for t in re.split(r"[,;、，；]", text) if t.strip()):
        value = _pick(question, token)
        numbers = token.split() if value is None and all(_flat(t).isdigit() for t in token.split()) else []
        values = [_pick(question, n) for n in numbers] if numbers else [value]
        if any(v is None for v in values):
            return None, _not_choice(question, token, lang)
        chosen += [str(v) for v in values]
    return normalise(question.fact, chosen)[0], None


def _number(question: Question, text: str, lang: str) -> Answer:
    words, fact = WORDS[lang], question.fact
    typed = typed_number(text, question.unit)
    if typed is None:
        return None, words["not_number"].format(answer=text.strip())
    if typed.percent and question.unit != "ratio":
        return None, words["no_percent"]
    number = typed.number
    if fact.type == "integer" and number != number.to_integral_value():
        return None, words["whole"].format(answer=text.strip())
    value = int(number) if fact.type == "integer" else float(number)
    low, high = fact.min, fact.max
    if (low is not None and value < low) or (high is not None and value > high) or normalise(fact, value)[1]:
        hint = words["gap"] + words["maybe_percent"].format(value=_num(value)) if (
            question.unit == "ratio" and not typed.percent and high is not None and high < value <= 100) else ""
        return None, words["out_of_range"].format(value=_num(value)) + hint
    return normalise(fact, value)


def _date(text: str, lang: str) -> Answer:
    found = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", _flat(text))
    try:
        day = dt.date(*(int(part) for part in found.groups())) if found else None
    except ValueError:
        day = None
    if day is None:
        return None, WORDS[lang]["not_date"].format(answer=text.strip())
    if day > LATEST_DATE:
        return None, WORDS[lang]["late_date"].format(latest=LATEST_DATE.isoformat())
    return day.isoformat(), None


def read_answer(question: Question, text: str, lang: str) -> Answer:
    """What a typed (non-blank) answer means for the question, or why it cannot be taken."""
    kind = question.fact.type
    if kind in ("enum", "list", "bool"):
        return _choices(question, text, lang)
    if kind in ("integer", "number"):
        return _number(question, text, lang)
    if kind == "date":
        return _date(text, lang)
    value, problem = normalise(question.fact, unicodedata.normalize("NFKC", text) if kind == "country" else text)
    if problem is None:
        return value, None
    return None, WORDS[lang]["not_country" if kind == "country" else "hidden"].format(answer=text.strip())


def reply(question: Question, text: str, keep: FactValue | None, lang: str) -> Answer:
    """A line of input as an answer: blank keeps `keep` (the answer before, or the default) or
    skips an optional question; `-` clears an optional one."""
    if not text.strip() or (text.strip() in CLEAR_WORDS and not question.fact.required):
        kept = keep if text.strip() not in CLEAR_WORDS else None
        if kept is None and question.fact.required:
            return None, WORDS[lang]["needed"]
        return kept, None
    return read_answer(question, text, lang)


# ------------------------------------------------------------------ showing answers
def _num(value: float) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def shown(question: Question, value: FactValue | None, lang: str) -> str:
    """An answer as the manager reads it: labels for choices, a percentage beside a share."""
    words = WORDS[lang]
    if value is None:
        return words["blank"]
    labels = {v: label(lang) for v, label in options(question)}
    if isinstance(value, tuple):
        return words["list_sep"].join(label for v, label in labels.items() if v in value)
    if isinstance(value, bool) or value in labels:
        return labels[value]
    if isinstance(value, int | float) and question.unit == "ratio":
        return words["percent_shown"].format(value=_num(value), percent=_num(float(Decimal(str(value)) * 100)))
    return _num(value) if isinstance(value, int | float) else str(value)


def allowed(question: Question, lang: str) -> str:
    """What may be typed, with the real range from the KB; empty for choices and free text."""
    words, fact = WORDS[lang], question.fact
    low, high = (_num(b) if b is not None else None for b in (fact.min, fact.max))
    if fact.type == "date":
        return words["allowed"].format(range=words["date"].format(example=question.default))
    if fact.type == "country":
        return words["allowed"].format(range=words["country"])
    if fact.type not in ("integer", "number") or low is None:
        return ""
    kind = ("ratio" if question.unit == "ratio" else "score" if question.unit == "score"
            else "whole" if fact.type == "integer" else "number")
    key = {"ratio": "ratio", "score": "score", "whole": "whole_between", "number": "number_between"}[kind]
    if high is None:
        key = {"ratio": "ratio_from", "score": "number_from", "whole": "whole_from", "number": "number_from"}[kind]
    text = words[key].format(low=low, high=high, example="5%")
    return words["allowed"].format(range=text + words.get(f"unit_{question.unit}", ""))


def choice_lines(question: Question, lang: str, keep: FactValue | None = None) -> list[str]:
    """The numbered choices; the one Enter takes (or those ticked) marked."""
    choices = options(question)
    width = len(str(len(choices)))
    mark = WORDS[lang]["ticked" if isinstance(keep, tuple) else "marked"]
    chosen = set(keep) if isinstance(keep, tuple) else {keep} if keep is not None else set()
    return [f"  {n:>{width}}. {label(lang)}{mark if value in chosen else ''}"
            for n, (value, label) in enumerate(choices, start=1)]


def rows(items: Sequence[Question], answers: dict[str, FactValue], lang: str) -> list[str]:
    """The review screen's lines: `n. label: answer`."""
    colon, width = WORDS[lang]["colon"], len(str(len(items)))
    return [f"{n:>{width}}. {q.fact.label(lang)}{colon}{shown(q, answers.get(q.id), lang)}"
            for n, q in enumerate(items, 1)]


# ------------------------------------------------------------------ the conversation
class Back:
    """The answer `<`: go to the previous question."""


BACK = Back()
Reply = FactValue | None | Back


class Frontend(Protocol):
    lang: str

    def ask(self, number: int, total: int, question: Question, current: FactValue | None,
            first: bool = False) -> Reply:
        """Ask one question; `first`: there is no question before it to go back to."""

    def review(self, items: Sequence[Question], answers: dict[str, FactValue]) -> int | None: ...


def converse(items: Sequence[Question], ui: Frontend, answers: dict[str, FactValue]) -> dict[str, FactValue]:
    """Ask every question (going back on `<`), then show the review until it is confirmed."""
    asked = [i for i, q in enumerate(items) if q.asked]
    step = 0
    while step < len(asked):
        question = items[asked[step]]
        got = ui.ask(asked[step] + 1, len(items), question, answers.get(question.id), first=step == 0)
        if isinstance(got, Back):
            step = max(step - 1, 0)
            continue
        _store(answers, question.id, got)
        step += 1
    while (index := ui.review(items, answers)) is not None:
        index = asked[-1] if index < 0 else index  # `<` on the review: the last question
        question = items[index]
        got = ui.ask(index + 1, len(items), question, answers.get(question.id))
        if not isinstance(got, Back):
            _store(answers, question.id, got)
    return answers


def _store(answers: dict[str, FactValue], key: str, value: FactValue | None) -> None:
    if value is None:
        answers.pop(key, None)
    else:
        answers[key] = value


def facts_text(kb: KB, items: Sequence[Question], answers: dict[str, FactValue], lang: str) -> str:
    """The facts file: answers nested as DESIGN.md's facts format, checked as `opsbook plan` will.
    Dates are quoted, so YAML 1.1 readers keep them strings."""
    document: dict[str, Any] = {}
    for question in items:
        value = answers.get(question.id)
        if value is None:
            continue
        *groups, leaf = question.id.split(".")
        target = document
        for group in groups:
            target = target.setdefault(group, {})
        whole = isinstance(value, float) and value.is_integer()  # `nps: 42`, as people write it
        target[leaf] = list(value) if isinstance(value, tuple) else int(value) if whole else value
    facts_from_data(document, kb, "<interview>")  # what the interview wrote, `opsbook plan` reads
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return f"{WORDS[lang]['file_header']}\n{body}"


def interview(kb: KB, ui: Frontend, today: dt.date) -> str:
    """Conduct the interview through `ui`; the facts file's text."""
    items = questions(kb, ui.lang, today)
    answers: dict[str, FactValue] = {q.id: q.default for q in items if not q.asked and q.default is not None}
    try:
        answers = converse(items, ui, answers)
    except KeyboardInterrupt:  # Ctrl-C at a numbered prompt
        raise cancelled(ui.lang) from None
    return facts_text(kb, items, answers, ui.lang)


def frontend(lang: str, plain: bool) -> Frontend:
    """Arrow keys where standard input and standard error are a terminal; numbered prompts otherwise."""
    if not plain and sys.stdin.isatty() and sys.stderr.isatty() and os.environ.get("TERM") != "dumb":
        return Terminal(lang)
    return Lines(lang, sys.stdin, sys.stderr)


def cancelled(lang: str) -> OpsbookError:
    return OpsbookError(WORDS[lang]["cancelled"])


def header(number: int, total: int, question: Question, lang: str) -> list[str]:
    """The question's heading, help and allowed values, as both front ends show it."""
    words = WORDS[lang]
    lines = [""]
    if question.intro is not None:
        lines += [f"== {question.intro.label(lang)} ==", question.intro.help(lang), ""]
    mark = words["required"] if question.fact.required else words["optional"]
    lines += [f"[{number}/{total}] {question.fact.label(lang)}{mark}", f"  {question.fact.help(lang)}"]
    if question.formula is not None:
        lines.append("  " + words["formula"].format(formula=question.formula(lang)))
    return lines + ([f"  {allowed(question, lang)}"] if allowed(question, lang) else [])


# ------------------------------------------------------------------ numbered prompts
class Lines:
    """Numbered prompts on standard error; answers read line by line (scripts, tests, dumb terminals).
    Input that is not a terminal is echoed, so the transcript on standard error reads as a dialogue."""

    def __init__(self, lang: str, stdin: TextIO, stderr: TextIO) -> None:
        self.lang, self._in, self._out, self._echo = lang, stdin, stderr, not stdin.isatty()
        self._say(WORDS[lang]["intro"])

    def _say(self, *lines: str) -> None:
        self._out.write("".join(f"{line}\n" for line in lines))

    def _line(self, ended: str) -> str:
        self._out.write("> ")
        self._out.flush()
        line = self._in.readline()
        if not line:
            self._out.write("\n")
            raise OpsbookError(ended)
        if self._echo:
            self._out.write(line if line.endswith("\n") else line + "\n")
        return line.rstrip("\r\n")

    def ask(self, number: int, total: int, question: Question, current: FactValue | None,
            first: bool = False) -> Reply:
        words = WORDS[self.lang]
        keep = current if current is not None else question.default
        hints = [words["pick_many"] if question.fact.type == "list" else words["pick_one"]] if options(question) else []
        hints.append(words["keep"].format(value=shown(question, keep, self.lang)) if keep is not None
                     else "" if question.fact.required else words["skip"])
        hints += [words["clear"]] if current is not None and not question.fact.required else []
        self._say(*header(number, total, question, self.lang), *choice_lines(question, self.lang, keep),
                  "  " + words["sep"].join(h for h in [*hints, words["back"]] if h))
        while True:
            text = self._line(words["ended"].format(label=question.fact.label(self.lang)))
            if _flat(text) in BACK_WORDS:
                if not first:
                    return BACK
                self._say(words["first"])
                continue
            value, problem = reply(question, text, keep, self.lang)
            if problem is None:
                return value
            self._say(problem, *choice_lines(question, self.lang, keep),
                      *([f"  {allowed(question, self.lang)}"] if allowed(question, self.lang) else []))

    def review(self, items: Sequence[Question], answers: dict[str, FactValue]) -> int | None:
        words = WORDS[self.lang]
        self._say("", words["review"], *(f"  {row}" for row in rows(items, answers, self.lang)), words["review_prompt"])
        while True:
            text = _flat(self._line(words["ended_review"]))
            if text in CONFIRM_WORDS:
                return None
            if text in BACK_WORDS:
                return -1
            if text.isdigit() and 1 <= int(text) <= len(items):
                return int(text) - 1
            self._say(words["review_number"].format(n=len(items)))


# ------------------------------------------------------------------ arrow keys
_BACK_KEY = "\0back"  # what a list returns when `<` is pressed
_BLANK_KEY = "\0blank"


class Terminal:
    """Arrow-key lists and checkboxes (questionary), bound to standard input and standard error."""

    def __init__(self, lang: str) -> None:
        from prompt_toolkit.input import create_input
        from prompt_toolkit.output import create_output

        self.lang = lang
        self._io: dict[str, Any] = {"input": create_input(sys.stdin), "output": create_output(stdout=sys.stderr),
                                    "erase_when_done": True, "qmark": "?"}
        sys.stderr.write(WORDS[lang]["intro"] + "\n")

    def _run(self, prompt: Prompt, back: bool = True) -> Any:
        if back:
            from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

            keys = KeyBindings()
            keys.add("<", eager=True)(lambda event: event.app.exit(result=_BACK_KEY))
            app = prompt.application
            app.key_bindings = merge_key_bindings([app.key_bindings, keys]) if app.key_bindings else keys
        try:
            return prompt.unsafe_ask()
        except (KeyboardInterrupt, EOFError):
            raise cancelled(self.lang) from None

    def ask(self, number: int, total: int, question: Question, current: FactValue | None,
            first: bool = False) -> Reply:
        sys.stderr.write("\n".join(header(number, total, question, self.lang)) + "\n")
        start = current if current is not None else question.default
        if question.fact.type == "list":
            got = self._checkbox(question, start)
        elif options(question):
            got = self._select(question, start)
        else:
            got = self._text(question, start)
        if not isinstance(got, Back):
            colon = WORDS[self.lang]["colon"]
            sys.stderr.write(f"  {question.fact.label(self.lang)}{colon}{shown(question, got, self.lang)}\n")
        return got

    def _select(self, question: Question, start: FactValue | None) -> Reply:
        import questionary

        keys = {f"\0{n}": value for n, (value, _) in enumerate(options(question))}
        choices = [questionary.Choice(label(self.lang), value=key) for key, (_, label) in
                   zip(keys, options(question), strict=True)]
        if not question.fact.required and question.default is None:
            choices.insert(0, questionary.Choice(WORDS[self.lang]["blank"], value=_BLANK_KEY))
        default = next((key for key, value in keys.items() if value == start), choices[0].value)
        got = self._run(questionary.select(question.fact.label(self.lang), choices, default=default,
                                           instruction=WORDS[self.lang]["select_hint"], **self._io))
        return BACK if got == _BACK_KEY else keys.get(got)

    def _checkbox(self, question: Question, start: FactValue | None) -> Reply:
        import questionary

        ticked = set(start) if isinstance(start, tuple) else set()
        choices = [questionary.Choice(label(self.lang), value=str(value), checked=value in ticked)
                   for value, label in options(question)]
        got = self._run(questionary.checkbox(question.fact.label(self.lang), choices,
                                             instruction=WORDS[self.lang]["checkbox_hint"], **self._io))
        if got == _BACK_KEY:
            return BACK
        return normalise(question.fact, list(got))[0] if got else None

    def _text(self, question: Question, start: FactValue | None) -> Reply:
        import questionary

        def check(text: str) -> bool | str:
            if _flat(text) in BACK_WORDS:
                return True
            problem = reply(question, text, None, self.lang)[1]
            return True if problem is None else WORDS[self.lang]["gap"].join(
                p for p in (problem, allowed(question, self.lang)) if p)

        prefill = "" if start is None else _num(start) if isinstance(start, int | float) else str(start)
        got = self._run(questionary.text(question.fact.label(self.lang), default=prefill, validate=check,
                                         instruction=WORDS[self.lang]["text_hint"], **self._io), back=False)
        return BACK if _flat(got) in BACK_WORDS else reply(question, got, None, self.lang)[0]

    def review(self, items: Sequence[Question], answers: dict[str, FactValue]) -> int | None:
        import questionary

        words = WORDS[self.lang]
        choices = [questionary.Choice(words["confirm"], value="\0write")]
        choices += [questionary.Choice(row, value=str(n)) for n, row in enumerate(rows(items, answers, self.lang))]
        got = self._run(questionary.select(words["review"], choices, instruction=words["review_prompt"], **self._io),
                        back=False)
        return None if got == "\0write" else int(got)
