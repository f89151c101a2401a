"""Settings the orders need: delivery zones, payment methods, the default channel."""

import re
from decimal import Decimal as D

import sqlalchemy as sa

from kyora.extensions import db
from kyora.orders.models import OrderSettings, PaymentMethod, ShippingZone
from tests.factories import login, make_tenant, make_user, page_text


def _url(shop, path):
    return f"/b/{shop.business.handle}/settings/{path}"


def test_admins_add_edit_and_remove_zones(client, shop):
    login(client, shop.owner)
    page = page_text(client.get(_url(shop, "shipping")))
    assert "United Arab Emirates" in page  # the default zone of a new business
    response = client.post(
        _url(shop, "shipping"),
        data={
            "name": "Dubai",
            "countries": ["AE"],
            "cities": "Dubai, Marina",
            "cost": "20",
            "free_threshold": "200",
        },
    )
    assert response.status_code == 303
    zone = db.session.scalar(sa.select(ShippingZone).where(ShippingZone.name == "Dubai"))
    assert (zone.cities, zone.cost, zone.free_threshold) == (
        "Dubai, Marina",
        D("20.000"),
        D("200.000"),
    )
    bad = client.post(_url(shop, f"shipping/{zone.id}"), data={"name": "", "cost": "-1"})
    assert bad.status_code == 422
    text = page_text(bad)
    assert "Give the zone a name" in text and "Enter the delivery cost" in text
    client.post(
        _url(shop, f"shipping/{zone.id}"), data={"name": "Dubai", "countries": ["AE"], "cost": "25"}
    )
    assert db.session.get(ShippingZone, zone.id).cost == D("25.000")
    zone_id = zone.id
    assert client.post(_url(shop, f"shipping/{zone_id}/delete")).status_code == 303
    assert db.session.scalar(sa.select(sa.func.count()).where(ShippingZone.id == zone_id)) == 0


def test_the_new_order_form_offers_the_zones_with_fees(client, shop):
    login(client, shop.owner)
    client.post(
        _url(shop, "shipping"),
        data={"name": "Abu Dhabi", "countries": ["AE"], "cost": "30", "free_threshold": "300"},
    )
    page = page_text(client.get(f"/b/{shop.business.handle}/orders/new"))
    assert "Abu Dhabi · AED\xa030.00 (free from AED\xa0300.00)" in page


def test_payment_methods_and_default_channel(client, shop):
    login(client, shop.owner)
    page = page_text(client.get(_url(shop, "payments")))
    assert "Cash on delivery" in page and "Buy now, pay later" in page
    response = client.post(
        _url(shop, "payments"),
        data={
            "bank_transfer-enabled": "y",
            "card-enabled": "y",
            "card-fee_percent": "2.5",
            "card-fee_fixed": "1",
        },
    )
    assert response.status_code == 303
    enabled = dict(db.session.execute(sa.select(PaymentMethod.kind, PaymentMethod.enabled)).all())
    assert enabled["cod"] is False and enabled["bank_transfer"] is True and enabled["card"] is True
    card = db.session.scalar(sa.select(PaymentMethod).where(PaymentMethod.kind == "card"))
    assert (card.fee_rate, card.fee_fixed) == (D("0.025000"), D("1.000"))
    none_on = client.post(_url(shop, "payments"), data={})
    assert none_on.status_code == 422 and "Keep at least one payment method on." in page_text(
        none_on
    )
    too_big = client.post(
        _url(shop, "payments"), data={"cod-enabled": "y", "cod-fee_percent": "150"}
    )
    assert too_big.status_code == 422 and "between 0 and 100" in page_text(too_big)
    assert (
        client.post(_url(shop, "defaults"), data={"default_channel": "whatsapp"}).status_code == 303
    )
    assert db.session.get(OrderSettings, shop.business.id).default_channel == "whatsapp"
    assert '<option selected value="whatsapp">' in page_text(
        client.get(f"/b/{shop.business.handle}/orders/new")
    )


def test_members_and_other_tenants_cannot_open_settings(client, shop):
    member = make_user(role="member", workspace=shop.owner.workspace)
    login(client, member)
    assert client.get(_url(shop, "shipping")).status_code == 403
    assert client.post(_url(shop, "payments"), data={"cod-enabled": "y"}).status_code == 403
    client.post("/logout")
    owner, other = make_tenant()
    login(client, owner)
    zone_id = db.session.scalar(
        sa.select(ShippingZone.id).where(ShippingZone.business_id == shop.business.id)
    )
    assert client.get(f"/b/{other.handle}/settings/shipping/{zone_id}").status_code == 404


def test_the_settings_nav_item_is_current_on_the_order_settings_pages(client, shop):
    login(client, shop.owner)
    for path in ("shipping", "payments"):
        page = page_text(client.get(_url(shop, path)))
        current = re.findall(
            r'<a href="([^"]+)" class="[^"]*active[^"]*" aria-current="page"', page
        )
        assert current and all(href == f"/b/{shop.business.handle}/settings" for href in current)
