"""The order page: next steps, payments, refunds, notes, delete, WhatsApp, receipt, status page."""

import re
from decimal import Decimal as D
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from kyora.extensions import db
from kyora.inventory.models import Variant
from kyora.orders.models import Order
from kyora.orders.services import add_note
from tests.factories import login, make_order, make_tenant, make_user, page_text


def _url(shop, order, path=""):
    return f"/b/{shop.business.handle}/orders/{order.id}{path}"


def _stock(variant) -> int:
    return db.session.scalar(sa.select(Variant.stock).where(Variant.id == variant.id))


@pytest.fixture
def order(shop, request_ctx):
    placed = make_order(
        shop.business,
        shop.owner,
        [(shop.scarf_m, 2)],
        customer_name="Sara Ali",
        customer_phone="050 123 4567",
        address_line="Villa 12",
        note="Leave at the door",
    )
    add_note(shop.business, shop.owner, placed, "Customer asked for gift wrap")
    db.session.commit()
    return placed


@pytest.fixture
def seller(client, shop):
    login(client, shop.owner)
    return client


def test_the_page_offers_only_valid_next_steps(seller, shop, order):
    page = page_text(seller.get(_url(shop, order)))
    steps = re.findall(r'name="status" value="(\w+)"', page)
    assert steps == ["ready", "shipped", "delivered", "cancelled"]
    assert "AED\xa094.50" in page  # 90 + 4.50 VAT
    assert "Customer asked for gift wrap" in page
    response = seller.post(_url(shop, order, "/status"), data={"status": "returned"})
    assert response.status_code == 422
    assert "can't be marked returned" in page_text(response)


def test_part_payment_then_the_rest_then_shipped_and_delivered(seller, shop, order):
    response = seller.post(_url(shop, order, "/payments"), data={"amount": "50", "method": "cod"})
    assert response.status_code == 303
    page = page_text(seller.get(_url(shop, order)))
    assert "Partly paid" in page and 'id="order-balance"><strong>AED\xa044.50' in page
    too_much = seller.post(_url(shop, order, "/payments"), data={"amount": "60", "method": "cod"})
    assert too_much.status_code == 422
    assert "more than the AED\xa044.50 still owed" in page_text(too_much)
    assert 'name="confirm_overpay"' in page_text(too_much)
    seller.post(
        _url(shop, order, "/payments"),
        data={"amount": "44.50", "method": "bank_transfer", "reference": "TR-9"},
    )
    for target in ("shipped", "delivered"):
        assert seller.post(_url(shop, order, "/status"), data={"status": target}).status_code == 303
    page = page_text(seller.get(_url(shop, order)))
    assert "Delivered" in page and ">Paid<" in page
    assert "Payment of AED\xa044.50 by Bank transfer" in page
    assert "Marked shipped" in page


def test_htmx_actions_answer_with_the_detail_and_a_trigger(seller, shop, order):
    response = seller.post(
        _url(shop, order, "/status"),
        data={"status": "ready"},
        headers={"HX-Request": "true", "HX-Target": "order-detail"},
    )
    assert response.status_code == 200
    assert response.get_data(as_text=True).lstrip().startswith('<div id="order-detail"')
    assert "orders-changed" in response.headers["HX-Trigger"]


def test_cancelling_puts_stock_back(seller, shop, order):
    assert _stock(shop.scarf_m) == 3
    seller.post(_url(shop, order, "/status"), data={"status": "cancelled"})
    assert _stock(shop.scarf_m) == 5
    assert "Order #1001 is now cancelled." in page_text(seller.get(_url(shop, order)))


def test_refunds_are_for_admins_and_never_above_what_was_paid(client, shop, order):
    member = make_user(role="member", workspace=shop.owner.workspace)
    login(client, member)
    client.post(_url(shop, order, "/payments"), data={"amount": "20", "method": "cod"})
    assert (
        client.post(_url(shop, order, "/refunds"), data={"refund-amount": "5"}).status_code == 403
    )
    client.post("/logout")
    login(client, shop.owner)
    too_much = client.post(
        _url(shop, order, "/refunds"), data={"refund-amount": "25", "refund-method": "cod"}
    )
    assert too_much.status_code == 422
    assert "at most AED\xa020.00" in page_text(too_much)
    assert (
        client.post(
            _url(shop, order, "/refunds"), data={"refund-amount": "20", "refund-method": "cod"}
        ).status_code
        == 303
    )
    assert db.session.get(Order, order.id).payment_status == "refunded"


def test_members_never_see_costs_or_profit(client, shop, order):
    login(client, shop.owner)
    page = page_text(client.get(_url(shop, order)))
    assert "Profit on this order" in page and "AED\xa040.00" in page  # 2 × 20 cost
    client.post("/logout")
    member = make_user(role="member", workspace=shop.owner.workspace)
    login(client, member)
    page = page_text(client.get(_url(shop, order)))
    assert "Profit" not in page and "Cost" not in page
    assert "Delete order" not in page
    assert client.post(_url(shop, order, "/delete")).status_code == 403


def test_delete_only_pending_or_cancelled(seller, shop, order):
    response = seller.post(_url(shop, order, "/delete"))
    assert response.status_code == 422
    assert "Only pending or cancelled" in page_text(response)
    seller.post(_url(shop, order, "/status"), data={"status": "cancelled"})
    assert seller.post(_url(shop, order, "/delete")).status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 0


def test_notes_are_added_to_the_timeline(seller, shop, order):
    assert (
        seller.post(_url(shop, order, "/notes"), data={"body": "Called, no answer"}).status_code
        == 303
    )
    assert "Called, no answer" in page_text(seller.get(_url(shop, order)))
    assert seller.post(_url(shop, order, "/notes"), data={"body": " "}).status_code == 422


def test_whatsapp_link_carries_the_summary(seller, shop, order):
    page = page_text(seller.get(_url(shop, order)))
    href = re.search(r'href="([^"]+)" role="button" class="ord-whatsapp"', page).group(1)
    parts = urlsplit(href)
    assert (parts.netloc, parts.path) == ("wa.me", "/971501234567")
    text = parse_qs(parts.query)["text"][0]
    assert "Hello Sara!" in text
    assert "#1001" in text and "2 × Red Scarf — M" in text
    assert "Total: AED\xa094.50" in text and "Still to pay: AED\xa094.50" in text
    assert f"/o/{order.public_token}" in text
    arabic = re.search(r'href="([^"]+)"[^>]*lang="ar"', page).group(1)
    assert "/971501234567" in arabic and "#1001" in parse_qs(urlsplit(arabic).query)["text"][0]


def test_public_status_page_needs_no_login_and_hides_internal_things(client, shop, order):
    shop.business.whatsapp = "+971501112222"
    db.session.commit()
    page = client.get(f"/o/{order.public_token}")
    assert page.status_code == 200
    assert page.headers["X-Robots-Tag"] == "noindex"
    text = page_text(page)
    assert "Order #1001" in text and "AED\xa094.50" in text and "Red Scarf — M" in text
    assert "wa.me/971501112222" in text
    assert "gift wrap" not in text and "Leave at the door" not in text
    assert "AED\xa040.00" not in text  # no costs
    assert client.get("/o/not-a-real-token").status_code == 404


def test_receipt_has_business_details_and_the_vat_line(seller, shop, order):
    shop.business.tax_number = "100234567800003"
    db.session.commit()
    text = page_text(seller.get(_url(shop, order, "/receipt")))
    assert "Tax invoice" in text and "VAT (5%)" in text and "AED\xa04.50" in text
    assert "TRN 100234567800003" in re.sub(r"<[^>]+>", "", text)
    assert shop.business.name in text


def test_without_a_tax_number_the_receipt_is_not_a_tax_invoice(seller, shop, order):
    page = page_text(seller.get(_url(shop, order, "/receipt")))
    assert "Tax invoice" not in page and "TRN" not in page
    assert ">Receipt</h2>" in page
    # Print and Share buttons (shown by the script when the browser can do them).
    assert "data-print" in page and "data-share" in page


def test_with_prices_that_include_vat_every_page_shows_the_vat_inside(seller, shop):
    shop.business.prices_include_vat = True
    db.session.commit()
    with seller.application.test_request_context("/"):
        placed = make_order(shop.business, shop.owner, [(shop.scarf_m, 2)], customer_name="Mona")
    db.session.commit()
    # 2 × 45 = 90 with the VAT inside: 90 × 0.05 / 1.05 = 4.29; the total stays 90.
    assert (placed.total, placed.vat, placed.vat_included) == (D("90.00"), D("4.29"), True)
    assert placed.net_sales == D("85.71")
    for path in ("", "/receipt"):
        text = page_text(seller.get(_url(shop, placed, path)))
        assert "Includes VAT (5%)" in text and "AED\xa04.29" in text
        assert "AED\xa094.29" not in text
    public = page_text(seller.get(f"/o/{placed.public_token}"))
    assert "Includes VAT" in public and "AED\xa090.00" in public
    page = page_text(seller.get(_url(shop, placed)))
    href = re.search(r'href="([^"]+)" role="button" class="ord-whatsapp"', page).group(1)
    message = parse_qs(urlsplit(href).query)["text"][0]
    assert "Total: AED\xa090.00" in message and "Includes VAT: AED\xa04.29" in message


def test_status_page_contact_is_separate_readable_links_or_absent(client, shop, order):
    shop.business.phone = "+971501234567"
    shop.business.instagram = "layla.boutique"
    db.session.commit()
    page = page_text(client.get(f"/o/{order.public_token}"))
    visible = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "+971 50 123 4567" in visible and "@layla.boutique" in visible
    assert "+971501234567@" not in re.sub(r"<[^>]+>", "", page)
    shop.business.phone = shop.business.instagram = shop.business.whatsapp = None
    db.session.commit()
    page = page_text(client.get(f"/o/{order.public_token}"))
    assert "Contact Sara Designs" not in page and "Questions about your order" not in page


def test_another_tenants_order_is_a_404(client, shop, order):
    owner, other = make_tenant()
    login(client, owner)
    assert client.get(f"/b/{other.handle}/orders/{order.id}").status_code == 404
    assert (
        client.post(
            f"/b/{other.handle}/orders/{order.id}/status", data={"status": "cancelled"}
        ).status_code
        == 404
    )
    assert client.get(_url(shop, order)).status_code == 404
    assert db.session.get(Order, order.id).status == "confirmed"


def test_payment_fee_comes_from_the_method(seller, shop, order):
    seller.post(
        f"/b/{shop.business.handle}/settings/payments",
        data={
            "cod-enabled": "y",
            "card-enabled": "y",
            "card-fee_percent": "2.9",
            "card-fee_fixed": "1",
        },
    )
    seller.post(_url(shop, order, "/payments"), data={"amount": "94.50", "method": "card"})
    placed = db.session.get(Order, order.id)
    assert (placed.payment_status, placed.fees) == ("paid", D("3.74"))


def test_the_customer_page_lists_their_orders(seller, shop, order):
    text = page_text(seller.get(f"/b/{shop.business.handle}/customers/{order.customer_id}"))
    assert "#1001" in text and "All their orders" in text
    assert f"/orders/new?customer={order.customer_id}" in text
    page = page_text(
        seller.get(f"/b/{shop.business.handle}/orders/new?customer={order.customer_id}")
    )
    assert "<strong>Sara Ali</strong>" in page


def _step_buttons(page: str) -> tuple[list[str], list[str]]:
    """(the main next step, the steps tucked under "Other steps")."""
    main = re.findall(r'class="ord-next-step ord-next-main[^"]*"[\s\S]*?value="(\w+)"', page)
    others = page[page.index("ord-other-steps") :] if "ord-other-steps" in page else ""
    return main, re.findall(r'name="status" value="(\w+)"', others)


def test_one_next_step_is_offered_and_the_rest_wait_a_tap_away(seller, shop, order):
    main, others = _step_buttons(page_text(seller.get(_url(shop, order))))
    assert main == ["ready"] and others == ["shipped", "delivered", "cancelled"]
    seller.post(_url(shop, order, "/status"), data={"status": "shipped"})
    main, others = _step_buttons(page_text(seller.get(_url(shop, order))))
    assert main == ["delivered"] and others == ["returned"]


def test_a_delivered_paid_order_needs_a_deliberate_tap_to_be_returned(seller, shop, order):
    seller.post(_url(shop, order, "/payments"), data={"amount": "94.50", "method": "cod"})
    seller.post(_url(shop, order, "/status"), data={"status": "delivered"})
    page = page_text(seller.get(_url(shop, order)))
    main, others = _step_buttons(page)
    assert main == [] and others == ["returned"]
    assert "Something went wrong?" in page
    returned = page[page.index("ord-other-steps") :]
    assert 'hx-confirm="Mark this order returned?' in returned
    assert 'name="resellable" value="1" checked' not in returned
    # Fully paid: no payment form in the way, only a tucked-away "Record another payment".
    assert '<details class="ord-more-payment">' in page


def test_the_order_page_shows_the_delivery_zone_and_address(seller, shop):
    from kyora.orders.models import ShippingZone

    zone = ShippingZone(
        business_id=shop.business.id, name="Dubai", countries="AE", cities="", cost=D("25")
    )
    db.session.add(zone)
    db.session.flush()
    with seller.application.test_request_context("/"):
        placed = make_order(
            shop.business,
            shop.owner,
            [(shop.cap, 1)],
            customer_name="Mona",
            shipping_mode="zone",
            shipping_zone_id=zone.id,
            address_line="Villa 5",
            address_city="Dubai Marina",
        )
    db.session.commit()
    page = page_text(seller.get(_url(shop, placed)))
    delivery = page[page.index('id="order-delivery"') :]
    assert "Villa 5, Dubai Marina" in delivery and "Dubai · AED\xa025.00" in delivery


def test_timeline_names_and_dates_are_isolated_for_right_to_left(seller, shop, order):
    page = page_text(seller.get(_url(shop, order)))
    assert re.search(r"<bdi>Sara Ali</bdi> · <bdi><time datetime=", page)
