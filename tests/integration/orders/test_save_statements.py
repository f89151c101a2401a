"""A quick-order save stays a short conversation with the database, whatever the
business's size: each row it needs is read once, and the count cannot creep back up."""

import re

import pytest

from kyora.extensions import db
from kyora.orders.models import Order
from tests.factories import login, make_customer

# A confirmed order for a returning customer, three lines, paid in full, 10 % off: the
# session and business lookups, the form's reads, the order, its items and stock
# movements, the books (sale and payment), the sales rollup, counters, the customer's
# figures and the products' kept stock status (one UPDATE for the three). It was 55
# statements before the save stopped re-reading its rows, and 39 / 41 before the stock
# was taken ahead of the order and its rows written together (38 / 33 then, before the
# kept stock status).
# SQLite counts its BEGIN IMMEDIATE, and writes the three items and three movements one
# by one (it cannot hand back the ids of a multi-row insert in order); PostgreSQL
# re-checks the idempotency key once it holds the order-number lock.
SAVE_BUDGET = {"sqlite": 39, "postgresql": 34}


@pytest.fixture
def seller(client, shop):
    login(client, shop.owner)
    return client


def _form(shop, customer, key: str) -> dict:
    return {
        "action": "save",
        "idempotency_key": key,
        "channel": "instagram",
        "status": "confirmed",
        "customer_id": str(customer.id),
        "delivery": "manual",
        "shipping_fee": "15",
        "discount_kind": "percent",
        "discount_value": "10",
        "payment": "full",
        "payment_method": "cod",
        "items-0-variant_id": str(shop.scarf_s.id),
        "items-0-quantity": "1",
        "items-1-variant_id": str(shop.scarf_m.id),
        "items-1-quantity": "2",
        "items-2-variant_id": str(shop.cap.id),
        "items-2-quantity": "1",
    }


def _reads_of(statements, table: str) -> int:
    pattern = re.compile(rf"^\s*SELECT\b.*\bFROM {table}\b", re.S | re.I)
    return sum(1 for sql in statements if pattern.match(sql))


def test_a_quick_order_save_keeps_within_its_statement_budget(seller, shop, count_queries):
    customer = make_customer(shop.business, name="Mona", phone="+971501112233")
    db.session.commit()
    # The first save creates what a business makes once (its chart of accounts).
    url = f"/b/{shop.business.handle}/orders/new"
    assert seller.post(url, data=_form(shop, customer, "warm-up")).status_code == 303
    # The form is filled (its ids read) before counting: only the request's SQL counts.
    form = _form(shop, customer, "measured")
    with count_queries() as statements:
        response = seller.post(url, data=form)
    assert response.status_code == 303
    assert db.session.query(Order).filter_by(idempotency_key="measured").one().amount_paid > 0
    budget = SAVE_BUDGET[db.engine.dialect.name]
    assert len(statements) <= budget, "\n".join(statements)
    # Each row the save needs is read once: the variants (with their products), the
    # customer and the chart of accounts, though the form, the save and the books
    # all use them.
    assert _reads_of(statements, "product_variant") == 1
    assert _reads_of(statements, "product") == 0
    assert _reads_of(statements, "customer") == 1
    assert _reads_of(statements, "ledger_account") == 1
