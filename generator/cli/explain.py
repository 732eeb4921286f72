"""`opsbook explain`: why each item is in the plan, or why ID is not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from generator.cli.common import default_kb, default_rules, playbook_folders, user_errors
from generator.cli.help import LANG_HELP, examples
from generator.words import LANGS


@click.command(epilog=examples("opsbook explain examples/coffee-chain.yaml",
                               "opsbook explain examples/coffee-chain.yaml execution.complaint-handling",
                               "opsbook explain examples/saas-idea.yaml execution.cs-team.recruit --lang en"))
@click.argument("facts", type=click.Path(path_type=Path, dir_okay=False))
@click.argument("item_id", metavar="[ID]", required=False)
@click.option("--overlay", "overlays", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="Client overlay folder, applied in order (repeatable).")
@click.option("--lang", type=click.Choice(LANGS), default=None,
              help=LANG_HELP + " Default: the facts' `lang` (the interview records it), else zh.")
@playbook_folders
@user_errors
def explain(facts: Path, item_id: str | None, overlays: tuple[Path, ...], lang: str | None,
            kb_dir: Path | None, rules_dir: Path | None) -> None:
    """Why each item is in the plan; with ID, why that step or item is (or is not) in it."""
    from generator.cli.loading import facts_and_playbook
    from generator.plan.explain import explain_item, explain_plan

    playbook, client = facts_and_playbook(facts, kb_dir or default_kb(), rules_dir or default_rules(), overlays)
    from generator.facts.client import plan_lang

    plan = playbook.plan(client, plan_lang(client, lang), client.start_date or dt.date.today())
    lines = explain_item(playbook, client, plan, item_id) if item_id else explain_plan(playbook, plan)
    click.echo("\n".join(lines))
