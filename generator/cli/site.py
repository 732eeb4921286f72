"""`opsbook site build` and `opsbook site serve`: the published playbook."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from generator.cli.common import playbook_root, user_errors


def _config() -> Path:
    return playbook_root() / "mkdocs.yml"


@click.group()
def site() -> None:
    """The playbook site (MkDocs Material, Chinese and English)."""


@site.command()
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
    from generator.site.build import build_site, mkdocs_messages

    with mkdocs_messages():
        report = build_site(_config(), site_dir, clients, overlays, force)
    click.echo(f"site built: {report.site_dir} ({report.pages} pages, {report.seconds:.1f} s)")


@site.command()
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT",
              help="Address to serve on.")
@user_errors
def serve(dev_addr: str) -> None:
    """Serve the site locally; rebuilds when site/, kb/ or rules/ change."""
    from generator.site.build import mkdocs_messages, serve_site

    with mkdocs_messages(logging.INFO):
        serve_site(_config(), dev_addr)
