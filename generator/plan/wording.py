"""How a condition that held (or failed) is said to a person: `kpis.complaint_rate = 0.068 > 0.03`.

The symbols and the shapes of each operator live in the operator table (rules/operators.py).
"""

from __future__ import annotations

from generator.rules.operators import OPERATORS, show_value, shown

OPS = {name: op.symbol for name, op in OPERATORS.items() if op.symbol is not None}
show = show_value


def condition(fact: str, op: str, value: object, actual: object) -> str:
    """What held, with the actual value: `kpis.complaint_rate = 0.068 > 0.03`."""
    return shown(fact, op, value, actual)
