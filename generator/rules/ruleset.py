"""The rules in force for one plan: a light module, so a cached playbook loads without
the validation code."""

from __future__ import annotations

from generator.core.records import record
from generator.kb.model import Item
from generator.rules.model import Rule


@record
class RuleSet:
    """The rules in force for one plan, with the layers they came from."""

    rules: tuple[Rule, ...]
    layers: tuple[str, ...]
    items: tuple[Item, ...]  # client-only checklist items from overlays
    digest: str
