"""Client plan pages: an overview of the published clients, and one page per client with
its facts, its timeline (timeline.py: a Gantt chart per phase), its checklist by the time
window items start in (each window a block that opens and closes; ticks are kept in the
browser and exported for `opsbook plan --update`, see checklists.js), and why each item is
there: the rules that fired and what they matched."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from html import escape

from generator.plan.model import PRIORITY_RANK, Plan, PlanItem, Reason
from generator.plan.wording import condition
from generator.render.plan_labels import LABELS, PRIORITY_NAMES, RECURRENCE_NAMES, dates
from generator.render.windows import WINDOWS, by_start, window_of
from generator.site import paths, timeline
from generator.site.checklist import BREAK, title
from generator.site.conditions import fact_label, value_text
from generator.site.escape import md
from generator.site.markup import Ctx, bullets, heading, join, table
from generator.site.page import ClientPlan, Page, SiteData
from generator.site.page_labels import label
from generator.words import word

# Client plans repeat the playbook's checklist items: kept out of the search index so that a
# search finds the playbook's own pages first (the overview page, with the names, stays in).
NO_SEARCH = "---\nsearch:\n  exclude: true\n---\n\n"


def _code(text: str) -> str:
    """Inline code on one line (a line break could start a block inside the list item)."""
    return "`" + " ".join(text.replace("`", "'").split()) + "`"


def reason(ctx: Ctx, why: Reason, catalogued: frozenset[str]) -> str:
    """A rule (linked to the catalogue when it is there) and the facts it matched."""
    if why.layer == "base" and why.rule in catalogued:
        rule = ctx.a(why.title, paths.RULES, paths.anchor("rule", why.rule))
    else:
        rule = f"{md(why.title)} {_code(why.layer)}"
    held = ctx.listing(_code(condition(m.fact, m.op, m.value, m.actual)) for m in why.matched)
    held = held or md(ctx.word("always"))
    return word(ctx.lang, "page.aside").format(text=rule, aside=held)


def task(ctx: Ctx, item: PlanItem, catalogued: frozenset[str]) -> str:
    """One item: its checkbox and title; its step, owner, dates and priority; why it is there."""
    meta = [ctx.pair(md(ctx.word("step")), ctx.step(item.step)) if item.step in ctx.kb.step_by_id
            else ctx.pair(md(ctx.word("step")), md(item.step_title)),
            ctx.pair(md(ctx.word("owner")), ctx.role(item.owner)),
            ctx.pair(md(ctx.word("dates")), dates(ctx.lang, item.start, item.due)),
            ctx.pair(md(ctx.word("priority")), md(PRIORITY_NAMES[ctx.lang][item.priority]))]
    if item.recurrence:
        meta.append(ctx.pair(md(ctx.word("repeats")), md(RECURRENCE_NAMES[ctx.lang][item.recurrence])))
    why = " · ".join(reason(ctx, r, catalogued) for r in item.because)
    box = "x" if item.done else " "
    return BREAK.join([f"- [{box}] {title(md(item.title), item.id)}", " · ".join(meta),
                       f'<span class="opsbook-why">{ctx.pair(md(ctx.word("why")), why)}</span>'])


def _indent(text: str) -> str:
    return "\n".join("    " + line if line else "" for line in text.split("\n"))


def window_title(plan: Plan, n: int, count: int) -> str:
    """`前 30 天（2027-01-04 至 2027-02-02）· 45 项`: a window of the plan and its items."""
    key, end = WINDOWS[n]
    begin = plan.start_date + timedelta(days=WINDOWS[n - 1][1] or 0 if n else 0)
    words = LABELS[plan.lang]
    if end is None:
        span = words["from"].format(first=begin.isoformat())
    else:
        span = dates(plan.lang, begin, plan.start_date + timedelta(days=end - 1))
    counted = label("n_items", plan.lang).format(n=count)
    return words["span"].format(name=words[key], span=span) + f" · {counted}"


def checklist(ctx: Ctx, plan: Plan, catalogued: frozenset[str]) -> str:
    """The items by the time window they start in (soonest first), each window a block that
    opens and closes; the first is open."""
    blocks: list[str] = []
    for n in range(len(WINDOWS)):
        mine = by_start(i for i in plan.items if window_of(plan, i) == n)
        if not mine:
            continue
        head = "???+" if not blocks else "???"
        tasks = "\n\n".join(task(ctx, item, catalogued) for item in mine)
        summary = window_title(plan, n, len(mine)).replace('"', "'")
        blocks.append(f'{head} note opsbook-window "{summary}"\n\n{_indent(tasks)}')
    return "\n\n".join(blocks)


def facts_table(ctx: Ctx, plan: Plan) -> str:
    """The given facts in vocabulary order (KPIs by name), and the derived ones, marked."""
    kb, rows = ctx.kb, []
    for fact in kb.facts:
        if fact.type == "kpis":
            rows += [[ctx.kpi(kpi.id), md(value_text(kb, f"kpis.{kpi.id}", plan.facts[f"kpis.{kpi.id}"], ctx.lang))]
                     for kpi in kb.kpis if f"kpis.{kpi.id}" in plan.facts]
            continue
        value = plan.derived.get(fact.id) if fact.derived else plan.facts.get(fact.id)
        if value is None or fact.id in ("client.name", "client.note"):
            continue
        name = ctx.a(fact.label(ctx.lang), paths.FACTS, paths.anchor("fact", fact.id))
        shown = md(value_text(kb, fact.id, value, ctx.lang, in_sentence=False))
        rows.append([name + (f" *{md(ctx.word('derived'))}*" if fact.derived else ""), shown])
    return table([md(ctx.word("fact")), md(ctx.word("value"))], rows)


def _summary(ctx: Ctx, client: ClientPlan, plan: Plan) -> str:
    counts = Counter(item.priority for item in plan.items)
    by_priority = ctx.listing(f"{md(PRIORITY_NAMES[ctx.lang][p])} {counts[p]}"
                              for p in sorted(counts, key=PRIORITY_RANK.__getitem__))
    total = md(ctx.word("n_items").format(n=len(plan.items)))
    parts = [ctx.pair(md(ctx.word("start")), plan.start_date.isoformat()),
             ctx.pair(md(ctx.word("items")), word(ctx.lang, "page.aside").format(text=total, aside=by_priority)),
             ctx.pair(md(ctx.word("layers")), ctx.listing(_code(layer) for layer in plan.layers)),
             ctx.pair(md(ctx.word("facts_file")), _code(client.source))]
    return "  \n".join(parts)


def fired(ctx: Ctx, plan: Plan, catalogued: frozenset[str]) -> str:
    """Every rule that put items in the plan, with what it matched and how many items."""
    counts: Counter[str] = Counter()
    first: dict[str, Reason] = {}
    for item in plan.items:
        for why in item.because:
            counts[why.rule] += 1
            first.setdefault(why.rule, why)
    n_items = ctx.word("n_items")
    return bullets(f"{reason(ctx, why, catalogued)} → {md(n_items.format(n=counts[rule]))}"
                   for rule, why in first.items())


def excluded(ctx: Ctx, plan: Plan, catalogued: frozenset[str]) -> str:
    return bullets(ctx.pair(f"{md(gone.title)} {_code(gone.id)} — {md(ctx.word('excluded_by'))}",
                            ctx.listing(reason(ctx, r, catalogued) for r in gone.excluded_by))
                   for gone in plan.excluded)


def _timeline(ctx: Ctx, plan: Plan) -> str:
    charts = [join(heading(3, ctx.phase(c.phase)) if c.phase in ctx.kb.phase_by_id else heading(3, md(c.title)),
                   c.body).rstrip() for c in timeline.charts(plan)]
    return join(word(ctx.lang, "intro.timeline"), *charts).rstrip()


def progress_tools(client: ClientPlan, lang: str) -> str:
    """Where checklists.js puts the count of ticked items and the export button; it says
    which client the ticks on this page belong to."""
    file = f"{client.slug}-ticks.md"
    command = _code(f"opsbook plan {client.source} -o {file} --update")
    note = label("ticks_note", lang).format(file=_code(file), command=command)
    tools = f'<div class="opsbook-progress" data-client="{escape(client.slug)}" data-file="{escape(file)}"></div>'
    return f"{tools}\n\n{note}"



def plan_page(data: SiteData, client: ClientPlan, lang: str) -> Page:
    path = paths.plan(client.slug)
    ctx = Ctx(data.kb, lang, path)
    plan = client.plans[lang]
    catalogued = frozenset(rule.id for rule in data.rules)
    content = join(
        NO_SEARCH + heading(1, md(plan.client_name)), md(plan.client_note), _summary(ctx, client, plan),
        heading(2, md(ctx.word("client_facts"))), facts_table(ctx, plan),
        heading(2, md(ctx.word("timeline"))), _timeline(ctx, plan),
        heading(2, md(ctx.word("checklist"))), progress_tools(client, lang), checklist(ctx, plan, catalogued),
        heading(2, md(ctx.word("fired"))), fired(ctx, plan, catalogued),
        heading(2, md(ctx.word("excluded"))) if plan.excluded else "", excluded(ctx, plan, catalogued),
    )
    return Page(path, plan.client_name, content, (ctx.word("plans"),))


def index_page(data: SiteData, lang: str) -> Page:
    ctx = Ctx(data.kb, lang, paths.PLANS)
    title = ctx.word("plans")
    rows = []
    for client in data.plans:
        plan = client.plans[lang]
        urgent = sum(item.priority in ("critical", "high") for item in plan.items)
        given = [plan.facts.get(fact) for fact in ("industry", "stage")]
        rows.append([ctx.a(plan.client_name, paths.plan(client.slug)),
                     *(md(value_text(data.kb, fact, value, lang, in_sentence=False)) if value is not None else "–"
                       for fact, value in zip(("industry", "stage"), given, strict=True)),
                     str(len(plan.items)), str(urgent), plan.start_date.isoformat()])
    headers = [md(ctx.word("client")), md(fact_label(data.kb, "industry", lang)),
               md(fact_label(data.kb, "stage", lang)), *(md(ctx.word(k)) for k in ("items", "urgent", "start"))]
    content = join(heading(1, md(title)), word(lang, "intro.plans"), table(headers, rows, 3))
    return Page(paths.PLANS, title, content, (title,))


def pages(data: SiteData, lang: str) -> Iterator[Page]:
    if not data.plans:
        return
    yield index_page(data, lang)
    for client in data.plans:
        yield plan_page(data, client, lang)
