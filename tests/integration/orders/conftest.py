"""Fixtures of the orders tests: a shop with a catalog, ready to take orders."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from kyora.extensions import db
from kyora.orders.services import setup_new_business
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
    scarf_s: object
    scarf_m: object
    cap: object


@pytest.fixture
def shop(app):
    """An AED business (VAT 5 % on top, COD and bank transfer) with scarves and caps."""
    owner, business = make_tenant()
    business.vat_rate = Decimal("0.05")
    setup_new_business(business)
    scarf = make_product(
        business, "Red Scarf", options={"Size": ["S", "M"]}, price="45", cost="20", stock=5
    )
    cap = make_product(business, "Black Cap", price="30", cost="12.5", stock=3)
    db.session.commit()
    return Shop(owner, business, scarf.variants[0], scarf.variants[1], cap.variants[0])
