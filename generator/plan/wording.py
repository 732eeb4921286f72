"""How a condition that held (or failed) is said to a person: `kpis.complaint_rate = 0.068 > 0.03`."""

from __future__ import annotations

OPS = {"eq": "=", "ne": "≠", "lt": "<", "le": "≤", "gt": ">", "ge": "≥", "in": "∈", "not_in": "∉"}
NEGATED = {"eq": "ne", "ne": "eq", "lt": "ge", "le": "gt", "gt": "le", "ge": "lt", "in": "not_in",
           "not_in": "in"}


def show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, float) and value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return "—" if value is None else str(value)


def condition(fact: str, op: str, value: object, actual: object) -> str:
    """What held, with the actual value: `kpis.complaint_rate = 0.068 > 0.03`."""
    negated = op.startswith("not ")
    op = op.removeprefix("not ")
    if op == "exists":
        return f"{fact} {'exists' if bool(value) != negated else 'absent'}"
    if op in ("contains", "contains_any"):
        wanted = value if isinstance(value, list | tuple) else [value]
        have = actual if isinstance(actual, list | tuple) else []
        if negated:
            return f"{fact} = {show(have)} ∌ {show(wanted if len(wanted) > 1 else wanted[0])}"
        common = [v for v in wanted if v in have]
        return f"{fact} ∋ {show(common if len(common) > 1 else common[0] if common else wanted)}"
    if negated:
        op = NEGATED[op]
    if op == "eq":
        return f"{fact} = {show(actual)}"
    return f"{fact} = {show(actual)} {OPS[op]} {show(value)}"
