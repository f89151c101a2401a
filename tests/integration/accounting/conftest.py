"""Fixtures of the books tests: a shop with a catalog, fees on its payment methods,
a delivery zone with a free-delivery threshold, and ways to read its ledger."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
import sqlalchemy as sa

from kyora.accounting.books import check_books
from kyora.accounting.ledger import business_day
from kyora.accounting.queries import balances
from kyora.extensions import db
from kyora.orders import services as orders
from kyora.orders.models import PaymentMethod, ShippingZone
from tests.factories import make_product, make_tenant


@pytest.fixture
def request_ctx(app):
    """A request context, so services called directly can translate their messages."""
    with app.test_request_context("/"):
        yield


@dataclass
class Shop:
    owner: object
    business: object
    scarf: object
    cap: object
    zone: object

    def balances(self):
        return balances(self.business, business_day(self.business))

    def check(self):
        assert check_books(self.business) == []


def set_fee(business, kind: str, rate: str, fixed: str) -> None:
    db.session.execute(
        sa.update(PaymentMethod)
        .where(PaymentMethod.business_id == business.id, PaymentMethod.kind == kind)
        .values(fee_rate=Decimal(rate), fee_fixed=Decimal(fixed))
    )


@pytest.fixture
def shop(app, request_ctx):
    """AED, VAT 5 % on top; bank transfers cost 1 % + 1.00; delivery 15.00, free from 150."""
    owner, business = make_tenant()
    business.vat_rate = Decimal("0.05")
    orders.setup_new_business(business)
    set_fee(business, "bank_transfer", "0.01", "1")
    zone = ShippingZone(
        business_id=business.id,
        name="Dubai",
        countries="AE",
        cost=Decimal("15"),
        free_threshold=Decimal("150"),
    )
    db.session.add(zone)
    scarf = make_product(business, "Red Scarf", price="45", cost="20", stock=10).variants[0]
    cap = make_product(business, "Black Cap", price="30", cost="12.5", stock=4).variants[0]
    db.session.commit()
    return Shop(owner, business, scarf, cap, zone)


def order(shop, lines, **fields):
    """An order saved through the orders service; `lines` = [(variant, qty), ...]."""
    draft_lines = [orders.DraftLine(variant.id, quantity) for variant, quantity in lines]
    fields.setdefault("customer_name", "Mona")
    return orders.create_order(
        shop.business, shop.owner, orders.OrderDraft(lines=draft_lines, **fields)
    ).order
