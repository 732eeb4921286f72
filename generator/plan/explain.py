"""`explain`: why each item is in a plan, or why one is not and what would change that."""

from __future__ import annotations

from collections.abc import Iterator

from generator.core.errors import OpsbookError, suggest
from generator.facts.client import ClientFacts
from generator.plan.model import Plan, PlanItem, Reason
from generator.plan.playbook import Playbook
from generator.plan.whynot import candidates, misses, smallest_change
from generator.plan.wording import OPS, condition, show
from generator.render.plan_labels import PRIORITY_NAMES
from generator.rules.model import Rule
from generator.words import LANGS, section

# The words of the explanation (`explain.*` in the catalogues, generator/words).
WORDS = {lang: section(lang, "explain") for lang in LANGS}


def _where(rule: Rule) -> str:
    return f"{rule.location[0]}:{rule.location[1]}:{rule.location[2]}" if rule.location else rule.layer


def _reason_lines(reason: Reason, rule: Rule | None, lang: str) -> Iterator[str]:
    where = f", {_where(rule)}" if rule else ""
    yield f"  - {reason.rule} ({reason.layer}{where}): {reason.title}"
    for m in reason.matched:
        yield f"      {condition(m.fact, m.op, m.value, m.actual)}"
    if not reason.matched:
        yield f"      ({WORDS[lang]['always']})"


def explain_plan(playbook: Playbook, plan: Plan) -> list[str]:
    """Every rule that fired, what it matched, and how many items it put in the plan."""
    words = WORDS[plan.lang]
    rules = {r.id: r for r in playbook.ruleset.rules}
    counts: dict[str, int] = {}
    reasons: dict[str, Reason] = {}
    for item in plan.items:
        for reason in item.because:
            counts[reason.rule] = counts.get(reason.rule, 0) + 1
            reasons.setdefault(reason.rule, reason)
    lines = [f"{plan.client_name}: {len(plan.items)} {words['items']}", f"{words['fired']}:"]
    for rule_id, reason in reasons.items():
        lines += [f"{line}  [{counts[rule_id]} {words['items']}]" if i == 0 else line
                  for i, line in enumerate(_reason_lines(reason, rules.get(rule_id), plan.lang))]
    for gone in plan.excluded:
        lines.append(f"{gone.id} — {words['excluded']}: {', '.join(r.rule for r in gone.excluded_by)}")
    return lines


def explain_item(playbook: Playbook, facts: ClientFacts, plan: Plan, item_id: str) -> list[str]:
    words = WORDS[plan.lang]
    cat = playbook.catalogue
    if item_id not in cat.items and item_id not in cat.by_step:
        raise OpsbookError(f"unknown step or item `{item_id}`{suggest(item_id, [*cat.items, *cat.by_step])}")
    rules = {r.id: r for r in playbook.ruleset.rules}
    if item_id in cat.by_step:
        return [line for member in cat.by_step[item_id] for line in explain_item(playbook, facts, plan, member)]
    item = plan.item(item_id)
    title = cat.items[item_id].title(plan.lang)
    if item is not None:
        covers = f" ({words['covers']} {item.owner_role_title})" if item.owner_role != item.owner else ""
        priority = PRIORITY_NAMES[plan.lang][item.priority]
        head = [f"{item_id} — {title}", f"{words['in']}: {words['priority']} {priority}, "
                f"{words['start']} {item.start.isoformat()}, {words['due']} {item.due.isoformat()}, "
                f"{words['effort']} {item.effort:g}, {words['owner']} {item.owner_title}{covers}",
                f"{words['timing']}:", *_timing(plan, item, words), f"{words['because']}:"]
        return head + [line for r in item.because for line in _reason_lines(r, rules.get(r.rule), plan.lang)]
    return _why_not(playbook, facts, plan, item_id, title)


def _timing(plan: Plan, item: PlanItem, words: dict[str, str]) -> list[str]:
    """Why the item starts and ends when it does: the input it waits for, the owner's more
    urgent work, the long-horizon release, and the owner's time."""
    lines = []
    held = plan.item(item.held_by) if item.held_by else None
    if held is not None:
        lines.append("  - " + words["after"].format(id=held.id, due=held.due.isoformat()))
    elif item.horizon == "long" and item.start > plan.start_date:
        lines.append("  - " + words["long"])
    elif not item.waited:
        lines.append("  - " + words["first"])
    if item.waited:
        lines.append("  - " + words["busy"].format(owner=item.owner_title))
    capacity = plan.workload.capacity.get(item.owner, 0.0)
    lines.append("  - " + words["span"].format(owner=item.owner_title, capacity=f"{capacity:g}",
                                               effort=f"{item.effort:g}", due=item.due.isoformat()))
    return lines


def _why_not(playbook: Playbook, facts: ClientFacts, plan: Plan, item_id: str, title: str) -> list[str]:
    words = WORDS[plan.lang]
    cat = playbook.catalogue
    rules = playbook.ruleset.rules
    lines = [f"{item_id} — {title}", words["not_in"]]
    gone = next((g for g in plan.excluded if g.id == item_id), None)
    if gone is not None:
        lines.append(f"{words['excluded']}:")
        for reason in gone.excluded_by:
            lines += _reason_lines(reason, None, plan.lang)
    targets = candidates(cat, rules, item_id, cat.items[item_id].step)
    if not targets:
        return [*lines, words["none"]]
    lines.append(f"{words['could']}:")
    # what the rules saw: the client's facts and the facts the plan derived from them
    for miss in misses(targets, {**facts.values, **plan.derived}):
        lines.append(f"  - {miss.rule.id} ({miss.rule.layer}, {_where(miss.rule)}): "
                     f"{miss.rule.title_en if plan.lang == 'en' else miss.rule.title_zh}")
        for m in miss.failed:
            actual = words["absent"] if m.actual is None else show(m.actual)
            wanted = f"{m.fact} {OPS.get(m.op, m.op)} {show(m.value)}"
            lines.append(f"      {words['failed']}: {wanted} ({words['now']}: {actual})")
    change = smallest_change(playbook.kb, cat, rules, facts.values, item_id, targets)
    if change is None:
        return [*lines, words["nochange"]]
    lines.append(f"{words['change']}:")
    for fact, value in change:
        before = facts.values.get(fact)
        now = words["absent"] if before is None else show(before)
        after = words["remove"] if value is None else show(value)
        lines.append(f"  - {fact}: {now} -> {after}")
    return lines
