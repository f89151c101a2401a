"""`flask kyora books check` and `flask kyora books rebuild`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from kyora.businesses.services import businesses_for_command
from kyora.extensions import db

books_cli = AppGroup("books", help="Check or rebuild every business's books.")


@books_cli.command("check")
@click.option("--business", "handle", default=None, help="Only this business (its handle).")
def check_command(handle):
    """Verify the invariants of the books; exit 1 naming what differs."""
    from kyora.accounting.books import check_books

    problems = []
    businesses = businesses_for_command(handle)
    for business in businesses:
        problems += check_books(business)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"Books agree for {len(businesses)} business(es).")


@books_cli.command("rebuild")
@click.option("--business", "handle", default=None, help="Only this business (its handle).")
def rebuild_command(handle):
    """Post the order, payment and stock history into the books (safe to run again)."""
    from kyora.accounting.books import rebuild_books

    for business in businesses_for_command(handle):
        count = rebuild_books(business)
        db.session.commit()
        click.echo(f"{business.handle}: {count} entries posted.")
