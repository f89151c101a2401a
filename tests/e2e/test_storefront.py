"""A shopper on a phone buys from a shop link, in English and in Arabic: pick a size,
add two items, check out, land on the WhatsApp hand-off and the status page; then the
seller finds the pending order with the right totals and the stock held.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote

import pytest
import sqlalchemy as sa

from kyora.core.money import format_money
from kyora.extensions import db
from kyora.inventory.models import Variant
from kyora.orders.models import Order
from kyora.orders.services import ZoneDraft, save_zone, setup_new_business
from kyora.storefront.settings import SettingsDraft, update_settings
from tests.e2e.conftest import log_in, switch_to_arabic
from tests.factories import PASSWORD, make_business, make_product, make_user

# Screenshots of each step, to look at (KYORA_SHOTS picks the folder).
SHOTS = Path(os.environ.get("KYORA_SHOTS", "test-results/shots")) / "storefront"


def _open_shop(app, suffix: str):
    with app.test_request_context():
        owner = make_user(name="Layla Owner", email=f"shop-{suffix}@example.com")
        business = make_business(owner, name="Layla Scarves", handle=f"layla-shop-{suffix}")
        business.whatsapp = "+971509990000"
        business.vat_rate = Decimal("0.05")
        business.prices_include_vat = True
        setup_new_business(business)
        scarf = make_product(
            business,
            "Silk Scarf",
            options={"Size": ["S", "M"]},
            price="120",
            stock=5,
            category="Scarves",
        )
        cap = make_product(business, "Cotton Cap", price="45", stock=3, category="Caps")
        save_zone(
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
        update_settings(business, SettingsDraft(enabled=True, brand_color="#7c3aed"))
        db.session.commit()
    return owner, business, scarf.variants[1], cap.variants[0]


def _stock(variant_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(sa.select(Variant.stock).where(Variant.id == variant_id))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_a_shopper_orders_and_hands_off_on_whatsapp(page, live_server, app, locale):
    owner, business, medium, cap = _open_shop(app, locale)
    shop = f"{live_server}/s/{business.handle}/"
    page.goto(shop)
    if locale == "ar":
        page.click("a.sf-lang[lang=ar]")
        page.wait_for_selector("html[dir=rtl]")
    _shot(page, f"home-{locale}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # A size of the scarf, then the cap: two items.
    page.click("text=Silk Scarf")
    page.click(f"label:has(input[value='{medium.id}'])")
    _shot(page, f"product-{locale}")
    page.click("#add-form button[type=submit]")
    page.goto(shop)
    page.click("text=Cotton Cap")
    page.click("#add-form button[type=submit]")
    page.click("#cart-link")
    assert page.locator(".sf-count").inner_text() == "2"
    _shot(page, f"cart-{locale}")

    page.click("a[href$='/checkout']")
    page.fill("#name", "Mariam Saeed")
    page.fill("#phone", "050 123 4567")
    page.fill("#address", "Marina Gate 2, flat 1203")
    page.fill("#city", "Dubai")
    page.check("input[name=zone_id]")
    _shot(page, f"checkout-{locale}")
    # The narrowest phones: still no sideways scroll.
    page.set_viewport_size({"width": 360, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("#checkout-form button[type=submit]")
    page.wait_for_selector("#send-whatsapp")
    _shot(page, f"placed-{locale}")

    # 120 + 45 + 15 delivery = 180, sent to the shop's WhatsApp with the status link.
    total = format_money(Decimal("180"), "AED", locale)
    href = page.get_attribute("#send-whatsapp", "href")
    assert href.startswith("https://wa.me/971509990000?text=")
    message = unquote(href.split("text=", 1)[1])
    db.session.rollback()
    order = db.session.scalar(sa.select(Order).where(Order.business_id == business.id))
    # "#1001" in English; Arabic writes "رقم 1001" (the order number) as elsewhere.
    assert re.search(rf"(#|رقم ){order.number}\b", message) and total in message
    assert f"/o/{order.public_token}" in message
    assert page.locator("#whatsapp-text").inner_text().strip() == message.strip()

    page.click("#status-link")
    page.wait_for_url(f"**/o/{order.public_token}")
    assert total in page.locator("main").inner_text()

    # The seller's side: pending, from the shop, stock held.
    assert (order.status, order.channel, order.total) == ("pending", "storefront", Decimal("180"))
    assert _stock(medium.id) == 4 and _stock(cap.id) == 2
    page.context.clear_cookies()
    log_in(page, live_server, owner.email, PASSWORD)
    page.goto(f"{live_server}/b/{business.handle}/orders/")
    row = page.locator(f"#order-{order.id}")
    # The seller reads Kyora in their own language (English here).
    assert row.locator(".ord-card-total").inner_text() == format_money(Decimal("180"), "AED", "en")
    assert row.locator(".badge-success").count() == 1
    _shot(page, f"seller-list-{locale}")


def test_desktop_shoppers_get_a_qr_code(desktop_page, live_server, app):
    _owner, business, medium, _cap = _open_shop(app, "desk")
    shop = f"{live_server}/s/{business.handle}/"
    desktop_page.goto(f"{shop}p/{medium.product_id}")
    desktop_page.click(f"label:has(input[value='{medium.id}'])")
    desktop_page.click("#add-form button[type=submit]")
    desktop_page.goto(f"{shop}checkout")
    desktop_page.fill("#name", "Omar Ali")
    desktop_page.fill("#phone", "+971 50 765 4321")
    desktop_page.fill("#address", "Jumeirah 1")
    desktop_page.check("input[name=zone_id]")
    desktop_page.click("#checkout-form button[type=submit]")
    assert desktop_page.locator(".sf-qr svg").is_visible()
    _shot(desktop_page, "placed-desktop-en")


def test_the_seller_opens_the_shop_from_the_settings(page, live_server, app):
    with app.test_request_context():
        owner = make_user(name="Noor Owner", email="shop-settings@example.com")
        business = make_business(owner, name="Noor Gifts", handle="noor-gifts-e2e")
        make_product(business, "Candle", price="30", stock=2, category="Candles")
        db.session.commit()
    assert page.goto(f"{live_server}/s/noor-gifts-e2e/").status == 404
    log_in(page, live_server, owner.email, PASSWORD)
    page.goto(f"{live_server}/b/noor-gifts-e2e/settings")
    page.click("nav.tabs a[href$='/settings/shop']")
    page.check("#enabled")
    page.fill("#about", "Hand-poured candles.")
    _shot(page, "settings-en")
    page.click("#shop-settings-form button[type=submit]")
    page.wait_for_selector(".flash-success")
    switch_to_arabic(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(page, "settings-ar")
    page.goto(f"{live_server}/s/noor-gifts-e2e/")
    assert "Hand-poured candles." in page.locator(".sf-about").inner_text()
