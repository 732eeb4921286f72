"""`opsbook list`: what the playbook holds (roles, steps, items, rules, facts, KPIs), for consultants."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import default_kb, default_rules, playbook_folders, user_errors
from generator.cli.help import LANG_HELP, examples
from generator.words import LANGS

KINDS = ("roles", "steps", "items", "rules", "facts", "kpis")  # generator.plan.listing.KINDS, without loading it


@click.command("list", epilog=examples(
    "opsbook list roles", "opsbook list rules --lang en",
    "opsbook list items --overlay rules/clients/shanyu-coffee",
    "opsbook list facts --format json > facts.json"))
@click.argument("kind", type=click.Choice(KINDS), metavar="roles|steps|items|rules|facts|kpis")
@click.option("--lang", type=click.Choice(LANGS), default="zh", show_default=True, help=LANG_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one aligned line per entry; json: the opsbook-list/1 object (fields above).")
@click.option("--overlay", "overlays", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="Client overlay folder, applied in order (repeatable): its rules and items join the list.")
@playbook_folders
@user_errors
def list_(kind: str, lang: str, fmt: str, overlays: tuple[Path, ...], kb_dir: Path | None,
          rules_dir: Path | None) -> None:
    """List what the playbook holds: IDs with their names, and for each kind what a consultant
    needs next to them (the text lines' columns):

    \b
    roles  id, name, who covers the role in a small team
    steps  id, name, domain and horizon, number of items
    items  id, name, owner role, layer (kb, or the overlay adding it)
    rules  id, title, layer, file:line, what it adds (include,
           exclude, priority, set)
    facts  id, label, type, allowed values or range
    kpis   id, name, unit and direction (↑ higher is better), range

    \b
    --format json writes {"format": "opsbook-list/1", "kind", "lang",
    "layers", "entries"}; every entry has id, name and where (file:line),
    plus: roles summary, dedicated_from, covered_by; steps phase, domain,
    horizon, items; items step, owner, effort, cadence, layer; rules
    layer, always, reads, include, exclude, priority, set; facts type,
    values [{id, name}], min, max, required, derived; kpis unit,
    direction, min, max, warning, critical, domain. Keys are only added,
    never renamed or removed."""
    from generator.plan.listing import as_json, as_text, listing
    from generator.plan.playbook import load_playbook

    rules_root = rules_dir or default_rules()
    playbook = load_playbook(kb_dir or default_kb(), rules_root, overlays)
    data = listing(kind, playbook, lang, rules_root, overlays)
    click.echo(as_json(data) if fmt == "json" else "\n".join(as_text(data)))
