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

WORDS = {
    "zh": {"in": "在计划中", "not_in": "不在计划中", "because": "原因", "excluded": "被以下规则排除（排除优先于加入）",
           "could": "可能加入它的规则", "failed": "未满足", "change": "能让它进入计划的最小改动",
           "none": "没有规则会加入它", "nochange": "在三处以内的事实改动中找不到能让它进入计划的组合",
           "now": "当前", "absent": "未填写", "remove": "删除", "fired": "已触发的规则", "items": "项",
           "priority": "优先级", "due": "截止", "owner": "负责人", "always": "始终适用",
           "start": "开始", "effort": "工作量（人天）", "covers": "代行角色",
           "timing": "排期", "first": "计划开始后第一个工作日即可开始，没有前置事项",
           "after": "等前置事项 `{id}` 在 {due} 完成后才能开始",
           "busy": "{owner} 的时间先排给了更紧急或更靠前的事项，所以比前置条件允许的时间晚开始",
           "long": "长期事项，在计划开始 90 天后才排入",
           "span": "{owner} 每个工作日可投入 {capacity} 人天，{effort} 人天的工作在 {due} 完成"},
    "en": {"in": "is in the plan", "not_in": "is not in the plan", "because": "because",
           "excluded": "excluded by (exclude wins over include)",
           "could": "rules that could include it", "failed": "failed",
           "change": "smallest change to the facts that includes it",
           "none": "no rule includes it", "nochange": "no change of up to three facts includes it",
           "now": "now", "absent": "not given", "remove": "remove", "fired": "rules that fired", "items": "items",
           "priority": "priority", "due": "due", "owner": "owner", "always": "always applies",
           "start": "starts", "effort": "effort (person-days)", "covers": "covering for",
           "timing": "timing", "first": "can start on the plan's first working day: nothing comes before it",
           "after": "waits for `{id}`, due {due}",
           "busy": "{owner}'s time goes to more urgent or earlier work first, so it starts later than its inputs allow",
           "long": "long-horizon work: scheduled from 90 days after the start",
           "span": "{owner} gives {capacity} person-days a working day; its {effort} person-days end on {due}"},
}


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
