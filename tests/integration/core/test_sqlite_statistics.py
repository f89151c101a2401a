"""On SQLite, the planner gets its statistics without anyone running ANALYZE by hand:
after a bulk load, and from `PRAGMA optimize` as connections are used.

Statistics decide which index a query takes; without them the order page once read
all of a business's payments through their date index. PostgreSQL analyzes on its own
(autovacuum), so these tests run on SQLite only.
"""

from __future__ import annotations

import os

import pytest

from kyora.core import db as core_db
from kyora.demo.orders_bulk import insert_orders
from kyora.extensions import db
from kyora.orders.services import setup_new_business
from tests.factories import login, make_product, make_tenant

pytestmark = pytest.mark.skipif(
    os.environ.get("KYORA_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="PostgreSQL keeps its statistics with autovacuum",
)


@pytest.fixture
def request_ctx(app):
    with app.test_request_context("/"):
        yield


def _forget_statistics() -> None:
    """No statistics at all, on fresh connections (open ones remember what they loaded)."""
    db.session.commit()
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE sqlite_schema")  # creates sqlite_stat1 if missing
        conn.exec_driver_sql("DELETE FROM sqlite_stat1")
    db.engine.dispose()


def _analyzed_tables() -> set[str]:
    with db.engine.connect() as conn:
        return {row[0] for row in conn.exec_driver_sql("SELECT tbl FROM sqlite_stat1")}


def _shop():
    owner, business = make_tenant()
    setup_new_business(business)
    make_product(business, "Red Scarf", options={"Size": ["S", "M"]}, stock=10_000)
    db.session.commit()
    return owner, business


@pytest.mark.usefixtures("request_ctx")
def test_a_bulk_load_leaves_statistics_for_the_tables_it_filled():
    owner, business = _shop()
    _forget_statistics()
    assert not _analyzed_tables() & {"sales_order", "order_item", "customer"}

    insert_orders(business, owner, 200, seed=2)
    db.session.commit()

    assert {"sales_order", "order_item", "order_payment", "customer"} <= _analyzed_tables()


@pytest.mark.usefixtures("request_ctx")
def test_pages_in_use_gather_statistics_for_the_tables_they_read(client, monkeypatch):
    owner, business = _shop()
    insert_orders(business, owner, 200, seed=2)
    db.session.commit()
    _forget_statistics()
    # Every return of a connection to the pool counts; make the next one the one that
    # optimizes, rather than the 500th.
    monkeypatch.setattr(core_db, "OPTIMIZE_EVERY", 1)

    login(client, owner)
    assert client.get(f"/b/{business.handle}/orders/").status_code == 200

    assert "sales_order" in _analyzed_tables()
