"""The owner's full export: every table of the workspace, no secrets, no other tenant."""

import csv
import io
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from kyora.extensions import db
from tests.factories import (
    PASSWORD,
    login,
    make_customer,
    make_order,
    make_product,
    make_tenant,
    make_user,
)


@pytest.fixture
def owner(app, client):
    with app.test_request_context("/"):
        owner, business = make_tenant(name="Layla Haddad")
        product = make_product(business, "Silk Scarf", stock=5)
        mona = make_customer(
            business, "=HYPERLINK(evil)", phone="0501234567", address={"line": "Marina 1"}
        )
        make_order(business, owner, [(product.variants[0], 2)], customer_id=mona.id)
        # Another workspace's data must never appear.
        _other_owner, other = make_tenant(name="Other Person", handle="other-shop")
        make_customer(other, "Secret Customer", phone="0507654321")
        db.session.commit()
    login(client, owner)
    return owner


def _zip(client) -> zipfile.ZipFile:
    with client.get("/account/data/kyora-export.zip") as response:
        assert response.status_code == 200
        assert response.mimetype == "application/zip"
        return zipfile.ZipFile(io.BytesIO(response.data))


def _rows(archive, name):
    text = archive.read(f"{name}.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_owner_downloads_every_table_of_the_workspace(app, client, owner):
    page = client.get("/account/data")
    assert page.status_code == 200 and "Download my data" in page.get_data(as_text=True)
    archive = _zip(client)
    names = set(archive.namelist())
    business_tables = {
        name for name, table in db.metadata.tables.items() if "business_id" in table.c
    }
    assert {f"{name}.csv" for name in business_tables} <= names
    for name in ("customer", "customer_address", "sales_order", "order_item", "stock_movement"):
        assert _rows(archive, name), name
    customers = _rows(archive, "customer")
    assert [row["name"] for row in customers] == ["'=HYPERLINK(evil)"]  # formula neutralised
    assert "Secret Customer" not in archive.read("customer.csv").decode()
    users = _rows(archive, "user_account")
    assert [row["email"] for row in users] == [owner.email]
    # No password hash, session key or code hash ever leaves.
    for name in names:
        if name.endswith(".csv"):
            header = archive.read(name).decode("utf-8-sig").splitlines()[0]
            assert "_hash" not in header, name
    assert "outbound_email.csv" not in names


def test_photos_are_in_the_export(app, client, owner):
    from kyora.businesses.models import Business
    from kyora.inventory.models import Product
    from kyora.inventory.photos import PreparedPhoto, attach_photos

    with app.test_request_context("/"):
        product = db.session.scalar(sa.select(Product))
        business = db.session.get(Business, product.business_id)
        attach_photos(business, product, [PreparedPhoto(b"display", b"thumb", 10, 10)])
        db.session.commit()
    archive = _zip(client)
    photos = _rows(archive, "product_photo")
    assert len(photos) == 1
    assert archive.read(f"files/{photos[0]['image_key']}") == b"display"
    assert archive.read(f"files/{photos[0]['thumb_key']}") == b"thumb"
    assert Path(app.config["UPLOAD_DIR"]).exists()


def test_only_the_owner_may_export(app, client, owner):
    admin = make_user(email="admin@example.com", role="admin", workspace=owner.workspace)
    db.session.commit()
    helper = app.test_client()
    login(helper, admin, PASSWORD)
    assert helper.get("/account/data/kyora-export.zip").status_code == 403
    assert "Your data" not in helper.get("/account").get_data(as_text=True)
