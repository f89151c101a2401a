"""`flask kyora ...` commands: demo data, the job worker."""

from __future__ import annotations

import click
from flask import Flask

from kyora.core.cli import kyora_cli


@kyora_cli.command("demo")
@click.option("--size", type=click.Choice(["small", "large"]), default="small", show_default=True)
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed.")
def demo_command(size: str, seed: int) -> None:
    """Create the demo account and its business with realistic data (idempotent)."""
    from kyora.demo import build

    result = build(size=size, seed=seed)
    if result.created:
        click.echo("Demo data created.")
    else:
        click.echo("Demo account already exists; nothing changed.")
    click.echo(f"Log in at /login with {result.email} / {result.password}")


@kyora_cli.command("worker")
@click.option("--workers", type=int, default=2, show_default=True)
def worker_command(workers: int) -> None:
    """Run the background job consumer (emails, periodic jobs)."""
    from kyora.core.jobs import huey

    if huey.immediate:
        raise click.ClickException("JOBS_IMMEDIATE is on: jobs run inline, no worker needed.")
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    consumer.run()


def register_cli(app: Flask) -> None:
    app.cli.add_command(kyora_cli)
