"""Quick entry for the thumb, on a 390×844 phone: a DM becomes a saved, correct order in
five taps or fewer, two typed fields or fewer; after the paste the form is at most two
screens tall; a failed save brings its error summary into view.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from kyora.core.money import format_money
from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.orders.models import Order, ShippingZone
from kyora.orders.services import setup_new_business
from tests.e2e.conftest import switch_to_arabic
from tests.factories import PASSWORD, make_business, make_order, make_product, make_user

DM = "Hi! 2 red scarf size M and 1 linen cap please 🙏 Dubai Marina 050 123 4567 @mona.k"
SCREEN = 844


class Thumb:
    """Counts what the seller does: taps and the fields they type into."""

    def __init__(self, page):
        self.page, self.taps, self.typed = page, 0, 0

    def tap(self, selector: str) -> None:
        self.taps += 1
        self.page.click(selector)

    def type(self, selector: str, text: str) -> None:
        self.typed += 1
        self.page.fill(selector, text)


def _shop(suffix: str):
    owner = make_user(name="Layla Owner", email=f"quick-{suffix}@example.com")
    business = make_business(owner, name="Layla Scarves", handle=f"quick-{suffix}")
    business.vat_rate = Decimal("0.05")
    business.prices_include_vat = True
    setup_new_business(business)
    zone = ShippingZone(
        business_id=business.id,
        name="Dubai",
        countries="AE",
        cities="Dubai, Dubai Marina, JBR",
        cost=Decimal("25"),
    )
    db.session.add(zone)
    scarf = make_product(
        business, "Red Scarf", options={"Size": ["S", "M"]}, price="45", cost="20", stock=5
    )
    cap = make_product(business, "Linen Cap", price="30", cost="12", stock=1)
    db.session.commit()
    return owner, business, zone, scarf.variants[1], cap.variants[0]


def _open_entry(page, live_server, owner, business, locale):
    page.goto(f"{live_server}/login?next=/b/{business.handle}/orders/new")
    page.fill("input[name=email]", owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action^='/login'] button[type=submit]")
    page.wait_for_selector("#order-form")
    if locale == "ar":
        switch_to_arabic(page)
        page.wait_for_selector("#order-form")


def _shot(page, name: str) -> None:
    """Full-page screenshots for a person to look at, when KYORA_SCREENSHOTS names a folder."""
    folder = os.environ.get("KYORA_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        # caret="initial": no style injected into the page (the CSP would refuse it).
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True, caret="initial")


def _form_height(page) -> float:
    return page.evaluate("document.querySelector('#order-form').getBoundingClientRect().height")


@pytest.mark.parametrize("width", [390, 360])
@pytest.mark.parametrize("locale", ["en", "ar"])
def test_a_dm_becomes_a_saved_order_in_five_taps(page, live_server, locale, width):
    owner, business, zone, scarf_m, cap = _shop(f"{locale}-{width}")
    page.set_viewport_size({"width": width, "height": SCREEN})
    _open_entry(page, live_server, owner, business, locale)
    thumb = Thumb(page)

    # The paste box is first and open: no tap to find it.
    assert page.is_visible("#message")
    _shot(page, f"quick-entry-{locale}-{width}-before")
    box = page.locator("#message").bounding_box()
    assert box["y"] + box["height"] < SCREEN
    thumb.tap("#message")
    thumb.type("#message", DM)
    thumb.tap("button[name=action][value=parse]")
    page.wait_for_selector(".ord-parsed")
    _shot(page, f"quick-entry-{locale}-{width}-after")

    # What the message said is filled in; the rest waits behind "More options".
    assert page.input_value("#customer_name") == "Mona K"
    assert page.input_value("#customer_phone") == "+971501234567"
    assert page.input_value("#customer_handle") == "@mona.k"
    assert page.input_value("#channel") == "instagram"
    assert page.input_value("#address_city") == "Dubai Marina"
    assert page.input_value("#delivery") == f"zone-{zone.id}"
    assert page.input_value("#items-0-variant_id") == str(scarf_m.id)
    assert page.input_value("#items-0-quantity") == "2"
    assert page.input_value("#items-1-variant_id") == str(cap.id)
    assert not page.is_visible("#payment_reference") and not page.is_visible("#note")
    assert not page.is_visible("#allow_zero_price")
    height = _form_height(page)
    assert height <= 2 * SCREEN, height

    # The total and Save stay on screen while the seller scrolls.
    total = format_money(Decimal("145"), "AED", locale)  # 2 × 45 + 30 + 25 delivery
    page.wait_for_selector(f"#order-total:has-text('{total}')")
    for y in (0, 600, 1200):
        page.evaluate(f"window.scrollTo(0, {y})")
        for selector in ("#order-total", "button.ord-save"):
            rect = page.locator(selector).bounding_box()
            assert rect["y"] >= 0 and rect["y"] + rect["height"] <= SCREEN, (selector, y, rect)

    thumb.tap("button.ord-save")
    page.wait_for_selector(".ord-detail h1")
    assert thumb.taps <= 5 and thumb.typed <= 2, (thumb.taps, thumb.typed)

    db.session.rollback()
    order = db.session.scalar(sa.select(Order).where(Order.business_id == business.id))
    assert (order.total, order.vat, order.shipping) == (
        Decimal("145.00"),
        Decimal("5.71"),
        Decimal("25.00"),
    )
    assert order.channel == "instagram" and order.delivery_city == "Dubai Marina"
    assert order.shipping_zone_id == zone.id
    customer = db.session.get(Customer, order.customer_id)
    assert (customer.name, customer.phone, customer.instagram) == (
        "Mona K",
        "+971501234567",
        "mona.k",
    )


def test_a_failed_save_shows_an_error_summary_at_the_top_linking_to_the_field(page, live_server):
    owner, business, _zone, _scarf_m, cap = _shop("errors")
    _open_entry(page, live_server, owner, business, "en")
    page.fill("#message", "2 linen cap @huda")
    page.click("button[name=action][value=parse]")
    page.wait_for_selector(".ord-parsed")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.click("button.ord-save")
    page.wait_for_selector("#order-errors")
    # The summary is in view and has the focus (given once htmx has settled the swap);
    # its link leads to the line at fault.
    page.wait_for_function("document.activeElement && document.activeElement.id === 'order-errors'")
    rect = page.locator("#order-errors").bounding_box()
    assert 0 <= rect["y"] < SCREEN / 2, rect
    link = page.locator("#order-errors a", has_text="Only 1 of Linen Cap in stock.")
    assert link.get_attribute("href") == "#items-0-quantity"
    link.click()
    assert page.evaluate("location.hash") == "#items-0-quantity"
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 0


def test_the_whole_order_card_opens_the_order_and_ticking_is_a_mode(page, live_server):
    owner, business, _zone, scarf_m, _cap = _shop("cards")
    order = make_order(business, owner, [(scarf_m, 1)], customer_name="Mona Khalil")
    db.session.commit()
    _open_entry(page, live_server, owner, business, "en")
    page.goto(f"{live_server}/b/{business.handle}/orders/")
    card = page.locator(f"#order-{order.id}").bounding_box()
    assert card["height"] < 110, card  # three short lines, not eight labelled rows
    assert not page.is_visible(f"#order-{order.id} input[type=checkbox]")
    assert not page.is_visible(".ord-bulk-bar select")
    page.click("label[for=ord-select-mode]")
    assert page.is_visible(f"#order-{order.id} input[type=checkbox]")
    assert page.is_visible(".ord-bulk-bar select")
    page.click("label[for=ord-select-mode]")
    # A tap anywhere on the card (here: on the total) opens the order.
    total = page.locator(f"#order-{order.id} .ord-card-total").bounding_box()
    page.mouse.click(total["x"] + total["width"] / 2, total["y"] + total["height"] / 2)
    page.wait_for_selector(".ord-detail h1")
    assert page.url.endswith(f"/orders/{order.id}")
