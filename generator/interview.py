"""The interview: the fact questions, asked in the manager's language, answers checked
against the fact vocabulary and re-asked until valid."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.facts import normalise
from generator.kb.model import KB, Fact

Ask = Callable[[str], str]
Say = Callable[[str], None]
CORE_KPIS = ("retention_7d", "conversion_rate", "complaint_rate", "nps", "on_time_delivery",
             "gross_margin", "inventory_turnover", "churn_rate_monthly")
WORDS = {
    "zh": {"choose": "可多选，用逗号分隔编号或值", "pick": "输入编号或值", "optional": "可留空",
           "again": "无效：{hint}（{problem}）。请重新输入。", "kpis": "当前指标（可留空跳过）", "yesno": "是/否"},
    "en": {"choose": "several allowed: numbers or values separated by commas", "pick": "a number or a value",
           "optional": "may be left blank", "again": "Invalid: {problem}. Please answer again.{hint}",
           "kpis": "Current KPI values (leave blank to skip)", "yesno": "yes/no"},
}


# What a manager should type, said in their language (the problem itself names the value).
_HINTS = {
    "zh": {"enum": "请输入上面列出的编号、名称或值", "list": "请输入上面列出的编号、名称或值，用逗号或顿号分隔",
           "bool": "请回答 是 或 否", "integer": "请输入整数", "number": "请输入数字（比例写成小数，如 5% 写 0.05）",
           "date": "请按 年-月-日 输入，如 2027-01-04", "string": "请输入文字",
           "country": "请输入两个字母的国家或地区代码，如 CN、US、DE"},
    "en": {},
}


def _choices(fact: Fact, lang: str) -> list[str]:
    return [f"  {n}. {v.label(lang)} ({v.id})" for n, v in enumerate(fact.values, start=1)]


def _raw(fact: Fact, answer: str) -> Any:
    """Turn answers given by number or by label (in either language) into value IDs;
    lists are separated by commas (、 and ， too)."""
    labels = {label.casefold(): v.id for v in fact.values for label in (v.label.zh, v.label.en)}

    def pick(token: str) -> str:
        token = token.strip()
        if token.isdigit() and 1 <= int(token) <= len(fact.values):
            return fact.values[int(token) - 1].id
        return labels.get(token.casefold(), token)

    if fact.type == "list":
        return [pick(t) for t in answer.replace("，", ",").replace("、", ",").split(",") if t.strip()]
    return pick(answer) if fact.type == "enum" else answer


def _question(fact: Fact, lang: str, ask: Ask, say: Say) -> Any:
    words = WORDS[lang]
    say(f"\n{fact.label(lang)}: {fact.help(lang)}")
    if fact.values:
        say("\n".join(_choices(fact, lang)))
    hint = (
        words["choose"] if fact.type == "list"
        else words["pick"] if fact.values
        else words["yesno"] if fact.type == "bool"
        else ""
    )
    if not fact.required:
        hint = f"{hint}, {words['optional']}" if hint else words["optional"]
    while True:
        answer = ask(f"{fact.label(lang)}" + (f" [{hint}]" if hint else "")).strip()
        if not answer and not fact.required:
            return None
        value, problem = normalise(fact, _raw(fact, answer)) if answer else (None, "an answer is required")
        if problem is None:
            return list(value) if isinstance(value, tuple) else value
        say(words["again"].format(problem=problem, hint=_HINTS[lang].get(fact.type, "")))


def interview(kb: KB, lang: str, ask: Ask, say: Say) -> dict[str, Any]:
    """Ask every fact question; return the answers nested as a facts file."""
    facts: dict[str, Any] = {}
    for fact in kb.facts:
        if fact.derived:
            continue
        if fact.type == "kpis":
            facts.update(_kpis(kb, lang, ask, say))
            continue
        if fact.type == "team":
            continue  # people per role: optional, and given in the facts file (team_size answers the question)
        value = _question(fact, lang, ask, say)
        if value is None:
            continue
        target = facts
        *groups, leaf = fact.id.split(".")
        for group in groups:
            target = target.setdefault(group, {})
        target[leaf] = value
    return facts


def _kpis(kb: KB, lang: str, ask: Ask, say: Say) -> dict[str, Any]:
    say(f"\n{WORDS[lang]['kpis']}")
    values: dict[str, Any] = {}
    for kpi_id in CORE_KPIS:
        kpi = kb.kpi_by_id.get(kpi_id)
        if kpi is None:
            continue
        fact = Fact(f"kpis.{kpi.id}", "number", kpi.name, kpi.definition, (), kpi.min, kpi.max, False, False, (), False)
        value = _question(fact, lang, ask, say)
        if value is not None:
            values[kpi.id] = value
    return {"kpis": values} if values else {}
