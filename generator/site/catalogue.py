"""The rule catalogue: every rule of the base layer, grouped by the file (theme) it is written
in, with its description, when it applies (in words), what it adds and where it is defined."""

from __future__ import annotations

from collections.abc import Iterator
from posixpath import basename, splitext

from generator.render.plan_labels import PRIORITY_NAMES
from generator.rules.model import Rule
from generator.site import paths
from generator.site.conditions import describe, fact_label, value_text
from generator.site.escape import md
from generator.site.markup import Ctx, bullets, heading, join, search_boost
from generator.site.page import Page, SiteData
from generator.site.page_labels import vocab
from generator.words import section, word


def theme(file: str, lang: str) -> str:
    """The heading of a rule file's group: `客户服务` for `rules/base/customer-service.yaml`."""
    stem = splitext(basename(file))[0]
    themes = section(lang, "theme")  # rule files named after something other than a domain of the KB
    if stem in themes:
        return themes[stem]
    name = vocab(stem.replace("-", "_"), lang)
    return name[:1].upper() + name[1:]


def where(rule: Rule) -> str:
    return f"{rule.location[0]}:{rule.location[1]}" if rule.location else rule.layer


def _target(ctx: Ctx, target: str) -> str:
    """An included or excluded step (all its items) or item, linked to its step page."""
    if target in ctx.kb.step_by_id:
        return ctx.step(target) + ("" if ctx.lang == "zh" else " ") + md(ctx.word("whole_step"))
    item = ctx.kb.item_by_id.get(target)
    if item is None:
        return f"`{target}`"  # an overlay's own item: no page of its own
    return ctx.a(item.title(ctx.lang), paths.step(ctx.kb.step_by_id[item.step]))


def _effects(ctx: Ctx, rule: Rule) -> list[str]:
    then, lines = rule.then, []
    for key, targets in (("include", then.include), ("exclude", then.exclude)):
        if targets:
            lines.append(ctx.pair(f"**{md(ctx.word(key))}**", ctx.listing(_target(ctx, t) for t in targets)))
    if then.priority:
        lines.append(ctx.pair(f"**{md(ctx.word('priority'))}**", md(PRIORITY_NAMES[ctx.lang][then.priority])))
    if then.set:
        sets = (ctx.a(fact_label(ctx.kb, fact, ctx.lang), paths.FACTS, paths.anchor("fact", fact))
                + " = " + md(value_text(ctx.kb, fact, value, ctx.lang)) for fact, value in then.set)
        lines.append(ctx.pair(f"**{md(ctx.word('sets'))}**", ctx.listing(sets)))
    return lines


def entry(ctx: Ctx, rule: Rule) -> str:
    """One rule: title, ID and location, description, condition in words, effects."""
    title = rule.title_en if ctx.lang == "en" else rule.title_zh
    description = rule.description_en if ctx.lang == "en" else rule.description_zh
    meta = f"`{rule.id}` · " + ctx.pair(md(ctx.word("defined_in")), f"`{where(rule)}`")
    when = ctx.pair(f"**{md(ctx.word('when'))}**", md(describe(rule.when, ctx.kb, ctx.lang)))
    return join(heading(3, md(title or rule.id), paths.anchor("rule", rule.id)), meta,
                md(description), bullets([when, *_effects(ctx, rule)])).rstrip()


def pages(data: SiteData, lang: str) -> Iterator[Page]:
    if not data.rules:
        return  # a playbook without rules/ has no catalogue
    ctx = Ctx(data.kb, lang, paths.RULES)
    title = ctx.word("rules")
    groups: dict[str, list[Rule]] = {}
    for rule in data.rules:
        groups.setdefault(rule.location[0] if rule.location else rule.layer, []).append(rule)
    intro = word(lang, "intro.catalogue").format(facts=paths.link(paths.RULES, paths.FACTS), n=len(data.rules))
    blocks = [search_boost(0.3) + heading(1, md(title)), intro]
    for file, rules in groups.items():
        blocks.append(heading(2, f"{md(theme(file, lang))} `{basename(file)}`"))
        blocks += [entry(ctx, rule) for rule in rules]
    yield Page(paths.RULES, title, join(*blocks), (ctx.word("reference"),))
