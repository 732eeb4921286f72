"""Checklist items as Markdown task lists (`- [ ] ...`), on step pages and role pages."""

from __future__ import annotations

from collections.abc import Iterable

from generator.kb.model import Item
from generator.site import paths
from generator.site.escape import md
from generator.site.markup import Ctx
from generator.site.page_labels import vocab

BREAK = "  \n    "  # a hard line break that stays inside the list item


def due(ctx: Ctx, item: Item) -> str:
    """`第 7 天（从计划开始日起）`: the KB's due is a day count from the plan's start."""
    return md(ctx.word("day").format(n=item.due_days))


def title(text: str, item_id: str) -> str:
    """A task's bold title carrying its item ID, which the checkbox is keyed and named by
    (generator/site/tasks.py moves it there)."""
    return f'**{text}**{{ data-item="{item_id}" }}'


def task(ctx: Ctx, item: Item, with_step: bool = False) -> str:
    """One unchecked task: the title, then owner, due day, cadence, definition of done,
    evidence and the items it comes after."""
    facts = [ctx.pair(md(ctx.word("owner")), ctx.role(item.owner)),
             ctx.pair(md(ctx.word("due")), due(ctx, item)),
             ctx.pair(md(ctx.word("cadence")), md(vocab(item.cadence, ctx.lang)))]
    if with_step:
        facts.insert(0, ctx.pair(md(ctx.word("step")), ctx.step(item.step)))
    lines = [f"- [ ] {title(ctx.t(item.title), item.id)}", " · ".join(facts),
             ctx.pair(md(ctx.word("done_when")), ctx.t(item.done_when))]
    if item.evidence:
        lines.append(ctx.pair(md(ctx.word("evidence")), ctx.t(item.evidence)))
    if item.templates:
        links = (ctx.a(ctx.kb.template_by_id[t].title(ctx.lang), paths.TEMPLATES, paths.anchor("template", t))
                 for t in item.templates)
        lines.append(ctx.pair(md(ctx.word("templates")), ctx.listing(links)))
    if item.depends_on:
        after = ctx.listing(ctx.t(ctx.kb.item_by_id[i].title) for i in item.depends_on)
        lines.append(ctx.pair(md(ctx.word("depends_on")), after))
    if item.completion:
        lines.append(f"*{md(ctx.word('completion_note'))}*")
    return BREAK.join(lines)


def tasks(ctx: Ctx, items: Iterable[Item], with_step: bool = False) -> str:
    """A task list; items are separated by blank lines so each reads as a block."""
    return "\n\n".join(task(ctx, item, with_step) for item in items)
