"""The JSON plan (the `opsbook-plan/1` contract; its schema ships as plan.schema.json)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.plan.model import FORMAT, Plan, PlanItem, Reason, Target
from generator.render.indented_json import dumps


def _jsonable(value: object) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _reason(reason: Reason) -> dict[str, Any]:
    return {"rule": reason.rule, "layer": reason.layer, "title": reason.title,
            "matched": [{"fact": m.fact, "op": m.op, "value": _jsonable(m.value), "actual": _jsonable(m.actual)}
                        for m in reason.matched]}


def _item(item: PlanItem, reason: Callable[[Reason], dict[str, Any]]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": item.id, "step": item.step, "step_title": item.step_title, "phase": item.phase,
        "domain": item.domain, "title": item.title, "done_when": item.done_when, "owner": item.owner,
        "owner_title": item.owner_title,
    }
    if item.owner_role != item.owner:
        record["owner_role"] = item.owner_role
        record["owner_role_title"] = item.owner_role_title
    record.update({
        "priority": item.priority, "horizon": item.horizon, "start": item.start.isoformat(),
        "due": item.due.isoformat(), "effort_days": item.effort, "recurrence": item.recurrence,
        "depends_on": list(item.depends_on), "kpis": list(item.kpis), "because": [reason(r) for r in item.because],
        "done": item.done,
    })
    return record


def _workload(plan: Plan) -> dict[str, Any]:
    load = plan.workload
    return {
        "calendar": {"country": load.country},
        "capacity": dict(load.capacity),
        "staffing": {"share": load.share, "people": dict(load.people)},
        "fit": {"short_horizon_by": load.first_90_days.isoformat(), "late_short_work": dict(load.late_short),
                "recurring_beyond_capacity": list(load.unsustained)},
    }


def _target(target: Target) -> dict[str, Any]:
    return {"kpi": target.kpi, "current": target.current, "op": target.op, "target": target.target,
            "date": target.date.isoformat(), "item": target.item, "rule": target.rule, "layer": target.layer,
            "title": target.title}


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    # One dict per reason, shared by every item it put in the plan: a rule that includes twenty
    # items is built once, and written once (the writer reuses the text of an object it has written).
    reasons: dict[int, dict[str, Any]] = {}

    def reason(r: Reason) -> dict[str, Any]:
        found = reasons.get(id(r))
        if found is None:
            found = reasons[id(r)] = _reason(r)
        return found

    client: dict[str, Any] = {"name": plan.client_name}
    if plan.client_note:
        client["note"] = plan.client_note
    return {
        "format": FORMAT,
        "client": client,
        "start_date": plan.start_date.isoformat(),
        "lang": plan.lang,
        "layers": list(plan.layers),
        "kb_digest": plan.kb_digest,
        "facts": {k: _jsonable(v) for k, v in plan.facts.items()},
        "derived": {k: _jsonable(v) for k, v in plan.derived.items()},
        **_workload(plan),
        "targets": [_target(t) for t in plan.targets],
        "items": [_item(i, reason) for i in plan.items],
        "excluded": [{"id": e.id, "title": e.title, "excluded_by": [reason(r) for r in e.excluded_by]}
                     for e in plan.excluded],
    }


def render(plan: Plan) -> bytes:
    """The plan as `json.dumps(..., ensure_ascii=False, indent=2)` writes it (the bytes are the contract)."""
    return (dumps(plan_to_dict(plan)) + "\n").encode("utf-8")
