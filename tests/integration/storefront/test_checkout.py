"""Cart and checkout: server prices, stock held, the customer found by phone, caps,
bots, sold-out items, retries; then the WhatsApp hand-off and the seller's side."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import unquote

import sqlalchemy as sa

from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.inventory.models import Variant
from kyora.orders.models import Order
from kyora.storefront.cart import COOKIE, MAX_LINES, MAX_QUANTITY, Cart, dump_cart
from tests.factories import make_customer, make_product
from tests.factories import page_text as raw_text
from tests.integration.security.routes import sign_in
from tests.integration.storefront.conftest import add_to_cart, checkout_form


def _orders():
    return list(db.session.scalars(sa.select(Order).order_by(Order.id)))


def _place(client, shop, **fields):
    return client.post(f"{shop.url}checkout", data=checkout_form(client, shop, **fields))


def test_order_is_pending_on_the_storefront_with_stock_held(client, shop, outbox):
    add_to_cart(client, shop, shop.medium, 2)
    add_to_cart(client, shop, shop.cap_variant, 1)
    response = _place(client, shop)
    assert response.status_code == 303
    [order] = _orders()
    assert (order.status, order.channel) == ("pending", "storefront")
    # 2 × 120 + 45 = 285, delivery 15 (free only from 500), VAT inside the prices.
    assert order.subtotal == Decimal("285.00")
    assert order.shipping == Decimal("15.00")
    assert order.total == Decimal("300.00")
    assert order.vat == Decimal("13.57")
    assert db.session.get(Variant, shop.medium.id).stock == 3
    assert db.session.get(Variant, shop.cap_variant.id).stock == 2
    assert order.customer.phone == "+971501234567"
    assert order.delivery_address.startswith("Marina Gate 2")
    # The seller hears about it, and the cart is emptied.
    assert any("New order #1001 from your shop" in m["Subject"] for m in outbox)
    assert f"{COOKIE}=;" in response.headers.get("Set-Cookie", "")


def test_the_handoff_page_has_the_whatsapp_message_qr_and_status_link(client, shop):
    add_to_cart(client, shop, shop.small, 1)
    response = _place(client, shop)
    page = client.get(response.headers["Location"])
    text = page_text(page)
    link = re.search(r'href="(https://wa\.me/971501112222\?text=[^"]+)"', text).group(1)
    message = unquote(link.split("text=")[1]).replace("\xa0", " ")
    assert "I just placed order #1001 in your shop" in message
    assert "1 × Silk scarf — S — AED 120.00" in message
    assert "Total: AED 135.00" in message
    order = _orders()[0]
    assert f"/o/{order.public_token}" in message
    assert "<svg" in text and f'href="http://localhost/o/{order.public_token}"' in text
    assert page.headers["X-Robots-Tag"] == "noindex"
    status = client.get(f"/o/{order.public_token}")
    assert status.status_code == 200 and "AED 135.00" in page_text(status)


def test_customer_is_matched_by_phone(client, shop):
    known = make_customer(shop.business, "Mariam S.", phone="+971501234567")
    db.session.commit()
    add_to_cart(client, shop, shop.small, 1)
    _place(client, shop, phone="+971 50 123 4567", phone_country="SA")
    assert _orders()[0].customer_id == known.id
    assert db.session.scalar(sa.select(sa.func.count(Customer.id))) == 1


def test_tampered_prices_and_quantities_are_ignored(client, shop):
    add_to_cart(client, shop, shop.small, 1)
    data = checkout_form(client, shop)
    data.update({"price": "1", "unit_price": "0.01", "total": "1", "quantity": "99"})
    client.post(f"{shop.url}checkout", data=data)
    order = _orders()[0]
    assert order.subtotal == Decimal("120.00")
    # A cart cookie written by hand (not signed by the shop) is no cart at all.
    client.set_cookie(COOKIE, f"[[{shop.small.id}, 3]]", path=f"/s/{shop.business.handle}/")
    assert "Your cart is empty." in page_text(client.get(f"{shop.url}cart"))


def test_adding_more_than_is_left_adds_only_what_is_left(client, shop):
    add_to_cart(client, shop, shop.cap_variant, 50)
    text = page_text(client.get(f"{shop.url}cart"))
    assert f'name="qty-{shop.cap_variant.id}" value="3"' in text


def test_huge_carts_are_capped(client, app, shop):
    with app.test_request_context():
        huge = Cart()
        for number in range(MAX_LINES + 10):
            huge.add(number + 1, 10_000)
        assert len(huge.lines) == MAX_LINES
        assert max(huge.lines.values()) == MAX_QUANTITY
        cookie = dump_cart(huge)
    big = make_product(shop.business, "Big stock", price="1", stock=1000)
    db.session.commit()
    add_to_cart(client, shop, big.variants[0], 999)
    text = page_text(client.get(f"{shop.url}cart"))
    assert f'value="{MAX_QUANTITY}"' in text
    client.set_cookie(COOKIE, cookie, path=f"/s/{shop.business.handle}/")
    assert client.get(f"{shop.url}cart").status_code == 200


def test_the_honeypot_stops_bots(client, shop):
    add_to_cart(client, shop, shop.small, 1)
    response = _place(client, shop, website="http://spam.example")
    assert response.status_code == 422
    assert _orders() == []
    assert db.session.get(Variant, shop.small.id).stock == 5


def test_checkout_is_rate_limited_per_address(client, shop):
    add_to_cart(client, shop, shop.small, 1)
    statuses = [
        client.post(f"{shop.url}checkout", data={"name": "x"}).status_code for _ in range(11)
    ]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429


def test_sold_out_during_checkout_updates_the_cart(client, shop):
    add_to_cart(client, shop, shop.medium, 4)
    data = checkout_form(client, shop)
    db.session.get(Variant, shop.medium.id).stock = 1
    db.session.commit()
    response = client.post(f"{shop.url}checkout", data=data)
    assert response.status_code == 422
    text = page_text(response)
    assert "Some items sold out while you were shopping. We updated your cart." in text
    assert _orders() == []
    assert f'name="qty-{shop.medium.id}" value="1"' in page_text(client.get(f"{shop.url}cart"))


def test_a_replayed_checkout_is_one_order(client, shop):
    add_to_cart(client, shop, shop.small, 2)
    data = checkout_form(client, shop)
    first = client.post(f"{shop.url}checkout", data=data)
    # The double tap arrives with the cart the first tap just emptied.
    client.set_cookie(COOKIE, "", path=f"/s/{shop.business.handle}/")
    second = client.post(f"{shop.url}checkout", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(_orders()) == 1
    assert db.session.get(Variant, shop.small.id).stock == 3


def test_bad_details_are_refused_beside_their_fields(client, shop):
    add_to_cart(client, shop, shop.small, 1)
    response = _place(client, shop, name="", phone="12", address="", zone_id="999999999999")
    assert response.status_code == 422
    text = page_text(response)
    assert "Enter your name." in text
    assert "Enter a valid phone number." in text
    assert "Enter the delivery address." in text
    assert "Choose where we deliver to." in text
    assert _orders() == []


def test_the_seller_sees_new_shop_orders_with_a_badge(client, shop):
    add_to_cart(client, shop, shop.small, 1)
    _place(client, shop)
    seller = client.application.test_client()
    sign_in(seller, shop.owner)
    text = page_text(seller.get(f"/b/{shop.business.handle}/orders/"))
    assert "New from your shop" in text and "AED 135.00" in text


def page_text(response) -> str:
    """What a reader sees, with money's non-breaking spaces as plain ones."""
    return raw_text(response).replace("\xa0", " ")


def test_a_full_cart_takes_no_new_line(client, app, shop):
    with app.test_request_context():
        full = Cart({900_000 + n: 1 for n in range(MAX_LINES)})
        cookie = dump_cart(full)
    client.set_cookie(COOKIE, cookie, path=f"/s/{shop.business.handle}/")
    response = add_to_cart(client, shop, shop.small, 1)
    page = client.get(response.headers["Location"])
    assert "Your cart is full. Check out or remove something first." in page_text(page)
