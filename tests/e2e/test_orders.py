"""A seller on a phone: paste a DM, fix what did not match, save, get paid, ship, share.

Runs in English and in Arabic (right to left) on a 390×844 viewport.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import sqlalchemy as sa

from kyora.core.money import format_money
from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.inventory.models import Variant
from kyora.orders.models import Order
from kyora.orders.services import setup_new_business
from tests.e2e.conftest import htmx_ready, switch_to_arabic
from tests.factories import PASSWORD, make_business, make_order, make_product, make_user

MESSAGE = (
    "Hi! 2 red scarves size M and 1 black cap and a blue umbrella, "
    "deliver to Villa 5, Marina 050 123 4567 @sara.designs"
)


def _shop(suffix: str):
    owner = make_user(name="Layla Owner", email=f"orders-{suffix}@example.com")
    business = make_business(owner, name="Layla Scarves", handle=f"layla-orders-{suffix}")
    business.vat_rate = Decimal("0.05")
    business.whatsapp = "+971509990000"
    setup_new_business(business)
    scarf = make_product(
        business, "Red Scarf", options={"Size": ["S", "M"]}, price="45", cost="20", stock=5
    )
    cap = make_product(business, "Black Cap", price="30", cost="12", stock=3)
    db.session.commit()
    return owner, business, scarf.variants[0], scarf.variants[1], cap.variants[0]


def _fresh() -> None:
    """End the test's read transaction, so it sees what the live server committed."""
    db.session.rollback()


def _stock(variant_id: int) -> int:
    _fresh()
    return db.session.scalar(sa.select(Variant.stock).where(Variant.id == variant_id))


def _money(amount: str, locale: str) -> str:
    return format_money(Decimal(amount), "AED", locale)


def _log_in(page, live_server, user, business):
    page.goto(f"{live_server}/login?next=/b/{business.handle}/orders/new")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action^='/login'] button[type=submit]")
    page.wait_for_selector("#order-form")


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_paste_fix_save_pay_ship_share_and_cancel(page, live_server, locale):
    owner, business, scarf_s, scarf_m, cap = _shop(locale)
    ids = {"s": scarf_s.id, "m": scarf_m.id, "cap": cap.id}
    _log_in(page, live_server, owner, business)
    if locale == "ar":
        switch_to_arabic(page)
        page.wait_for_selector("#order-form")
        assert page.get_attribute("html", "dir") == "rtl"

    # Paste the customer's DM: phone, handle, items and address are filled in.
    page.fill("#message", MESSAGE)
    page.click("button[name=action][value=parse]")
    page.wait_for_selector(".ord-parsed mark")
    assert page.inner_text(".ord-parsed mark") == "blue umbrella"
    assert page.input_value("#customer_phone") == "+971501234567"
    assert page.input_value("#customer_handle") == "@sara.designs"
    assert page.input_value("#address_line") == "Villa 5, Marina"
    assert page.input_value("#items-0-variant_id") == str(ids["m"])
    assert page.input_value("#items-0-quantity") == "2"
    assert page.input_value("#items-1-variant_id") == str(ids["cap"])

    # Fix the unmatched line: search the catalog and pick the small scarf instead.
    htmx_ready(page)
    assert page.input_value("#items-2-query") == "blue umbrella"
    page.fill("#items-2-query", "scarf")
    page.click(f"#line-2-suggestions button[value='pick:2:{ids['s']}']")
    page.wait_for_selector(f"#items-2-variant_id[value='{ids['s']}']", state="attached")
    page.fill("#customer_name", "Sara")
    # 2 × 45 + 30 + 45 = 165, VAT 8.25, no delivery fee (no zone is set up).
    page.wait_for_selector(f"#order-total:has-text('{_money('173.25', locale)}')")

    page.click("button.ord-save")
    page.wait_for_selector(".ord-detail h1")
    assert "/orders/" in page.url
    _fresh()
    order = db.session.scalar(sa.select(Order).where(Order.business_id == business.id))
    assert order.number == 1001 and order.total == Decimal("173.25")
    assert (_stock(ids["s"]), _stock(ids["m"]), _stock(ids["cap"])) == (4, 3, 2)
    customer = db.session.get(Customer, order.customer_id)
    assert (customer.name, customer.phone, customer.instagram) == (
        "Sara",
        "+971501234567",
        "sara.designs",
    )
    assert page.is_visible(f"text={_money('173.25', locale)}")

    # A part payment, then the rest (the amount box offers the balance).
    page.fill("#amount", "100")
    page.click(".ord-payment-form button[type=submit]")
    page.wait_for_selector(f"#order-balance:has-text('{_money('73.25', locale)}')")
    assert page.input_value("#amount") == "73.25"
    page.click(".ord-payment-form button[type=submit]")
    page.wait_for_selector(".ord-payment-paid")
    assert not page.is_visible("#order-balance")

    # Shipped (skipping "ready", a tap away), then delivered: only valid steps are offered.
    page.click(".ord-other-steps summary")
    page.click("button[name=status][value=shipped]")
    page.wait_for_selector(".ord-status-shipped")
    steps = page.eval_on_selector_all("button[name=status]", "buttons => buttons.map(b => b.value)")
    assert steps == ["delivered", "returned"]
    page.click("button[name=status][value=delivered]")
    page.wait_for_selector(".ord-status-delivered")
    _fresh()
    assert db.session.get(Order, order.id).status == "delivered"

    # The WhatsApp link opens wa.me with the summary (answered locally, no network).
    page.context.route("https://wa.me/**", lambda route: route.fulfill(status=200, body="ok"))
    with page.expect_popup() as popup_info:
        page.click("#whatsapp-link")
    popup = popup_info.value
    parts = urlsplit(popup.url)
    assert (parts.netloc, parts.path) == ("wa.me", "/971501234567")
    text = unquote(parse_qs(parts.query)["text"][0])
    assert "#1001" in text and _money("173.25", locale) in text
    assert f"/o/{order.public_token}" in text
    popup.close()

    # The customer's status page: no login, the status and the total.
    status_url = page.get_attribute("#public-link", "href")
    page.goto(status_url)
    page.wait_for_selector("#order-state")
    assert page.is_visible(".ord-progress .ord-current")
    assert page.is_visible(f"text={_money('173.25', locale)}")

    # Cancel another order: its stock comes back.
    other = make_order(business, owner, [(db.session.get(Variant, ids["cap"]), 2)])
    db.session.commit()
    assert _stock(ids["cap"]) == 0
    page.goto(f"{live_server}/b/{business.handle}/orders/{other.id}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".ord-other-steps summary")
    page.click("button[name=status][value=cancelled]")
    page.wait_for_selector(".ord-status-cancelled")
    assert _stock(ids["cap"]) == 2
    page.goto(f"{live_server}/b/{business.handle}/orders/new")
    page.fill("#items-0-query", "cap")
    page.wait_for_selector(f"#line-0-suggestions button[value='pick:0:{ids['cap']}']")
    assert "2" in page.inner_text(f"#line-0-suggestions button[value='pick:0:{ids['cap']}']")
