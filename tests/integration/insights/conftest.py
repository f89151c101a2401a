"""Fixtures of the insights tests: a shop with two products and ways to place orders
through the real services."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from kyora.extensions import db
from kyora.insights.rebuild import differences
from kyora.orders import services as orders
from tests.factories import make_product, make_tenant


@dataclass
class Shop:
    owner: object
    business: object
    scarf: object
    cap: object

    def order(self, lines, **fields):
        """An order saved through the orders service; `lines` = [(variant, qty), ...]."""
        draft_lines = [orders.DraftLine(variant.id, quantity) for variant, quantity in lines]
        fields.setdefault("customer_name", "Mona")
        return orders.create_order(
            self.business, self.owner, orders.OrderDraft(lines=draft_lines, **fields)
        ).order

    def agrees(self):
        """The rollup the signals kept equals one rebuilt from the orders."""
        assert differences(self.business) == []


@pytest.fixture
def request_ctx(app):
    with app.test_request_context("/"):
        yield


@pytest.fixture
def shop(app, request_ctx):
    """AED, no VAT; a scarf (45, cost 20, 50 in stock) and a cap (30, cost 12.50, 40)."""
    owner, business = make_tenant()
    orders.setup_new_business(business)
    scarf = make_product(business, "Red Scarf", price="45", cost="20", stock=50).variants[0]
    cap = make_product(business, "Black Cap", price="30", cost="12.5", stock=40).variants[0]
    db.session.commit()
    return Shop(owner, business, scarf, cap)


def money(text: str) -> Decimal:
    return Decimal(text)
