"""The plan builder page: a form made from the interview's questions (the same labels, help,
allowed values, ranges and defaults as `opsbook interview`), and the places the script fills
with the plan. The answers are checked in the browser by the interview's own code
(builder_runtime.py), so its messages are the interview's, in the page's language."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator

from generator.facts.client import FactValue
from generator.facts.interview import WORDS as INTERVIEW
from generator.facts.interview import Question, allowed, options, questions
from generator.kb.model import KB
from generator.words import LANGS, section

PATH = "builder/index.md"
SCRIPT = "assets/javascripts/builder.js"
STYLE = "stylesheets/builder.css"
ASSETS = "assets/builder/"

# The page's own words (`builder.*` in the catalogues, generator/words).
WORDS = {lang: section(lang, "builder") for lang in LANGS}
DOWNLOADS = (("yaml", "facts_file", "facts.yaml"), ("json", "plan_json", "plan.json"),
             ("md", "plan_md", "plan.md"), ("csv", "plan_csv", "plan.csv"), ("ics", "plan_ics", "plan.ics"))


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def field_id(question: Question) -> str:
    return "f-" + question.id.replace(".", "-").replace("_", "-")


def _value_text(value: FactValue | None) -> str:
    return "" if value is None or isinstance(value, bool | tuple) else str(value)


def _described(question: Question, lang: str) -> tuple[list[str], str]:
    """The help lines under a question and the ids that describe its control."""
    fid, lines = field_id(question), [question.fact.help(lang)]
    if question.formula is not None:
        lines.append(INTERVIEW[lang]["formula"].format(formula=question.formula(lang)))
    if allowed(question, lang):
        lines.append(allowed(question, lang))
    help_html = "".join(f'<span class="opsbook-builder-line">{_e(line)}</span>' for line in lines if line)
    parts = [f'<p class="opsbook-builder-help" id="{fid}-help">{help_html}</p>',
             f'<p class="opsbook-builder-error" id="{fid}-error" hidden></p>']
    return parts, f"{fid}-help {fid}-error"


def _label(question: Question, lang: str) -> str:
    words = INTERVIEW[lang]
    mark = words["required"] if question.fact.required else words["optional"]
    return f'{_e(question.fact.label(lang))}<span class="opsbook-builder-mark">{_e(mark)}</span>'


def _choices(question: Question, lang: str, kind: str) -> str:
    """Radio buttons (one of, yes/no) or checkboxes (several), in a fieldset."""
    fid, (help_parts, described) = field_id(question), _described(question, lang)
    chosen = set(question.default) if isinstance(question.default, tuple) else {question.default}
    boxes = []
    for n, (value, label) in enumerate(options(question)):
        key = "true" if value is True else "false" if value is False else str(value)
        checked = " checked" if value in chosen and question.default is not None else ""
        boxes.append(f'<label class="opsbook-builder-choice"><input type="{kind}" name="{fid}" '
                     f'id="{fid}-{n}" value="{_e(key)}"{checked}> {_e(label(lang))}</label>')
    kind_name = "list" if kind == "checkbox" else "bool" if question.fact.type == "bool" else "choice"
    return (f'<fieldset class="opsbook-builder-field" data-fact="{_e(question.id)}" data-kind="{kind_name}" '
            f'id="{fid}" aria-describedby="{described}"><legend>{_label(question, lang)}</legend>'
            f'{help_parts[0]}<div class="opsbook-builder-choices">{"".join(boxes)}</div>{help_parts[1]}</fieldset>')


def _input(question: Question, lang: str) -> str:
    fid, (help_parts, described) = field_id(question), _described(question, lang)
    kind = question.fact.type
    mode = ' inputmode="decimal"' if kind in ("integer", "number") else ""
    extra = ' autocomplete="country"' if kind == "country" else ' autocomplete="organization"' if (
        question.id == "client.name") else ""
    required = ' aria-required="true"' if question.fact.required else ""
    return (f'<div class="opsbook-builder-field" data-fact="{_e(question.id)}" data-kind="text">'
            f'<label for="{fid}-input">{_label(question, lang)}</label>{help_parts[0]}'
            f'<input type="text" id="{fid}-input" name="{fid}" value="{_e(_value_text(question.default))}"'
            f'{mode}{extra}{required} data-default="{_e(kind)}" aria-describedby="{described}">'
            f'{help_parts[1]}</div>')


def _question(question: Question, lang: str) -> str:
    if not question.asked:  # the plan language: the page's
        return (f'<input type="hidden" data-fact="{_e(question.id)}" data-kind="hidden" '
                f'value="{_e(_value_text(question.default))}">')
    kind = question.fact.type
    if kind in ("enum", "bool"):
        return _choices(question, lang, "radio")
    if kind == "list":
        return _choices(question, lang, "checkbox")
    return _input(question, lang)


def _questions(kb: KB, lang: str, today: dt.date) -> Iterator[str]:
    group: list[str] = []
    heading = None
    for question in questions(kb, lang, today):
        if question.intro is not None:
            heading = question.intro
        if heading is not None and question.id.startswith("kpis."):
            group.append(_question(question, lang))
            continue
        if group and heading is not None:
            yield _group(heading.label(lang), heading.help(lang), group)
            group, heading = [], None
        yield _question(question, lang)
    if group and heading is not None:
        yield _group(heading.label(lang), heading.help(lang), group)


def _group(title: str, help_text: str, fields: list[str]) -> str:
    return (f'<fieldset class="opsbook-builder-group"><legend>{_e(title)}</legend>'
            f'<p class="opsbook-builder-help">{_e(help_text)}</p>{"".join(fields)}</fieldset>')


def _downloads(lang: str) -> str:
    words = WORDS[lang]
    buttons = "".join(f'<li><button type="button" class="md-button" data-download="{fmt}" '
                      f'data-filename="{name}">{_e(words[key])}</button></li>' for fmt, key, name in DOWNLOADS)
    return (f'<section class="opsbook-builder-downloads" aria-labelledby="opsbook-builder-downloads">'
            f'<h2 id="opsbook-builder-downloads">{_e(words["downloads"])}</h2><ul>{buttons}</ul>'
            f'<label for="opsbook-builder-share">{_e(words["share"])}</label>'
            f'<input type="text" id="opsbook-builder-share" readonly> '
            f'<button type="button" class="md-button" data-copy>{_e(words["copy"])}</button></section>')


def page(kb: KB, lang: str, today: dt.date, depth: int) -> str:
    """The builder page's Markdown (its body is HTML) in `lang`; `depth`: how many folders
    below the site root it sits, for the relative links to its script and assets."""
    words, up = WORDS[lang], "../" * depth
    strings = html.escape(_json(words | {"lang": lang}), quote=True)
    fields = "\n".join(_questions(kb, lang, today))
    return f"""# {words["title"]}

{words["intro"]}

<link rel="stylesheet" href="{up}{STYLE}">
<div class="opsbook-builder" data-assets="{up}{ASSETS}" data-words="{strings}">
<form class="opsbook-builder-form" novalidate aria-describedby="opsbook-builder-status">
{fields}
<p class="opsbook-builder-summary" role="alert" tabindex="-1" hidden></p>
<button type="submit" class="md-button md-button--primary">{_e(words["submit"])}</button>
</form>
<p id="opsbook-builder-status" class="opsbook-builder-status" role="status" aria-live="polite"></p>
<section class="opsbook-builder-result" aria-labelledby="opsbook-builder-result" hidden>
<h2 id="opsbook-builder-result" tabindex="-1">{_e(words["result"])}</h2>
{_downloads(lang)}
<p>{_e(words["ticks"])}</p>
<div class="opsbook-builder-plan"></div>
</section>
</div>
<script type="module" async src="{up}{SCRIPT}"></script>
"""


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)
