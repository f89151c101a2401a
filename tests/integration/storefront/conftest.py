"""An open shop with a product in two sizes, a simple product and a delivery zone."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from kyora.businesses.models import Business
from kyora.extensions import db
from kyora.inventory.models import Product, Variant
from kyora.orders.services import ZoneDraft, save_zone
from kyora.storefront import catalog
from kyora.storefront.settings import SettingsDraft, update_settings
from tests import factories


@dataclass
class Shop:
    owner: object
    business: Business
    scarf: Product
    small: Variant
    medium: Variant
    cap: Product
    cap_variant: Variant
    zone: object

    @property
    def url(self) -> str:
        return f"/s/{self.business.handle}/"


def checkout_form(client, shop: Shop, **fields) -> dict:
    """The checkout form's fields as the page gives them, filled in like a shopper."""
    page = client.get(f"{shop.url}checkout")
    assert page.status_code == 200, page.status_code
    text = page.get_data(as_text=True)
    key = text.split('name="key" type="hidden" value="')[1].split('"')[0]
    data = {
        "name": "Mariam Saeed",
        "phone_country": "AE",
        "phone": "050 123 4567",
        "address": "Marina Gate 2, flat 1203",
        "city": "Dubai",
        "zone_id": str(shop.zone.id),
        "note": "",
        "website": "",
        "key": key,
    }
    data.update(fields)
    return data


def add_to_cart(client, shop: Shop, variant, quantity=1):
    return client.post(
        f"{shop.url}cart/add", data={"variant_id": str(variant.id), "quantity": str(quantity)}
    )


@pytest.fixture
def shop(app_ctx, app):
    with app.test_request_context():
        owner, business = factories.make_tenant(handle="layla-scarves")
        business.whatsapp = "+971501112222"
        business.vat_rate = Decimal("0.05")
        business.prices_include_vat = True
        scarf = factories.make_product(
            business,
            "Silk scarf",
            price="120",
            stock=5,
            options={"Size": ["S", "M"]},
            category="Scarves",
        )
        cap = factories.make_product(business, "Cotton cap", price="45", stock=3)
        zone = save_zone(
            business,
            None,
            ZoneDraft(
                name="Dubai",
                countries=["AE"],
                cities="Dubai",
                cost=Decimal("15"),
                free_threshold=Decimal("500"),
            ),
        )
        update_settings(business, SettingsDraft(enabled=True))
        db.session.commit()
    catalog.clear_cache()
    small, medium = scarf.variants
    return Shop(owner, business, scarf, small, medium, cap, cap.variants[0], zone)
