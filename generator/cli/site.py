"""`opsbook site build` and `opsbook site serve`: the published playbook."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TextIO, cast

import click

from generator.cli.common import default_rules, playbook_root, user_errors
from generator.cli.help import examples


def _config() -> Path:
    return playbook_root() / "mkdocs.yml"


@click.group(epilog=examples("opsbook site build",
                             "opsbook site build --client examples/coffee-chain.yaml -d /tmp/site",
                             "opsbook site serve"))
def site() -> None:
    """The playbook site (MkDocs Material, Chinese and English)."""


@site.command(short_help="Build the site into a folder (strict), with client plans.",
              epilog=examples("opsbook site build",
                              "opsbook site build -d /tmp/site --force",
                              "opsbook site build --client examples/coffee-chain.yaml \\",
                              "    --overlay rules/clients/shanyu-coffee"))
@click.option("--client", "clients", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
              metavar="FACTS", help="Publish this client's plan (repeatable; default: the example clients).")
@click.option("--overlay", "overlays", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="Client overlay folder the plans use, applied in order (repeatable).")
@click.option("-d", "--site-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Where to write the site (default: build/site of the playbook).")
@click.option("--force", is_flag=True, help="Replace the site folder even if it holds files opsbook did not write.")
@user_errors
def build(clients: tuple[Path, ...], overlays: tuple[Path, ...], site_dir: Path | None, force: bool) -> None:
    """Build the site (strict: any warning fails the build), with client plans.

    The site is built next to the folder, then takes its place: a failed build keeps the
    earlier site."""
    from generator.cli.progress import counter
    from generator.rules.layer_files import check_overlays
    from generator.site.build import build_site, mkdocs_messages

    check_overlays(overlays, default_rules())  # a usage error, as `plan --overlay` says it, before building
    # MkDocs' messages go through the counter, which keeps them off its line
    with counter("building pages") as shown, mkdocs_messages(stream=cast(TextIO, shown)):
        report = build_site(_config(), site_dir, clients, overlays, force, shown.update)
    click.echo(f"site built: {report.site_dir} ({report.pages} pages, {report.seconds:.1f} s)")


@site.command(short_help="Serve the site locally, rebuilding on changes.",
              epilog=examples("opsbook site serve", "opsbook site serve -a 127.0.0.1:8001"))
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT",
              help="Address to serve on.")
@user_errors
def serve(dev_addr: str) -> None:
    """Serve the site locally; rebuilds when site/, kb/ or rules/ change."""
    from generator.site.build import mkdocs_messages, serve_site

    with mkdocs_messages(logging.INFO):
        serve_site(_config(), dev_addr)
