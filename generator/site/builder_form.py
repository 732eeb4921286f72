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

PATH = "builder/index.md"
SCRIPT = "assets/javascripts/builder.js"
STYLE = "stylesheets/builder.css"
ASSETS = "assets/builder/"

# One catalogue per language, same keys (a test checks both).
WORDS = {
    "zh": {
        "title": "计划生成器",
        "intro": "回答下面的问题，生成为你的业务定制、排好日期的行动计划。全部计算都在你的浏览器里完成："
                 "回答不会发送到任何地方。生成后可以下载与命令行 `opsbook plan` 完全相同的文件。",
        "submit": "生成计划", "loading": "正在载入计划引擎……", "computing": "正在生成计划……",
        "ready": "计划已生成：共 {count} 项。", "refused": "无法根据这些回答生成计划：",
        "fix": "请修改标出的 {count} 个问题后再生成。", "failed": "计划引擎无法载入：",
        "downloads": "下载", "share": "分享链接（回答保存在链接中，不会发送到服务器）", "copy": "复制链接",
        "copied": "链接已复制。", "facts_file": "事实文件（YAML）", "plan_json": "计划（JSON）",
        "plan_md": "计划（Markdown）", "plan_csv": "计划（CSV）", "plan_ics": "日历（ICS）",
        "result": "你的计划", "ticks": "勾选的事项保存在本浏览器中。", "none": "（不选）",
    },
    "en": {
        "title": "Plan builder",
        "intro": "Answer the questions below to get an action plan tailored to your business, with dates. "
                 "Everything is worked out in your browser: your answers are sent nowhere. The files you "
                 "can download afterwards are the same as `opsbook plan` writes.",
        "submit": "Build the plan", "loading": "Loading the plan engine…", "computing": "Building the plan…",
        "ready": "The plan is ready: {count} items.", "refused": "No plan can be made from these answers:",
        "fix": "Correct the {count} answers marked, then build again.", "failed": "The plan engine did not load:",
        "downloads": "Downloads", "share": "Link to share (the answers are in the link; no server sees them)",
        "copy": "Copy the link", "copied": "Link copied.", "facts_file": "Facts file (YAML)",
        "plan_json": "Plan (JSON)", "plan_md": "Plan (Markdown)", "plan_csv": "Plan (CSV)",
        "plan_ics": "Calendar (ICS)", "result": "Your plan", "ticks": "Ticked items are kept in this browser.",
        "none": "(none)",
    },
}
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
