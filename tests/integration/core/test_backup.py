"""Backup and restore: every table's rows and every uploaded file come back exactly."""

import io
import tarfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from kyora.core.backup import BackupError, create_backup, read_manifest, restore_backup
from kyora.core.storage import LocalStorage
from kyora.extensions import db
from tests.factories import make_customer, make_order, make_product, make_tenant


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    rows = {}
    with db.engine.connect() as conn:
        for name, table in sorted(db.metadata.tables.items()):
            order = list(table.primary_key.columns) or list(table.columns)
            rows[name] = [tuple(row) for row in conn.execute(sa.select(table).order_by(*order))]
    return rows


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def shop(app, request_ctx_any):
    owner, business = make_tenant()
    product = make_product(business, "Silk Scarf", stock=9, options={"Colour": ["Red", "Blue"]})
    customer = make_customer(business, "Mona", phone="0501234567", note="Likes red")
    make_order(
        business, owner, [(product.variants[0], 2)], customer_id=customer.id, status="confirmed"
    )
    LocalStorage(app.config["UPLOAD_DIR"]).save(b"\x89PNG fake photo", "products/1", "webp")
    db.session.commit()
    return business


@pytest.fixture
def request_ctx_any(app):
    with app.test_request_context("/"):
        yield


def test_a_backup_restores_every_row_and_file_exactly(app, shop, tmp_path):
    uploads = Path(app.config["UPLOAD_DIR"])
    before_rows, before_files = snapshot(), files(uploads)
    assert before_rows["sales_order"] and before_files

    info = create_backup(db.engine, uploads, tmp_path)
    manifest = read_manifest(info.path)
    assert manifest["tables"]["sales_order"] == 1
    assert info.files == len(before_files)

    # Things change after the backup: a customer goes, a product comes, files move.
    make_product(shop, "New Cap")
    db.session.execute(sa.text("DELETE FROM customer_note"))
    db.session.commit()
    for path in uploads.rglob("*.webp"):
        path.unlink()
    (uploads / "stray.txt").write_text("not in the backup")
    assert snapshot() != before_rows

    db.session.remove()
    restored = restore_backup(db.engine, uploads, info.path)
    assert restored.tables == manifest["tables"]
    assert snapshot() == before_rows
    assert files(uploads) == before_files


def test_a_damaged_archive_is_refused_and_nothing_changes(app, shop, tmp_path):
    uploads = Path(app.config["UPLOAD_DIR"])
    info = create_backup(db.engine, uploads, tmp_path / "good.tar")
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(info.path) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("uploads/"):
                data = data[:-1] + b"!"
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    make_product(shop, "Made after the backup")
    db.session.commit()
    before = snapshot()
    db.session.remove()
    with pytest.raises(BackupError, match="damaged"):
        restore_backup(db.engine, uploads, damaged)
    assert snapshot() == before


def test_backup_and_restore_commands(app, shop, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["kyora", "backup", "--to", str(tmp_path)])
    assert result.exit_code == 0, result.output
    archive = next(tmp_path.glob("kyora-backup-*.tar"))
    assert "Backup written" in result.output
    db.session.remove()
    refused = runner.invoke(args=["kyora", "restore", str(archive)], input="n\n")
    assert refused.exit_code != 0
    result = runner.invoke(args=["kyora", "restore", str(archive), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
