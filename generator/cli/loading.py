"""Loading the playbook and a client's facts for the commands that plan."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from generator.facts import ClientFacts, load_facts
from generator.kb.documents import shown_path
from generator.plan.playbook import Playbook, load_playbook


def facts_and_playbook(
    facts: Path, kb_dir: Path, rules_dir: Path, overlays: Sequence[Path]
) -> tuple[Playbook, ClientFacts]:
    playbook = load_playbook(kb_dir, rules_dir, overlays)
    return playbook, load_facts(facts, playbook.kb, shown_path(facts))
