"""`flask kyora ...` commands: demo data, the job worker, backup and restore.

Domains add their own commands to the same group in their `init_app`."""

from __future__ import annotations

from pathlib import Path

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


@kyora_cli.command("backup")
@click.option(
    "--to",
    "destination",
    default=None,
    help="A folder (a dated file is written in it) or a .tar path. Default: <data dir>/backups.",
)
def backup_command(destination: str | None) -> None:
    """Back up the database and the uploaded files into one archive with a manifest."""
    from flask import current_app

    from kyora.core.backup import BackupError, create_backup
    from kyora.extensions import db

    config = current_app.config
    destination = destination or str(Path(config["KYORA_DATA_DIR"]) / "backups")
    db.session.remove()
    try:
        info = create_backup(db.engine, config["UPLOAD_DIR"], destination)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    rows = sum(info.tables.values())
    click.echo(f"Backup written: {info.path} ({info.engine}, {rows} rows, {info.files} files)")


@kyora_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the current data.")
def restore_command(archive: str, yes: bool) -> None:
    """Replace the database and the uploaded files with those of a backup archive."""
    from flask import current_app

    from kyora.core.backup import BackupError, read_manifest, restore_backup
    from kyora.extensions import db

    manifest = read_manifest(archive)
    if not yes:
        click.confirm(
            f"Replace ALL current data with the backup of {manifest['created_at']}?", abort=True
        )
    db.session.remove()
    try:
        info = restore_backup(db.engine, current_app.config["UPLOAD_DIR"], archive)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    rows = sum(info.tables.values())
    click.echo(f"Restored {rows} rows in {len(info.tables)} tables and {info.files} files.")


def register_cli(app: Flask) -> None:
    app.cli.add_command(kyora_cli)
