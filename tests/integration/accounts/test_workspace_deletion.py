"""Deleting a workspace: the owner asks (password), may change their mind, and after the
grace period every row and file of it is gone while other workspaces are untouched."""

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from kyora.accounts.deletion import delete_due_workspaces
from kyora.accounts.models import Workspace
from kyora.core.db import utcnow
from kyora.core.export import workspace_tables
from kyora.core.storage import LocalStorage
from kyora.extensions import db
from tests.factories import (
    PASSWORD,
    login,
    make_customer,
    make_order,
    make_product,
    make_tenant,
    make_user,
    page_text,
)


def _fill(handle: str):
    from kyora.businesses.models import Business
    from kyora.inventory.photos import PreparedPhoto, attach_photos

    owner, business = make_tenant(handle=handle)
    product = make_product(business, "Silk Scarf", stock=5)
    customer = make_customer(business, "Mona", phone="0501234567", note="VIP")
    make_order(business, owner, [(product.variants[0], 1)], customer_id=customer.id)
    attach_photos(db.session.get(Business, business.id), product, [PreparedPhoto(b"d", b"t", 1, 1)])
    db.session.commit()
    return owner


def _rows(workspace_id: int) -> int:
    total = 0
    for _name, table, where in workspace_tables(db.metadata, workspace_id):
        total += db.session.scalar(sa.select(sa.func.count()).select_from(table).where(where))
    return total


@pytest.fixture
def owner(app, client):
    with app.test_request_context("/"):
        owner = _fill("doomed-shop")
    login(client, owner)
    return owner


def test_the_owner_schedules_deletion_with_the_password_and_can_keep_it(app, client, owner, outbox):
    wrong = client.post("/account/data/delete", data={"password": "not-my-password"})
    assert wrong.status_code == 422
    assert "That password is not right." in page_text(wrong)
    assert db.session.get(Workspace, owner.workspace_id).deletion_due_at is None

    response = client.post("/account/data/delete", data={"password": PASSWORD})
    assert response.status_code == 303
    workspace = db.session.get(Workspace, owner.workspace_id)
    db.session.refresh(workspace)
    grace = app.config["WORKSPACE_DELETION_GRACE"]
    assert abs(workspace.deletion_due_at - (utcnow() + grace)) < timedelta(minutes=1)
    assert outbox[-1]["Subject"] == "Your Kyora workspace will be deleted"
    assert "/account/data" in outbox[-1].get_body(("plain",)).get_content()
    page = page_text(client.get("/account/data"))
    assert "will be deleted on" in page and "Keep my workspace" in page

    assert client.post("/account/data/keep").status_code == 303
    db.session.refresh(workspace)
    assert workspace.deletion_due_at is None


def test_only_the_owner_may_delete(app, client, owner):
    admin = make_user(email="admin@example.com", role="admin", workspace=owner.workspace)
    db.session.commit()
    other = app.test_client()
    login(other, admin)
    assert other.post("/account/data/delete", data={"password": PASSWORD}).status_code == 403


def test_due_workspaces_are_deleted_with_their_files_and_no_one_else(app, owner):
    uploads = Path(app.config["UPLOAD_DIR"])
    with app.test_request_context("/"):
        survivor = _fill("safe-shop")
    doomed_id, survivor_id = owner.workspace_id, survivor.workspace_id
    doomed_rows, survivor_rows = _rows(doomed_id), _rows(survivor_id)
    assert doomed_rows > 10
    files_before = {p for p in uploads.rglob("*") if p.is_file()}

    workspace = db.session.get(Workspace, doomed_id)
    workspace.deletion_due_at = utcnow() + timedelta(hours=1)
    db.session.commit()
    assert delete_due_workspaces(LocalStorage(uploads)) == 0  # not due yet
    db.session.commit()

    workspace.deletion_due_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert delete_due_workspaces(LocalStorage(uploads)) == 1
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Workspace, doomed_id) is None
    assert _rows(doomed_id) == 0
    assert _rows(survivor_id) == survivor_rows
    files_after = {p for p in uploads.rglob("*") if p.is_file()}
    assert len(files_before - files_after) == 2  # the doomed photo and its thumbnail
