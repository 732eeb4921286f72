"""The reference evaluator: the rule semantics in plain Python.

It defines what the compiled engine must compute, is the oracle of the differential
test, and answers "why not" (`explain`) for rules that did not fire.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from generator.rules.meaning.chaining import Outcome, settle
from generator.rules.meaning.derived_order import schedule
from generator.rules.meaning.results import Evaluation, Firing
from generator.rules.meaning.semantics import Explanation, explain, holds, matched
from generator.rules.model import Rule

__all__ = ["Explanation", "evaluate_reference", "evaluation", "explain", "holds"]


def evaluate_reference(rules: Sequence[Rule], facts: Mapping[str, object]) -> Evaluation:
    rules = tuple(rules)
    levels = schedule(rules)

    def fire(index: int, current: Mapping[str, object]) -> set[int]:
        return {r for r in levels[index].rules if holds(rules[r].when, current)}

    return evaluation(rules, settle(rules, levels, facts, fire))


def evaluation(rules: Sequence[Rule], outcome: Outcome) -> Evaluation:
    """The Evaluation of a settled outcome, explaining each fired rule from the final facts."""
    # Final facts suffice: whatever a rule reads is set at its level or below.
    fired = tuple(Firing(rules[i].id, rules[i].layer, matched(rules[i].when, outcome.facts)) for i in outcome.fired)
    return Evaluation(fired, outcome.derived)
