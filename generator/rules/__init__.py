"""Rule sets. Authoring here (the model, the operator table, checks, layers and overlays), what
rules mean in meaning/ (shared by both back ends), and the back ends behind one interface
(backends.py): durable/ (durable_rules) and python/ (plain Python functions).

The names below load on first use (PEP 562), so importing one small module of this
package (say `generator.rules.meaning.results`) does not import the engine and its compiler.
"""

from __future__ import annotations

import importlib
from typing import Any

_HOME = {
    "Engine": "durable.engine",
    "Action": "model", "All": "model", "Any_": "model", "Condition": "model", "Leaf": "model", "Not": "model",
    "Op": "model", "Rule": "model", "condition_from_data": "model", "rule_from_data": "model",
    "evaluate_reference": "meaning.reference",
    "Evaluation": "meaning.results", "Firing": "meaning.results", "Match": "meaning.results",
    "RuleError": "meaning.results",
    "Explanation": "meaning.semantics", "explain": "meaning.semantics", "holds": "meaning.semantics",
}
__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
