"""`flask kyora insights rebuild` and `flask kyora insights check`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from kyora.businesses.services import businesses_for_command
from kyora.extensions import db

insights_cli = AppGroup("insights", help="Rebuild or check the sales rollups.")


@insights_cli.command("rebuild")
@click.option("--business", "handle", default=None, help="Only this business (its handle).")
def rebuild_command(handle):
    """Recompute the sales rollups from the orders (safe to run again)."""
    from kyora.insights.rebuild import rebuild

    for business in businesses_for_command(handle):
        count = rebuild(business)
        db.session.commit()
        click.echo(f"{business.handle}: {count} sales counted.")


@insights_cli.command("check")
@click.option("--business", "handle", default=None, help="Only this business (its handle).")
def check_command(handle):
    """Compare the kept rollups with a rebuild from the orders; exit 1 on a difference."""
    from kyora.insights.rebuild import differences

    problems = []
    businesses = businesses_for_command(handle)
    for business in businesses:
        problems += differences(business)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"Sales rollups agree for {len(businesses)} business(es).")
