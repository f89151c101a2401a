"""Backups of everything Kyora keeps: the database and the uploaded files, in one file.

`flask kyora backup` writes one `.tar` with
- `database.sqlite` (SQLite's online backup API: a consistent copy while Kyora runs) or
  `database.dump` (`pg_dump --format=custom` on PostgreSQL),
- `uploads/...` (photos, logos, receipts),
- `manifest.json`: when, which engine and schema revision, the row count of every table
  and the SHA-256 of every file in the archive.

`flask kyora restore FILE` checks every checksum before touching anything, puts the
database and the uploads back, then compares every table's row count with the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from kyora.core.db import utcnow

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(RuntimeError):
    """A backup could not be written, or a restore was refused (the reason says why)."""


@dataclass
class BackupInfo:
    path: Path
    engine: str
    tables: dict[str, int]
    files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def row_counts(engine) -> dict[str, int]:
    """Rows in every table of the schema (Alembic's own table included)."""
    inspector = sa.inspect(engine)
    with engine.connect() as conn:
        return {
            name: conn.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar()
            for name in sorted(inspector.get_table_names())
        }


def _revision(engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        except sa.exc.DBAPIError:
            return None


def _pg_args(url) -> tuple[list[str], dict]:
    """Connection arguments for pg_dump/pg_restore from a SQLAlchemy URL."""
    args = ["--dbname", url.database or ""]
    host = url.host or url.query.get("host")
    if host:
        args += ["--host", host if isinstance(host, str) else host[0]]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return args, env


def _run_pg_tool(tool: str, arguments: list[str], env: dict) -> None:
    """Run pg_dump/pg_restore (found on PATH) with arguments built from the configured
    database URL, never from a request."""
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} is not installed (Debian: postgresql-client)")
    done = subprocess.run(  # noqa: S603 - fixed tool, arguments from configuration
        [executable, *arguments], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise BackupError(f"{tool} failed: {done.stderr.strip()[-500:]}")


def _dump_database(engine, folder: Path) -> Path:
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    if engine.dialect.name == "sqlite":
        target = folder / "database.sqlite"
        source = sqlite3.connect(url.database)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target
    if engine.dialect.name == "postgresql":
        target = folder / "database.dump"
        args, env = _pg_args(url)
        _run_pg_tool(
            "pg_dump", ["--format=custom", "--no-owner", "--file", str(target), *args], env
        )
        return target
    raise BackupError(f"backups of {engine.dialect.name} databases are not supported")


def create_backup(engine, upload_dir: str | Path, destination: str | Path) -> BackupInfo:
    """Write a backup archive into `destination` (a folder or a `.tar` path)."""
    destination = Path(destination)
    if destination.suffix != ".tar":
        destination.mkdir(parents=True, exist_ok=True)
        destination = destination / f"kyora-backup-{utcnow():%Y%m%d-%H%M%S}.tar"
    uploads = Path(upload_dir)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        tables = row_counts(engine)
        database = _dump_database(engine, folder)
        members = {database.name: database}
        if uploads.is_dir():
            for path in sorted(uploads.rglob("*")):
                if path.is_file():
                    members[f"uploads/{path.relative_to(uploads).as_posix()}"] = path
        manifest = {
            "format": FORMAT,
            "created_at": utcnow().isoformat(),
            "engine": engine.dialect.name,
            "revision": _revision(engine),
            "tables": tables,
            "files": {name: _sha256(path) for name, path in members.items()},
        }
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                archive.add(path, arcname=name, recursive=False)
        os.replace(partial, destination)
    return BackupInfo(destination, manifest["engine"], tables, len(members) - 1)


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in archive.getmembers():
        name = Path(member.name)
        if member.issym() or member.islnk() or name.is_absolute() or ".." in name.parts:
            raise BackupError(f"unsafe path in the archive: {member.name}")
        members.append(member)
    return members


def read_manifest(path: str | Path) -> dict:
    with tarfile.open(path) as archive:
        handle = archive.extractfile(MANIFEST)
        if handle is None:
            raise BackupError("the archive has no manifest")
        return json.load(handle)


def _restore_database(engine, source: Path) -> None:
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    engine.dispose()
    if engine.dialect.name == "sqlite":
        backup = sqlite3.connect(source)
        live = sqlite3.connect(url.database)
        try:
            backup.backup(live)
        finally:
            live.close()
            backup.close()
        return
    args, env = _pg_args(url)
    _run_pg_tool(
        "pg_restore",
        ["--clean", "--if-exists", "--no-owner", "--single-transaction", *args, str(source)],
        env,
    )


def restore_backup(engine, upload_dir: str | Path, path: str | Path) -> BackupInfo:
    """Check the archive, then put its database and uploads back (replacing what is
    there). Raises BackupError, having changed nothing, when a check fails."""
    path = Path(path)
    with tempfile.TemporaryDirectory() as work, tarfile.open(path) as archive:
        folder = Path(work)
        archive.extractall(folder, members=_safe_members(archive), filter="data")
        manifest = json.loads((folder / MANIFEST).read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError("this backup was made by another version of Kyora")
        if manifest["engine"] != engine.dialect.name:
            raise BackupError(
                f"this is a {manifest['engine']} backup; the database is {engine.dialect.name}"
            )
        for name, digest in manifest["files"].items():
            member = folder / name
            if not member.is_file() or _sha256(member) != digest:
                raise BackupError(f"{name} is missing or damaged: nothing was restored")
        database = folder / (
            "database.sqlite" if manifest["engine"] == "sqlite" else "database.dump"
        )
        _restore_database(engine, database)
        uploads = Path(upload_dir)
        if uploads.exists():
            shutil.rmtree(uploads)
        if (folder / "uploads").is_dir():
            shutil.copytree(folder / "uploads", uploads)
        else:
            uploads.mkdir(parents=True, exist_ok=True)
    restored = row_counts(engine)
    if restored != manifest["tables"]:
        differ = sorted(
            name
            for name in set(restored) | set(manifest["tables"])
            if restored.get(name) != manifest["tables"].get(name)
        )
        raise BackupError(f"row counts differ after the restore: {', '.join(differ)}")
    return BackupInfo(path, manifest["engine"], restored, len(manifest["files"]) - 1)
