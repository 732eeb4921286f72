"""Rule sets: the model, the compiled durable_rules engine, and the reference evaluator."""

from generator.rules.engine import Engine
from generator.rules.model import (
    Action,
    All,
    Any_,
    Condition,
    Leaf,
    Not,
    Op,
    Rule,
    condition_from_data,
    rule_from_data,
)
from generator.rules.reference import evaluate_reference
from generator.rules.results import Evaluation, Firing, Match, RuleError
from generator.rules.semantics import Explanation, explain, holds

__all__ = [
    "Action",
    "All",
    "Any_",
    "Condition",
    "Engine",
    "Evaluation",
    "Explanation",
    "Firing",
    "Leaf",
    "Match",
    "Not",
    "Op",
    "Rule",
    "RuleError",
    "condition_from_data",
    "evaluate_reference",
    "explain",
    "holds",
    "rule_from_data",
]
