"""Loading the playbook and a client's facts for the commands that plan."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from generator.cli.common import FACTS_READ
from generator.facts.client import ClientFacts, facts_document, facts_from_document
from generator.kb.documents import shown_path
from generator.plan.playbook import Playbook, load_playbook


def facts_and_playbook(
    facts: Path, kb_dir: Path, rules_dir: Path, overlays: Sequence[Path]
) -> tuple[Playbook, ClientFacts]:
    """The playbook and the client's facts. The facts as read, with their positions, stay with the
    command, so that a fact the rules engine refuses later is reported at its place in the file."""
    playbook = load_playbook(kb_dir, rules_dir, overlays)
    doc = facts_document(facts, shown_path(facts))
    client = facts_from_document(doc, playbook.kb)
    context = click.get_current_context(silent=True)
    if context is not None:
        context.meta[FACTS_READ] = doc
    return playbook, client
