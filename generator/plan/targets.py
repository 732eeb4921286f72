"""KPI targets: for each KPI the plan sets out to move, its current value, the level to reach,
the date to reach it by, and the rule that set them.

Which KPIs. Those a rule in the plan flagged: one of the rule's conditions compared the KPI's
value with a level (`lt`, `le`, `gt`, `ge`, not under a `not`), it held for this client, and the
rule put work in the plan. These are the KPIs the plan acts on, and what a consultant sets
targets for. A KPI a step merely lists ("KPIs to watch") is measured along the way, not
targeted; a KPI a rule only tests for presence (`exists`) has no value to move from yet, and a
comparison under `not` is a guard saying the value is fine.

The target. The level at which no rule in the plan flags the KPI any more: the far side of the
strictest level flagged. A margin below both its industry's warning and critical levels aims
for the warning level, out of the warning zone and not merely out of the critical one. The
rules hold each KPI's levels (per industry, and a client overlay's own), so the target is the
level that made the plan act for this client, whichever layer set it. It comes with its
comparison: `ge 0.2` for a margin flagged `lt 0.2`; `le 0.9` for capacity use flagged `gt 0.9`
(the high side of its band). A rule's plain comparison of a KPI is read as a flag on the KPI's
bad side; `opsbook lint` warns about a rule that compares a KPI on its good side, which states
that as a guard (`not: {fact: kpis.market_share, lt: 0.3}`) and sets no target.

The date. The due date of the work the setting rule put in the plan for this KPI: its items
whose step watches the KPI (all its items, when none does), the latest of them, since the KPI can
be expected at its level once that work is done. One-off items count before routines: a routine's
due date is only its first occurrence, and the routine keeps the KPI at its level afterwards. The
target names that item. Where several rules flag the same strictest level, the one whose work ends
last sets the date.

Everything comes from the plan itself (its items, the reasons they carry, its facts), so a plan
built anywhere, or read back, has the same targets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from generator.plan.model import PlanItem, Reason, Target
from generator.rules.operators import OPERATORS

if TYPE_CHECKING:
    from generator.plan.model import Plan


def _bound(op: str) -> tuple[str, bool]:
    """(`low`|`high`, open) of an operator comparing with a level, from the operator table."""
    bound = OPERATORS[op].bound
    assert bound is not None, f"operator {op} compares with no level"
    return bound


PREFIX = "kpis."
# A flag `value op level` (an operator with a numeric bound: lt le gt ge) is cleared when the
# value is `NEGATED[op]` the level: the operator's opposite in the operator table.
NEGATED: Mapping[str, str] = {name: op.opposite for name, op in OPERATORS.items()
                              if op.bound is not None and op.opposite is not None}
RAISE = tuple(name for name in NEGATED if _bound(name)[0] == "low")  # targets that ask for a higher value


class Flag(NamedTuple):
    """A rule's comparison of a KPI that held: the target it implies, and the rule."""

    kpi: str
    op: str  # the target's comparison, the negation of the rule's
    level: float
    reason: Reason


def _flags(reason: Reason) -> Iterable[Flag]:
    for match in reason.matched:
        level = match.value
        if (match.fact.startswith(PREFIX) and match.op in NEGATED and isinstance(level, int | float)
                and not isinstance(level, bool)):
            yield Flag(match.fact.removeprefix(PREFIX), NEGATED[match.op], level, reason)


def _strictness(flag: Flag) -> tuple[float, bool]:
    """Larger is stricter: a higher level to rise to, a lower level to fall to; `gt` over `ge` (an open bound)."""
    side, open_ = _bound(flag.op)
    return (flag.level if side == "low" else -flag.level), open_


def _due_item(kpi: str, items: Sequence[PlanItem]) -> PlanItem:
    """The item whose due date is the target's: the latest one-off work on this KPI (a routine's
    due date is only its first occurrence, so routines count only for a rule that adds no other work)."""
    acting = [i for i in items if kpi in i.kpis] or list(items)
    once = [i for i in acting if i.recurrence is None] or acting
    return max(once, key=lambda i: i.due)  # max keeps the first of equal dates: playbook order


def _target(plan: Plan, flags: Sequence[Flag], work: dict[str, list[PlanItem]]) -> Target:
    strictest = max(_strictness(f) for f in flags)
    setters = [f for f in flags if _strictness(f) == strictest]
    dated = [(_due_item(f.kpi, work[f.reason.rule]), f) for f in setters]
    item, flag = min(dated, key=lambda pair: (-pair[0].due.toordinal(), pair[1].reason.rule))  # latest, then by id
    current = plan.facts.get(PREFIX + flag.kpi)
    value = current if isinstance(current, int | float) and not isinstance(current, bool) else None
    return Target(flag.kpi, value, flag.op, flag.level, item.due, flag.reason.rule, flag.reason.layer,
                  flag.reason.title, item.id)


def plan_targets(plan: Plan) -> tuple[Target, ...]:
    """The plan's KPI targets, the soonest first (then by KPI)."""
    work: dict[str, list[PlanItem]] = {}
    reasons: dict[str, Reason] = {}
    for item in plan.items:
        for reason in item.because:
            work.setdefault(reason.rule, []).append(item)
            reasons.setdefault(reason.rule, reason)
    sides: dict[tuple[str, bool], list[Flag]] = {}
    for reason in reasons.values():
        for flag in _flags(reason):
            sides.setdefault((flag.kpi, flag.op in RAISE), []).append(flag)
    found = [_target(plan, flags, work) for flags in sides.values()]
    return tuple(sorted(found, key=lambda t: (t.date, t.kpi, t.op)))
