"""Every main page fits a phone (360 and 390 px) and a desktop (1280 px), in English and
Arabic: nothing scrolls sideways and nothing a user must tap lies outside the screen.
The account menu, opened, stays on screen too.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from kyora.extensions import db
from kyora.orders.models import ShippingZone
from kyora.orders.services import add_note, setup_new_business
from tests.factories import (
    PASSWORD,
    make_business,
    make_customer,
    make_order,
    make_product,
    make_user,
)

WIDTHS = (360, 390, 1280)

# Interactive elements that are off screen, outside containers made to scroll sideways.
OFF_SCREEN = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (["auto", "scroll"].includes(style.overflowX) && node.scrollWidth > node.clientWidth) return true;
    }
    return false;
  };
  const selector = "a[href], button, input:not([type=hidden]), select, textarea, summary, label";
  return [...document.querySelectorAll(selector)].filter((el) => {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || el.closest(".visually-hidden, .skip-link")) return false;
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) return false;
    return (box.left < -1 || box.right > width + 1) && !scrolls(el);
  }).map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className} "${(el.innerText || el.value || "").trim().slice(0, 30)}" ${Math.round(el.getBoundingClientRect().left)}..${Math.round(el.getBoundingClientRect().right)}`);
}"""
SIDEWAYS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
# Hints and errors drawn over the bottom border of the box they belong to.
OVERLAPS = """() => [...document.querySelectorAll(".field small")].filter((hint) => {
  const box = hint.closest(".field").querySelector("input:not([type=hidden]):not([type=checkbox]), select, textarea");
  if (!box || !hint.checkVisibility() || !box.checkVisibility()) return false;
  return hint.getBoundingClientRect().top < box.getBoundingClientRect().bottom - 1;
}).map((hint) => `${hint.id}: "${hint.innerText.slice(0, 40)}"`)"""


def _shop():
    owner = make_user(name="Layla Haddad", email="layout-owner@example.com")
    business = make_business(owner, name="Sara Designs", handle="layout-shop")
    business.vat_rate = Decimal("0.05")
    business.prices_include_vat = True
    business.tax_number = "100234567800003"
    business.whatsapp = "+971509990000"
    business.phone = "+971501234567"
    business.instagram = "layla.boutique"
    setup_new_business(business)
    db.session.add(
        ShippingZone(
            business_id=business.id,
            name="Dubai",
            countries="AE",
            cities="Dubai, Dubai Marina",
            cost=Decimal("25"),
        )
    )
    scarf = make_product(
        business,
        "Red Scarf with a rather long product name",
        options={"Size": ["S", "M"], "Colour": ["Red", "Black"]},
        price="45",
        cost="20",
        stock=8,
    )
    make_product(business, "Linen Cap", price="30", cost="12", stock=3)
    customer = make_customer(business, "Mona Khalil", phone="+971501112233", instagram="mona.k")
    order = make_order(
        business,
        owner,
        [(scarf.variants[0], 2), (scarf.variants[1], 1)],
        customer_id=customer.id,
        channel="instagram",
        address_line="Villa 12, Al Sufouh Road",
        address_city="Dubai Marina",
        note="Leave with the concierge.",
    )
    add_note(business, owner, order, "Gift wrap, please.")
    db.session.commit()
    return owner, business, scarf, customer, order


def _pages(business, scarf, customer, order) -> list[str]:
    base = f"/b/{business.handle}"
    return [
        f"{base}/",
        f"{base}/orders/",
        f"{base}/orders/new",
        f"{base}/orders/{order.id}",
        f"{base}/orders/{order.id}/edit",
        f"{base}/orders/{order.id}/receipt",
        f"/o/{order.public_token}",
        f"{base}/products/",
        f"{base}/products/{scarf.id}",
        f"{base}/products/{scarf.id}/edit",
        f"{base}/products/new",
        f"{base}/customers/",
        f"{base}/customers/{customer.id}",
        f"{base}/settings",
        f"{base}/settings/shipping",
        f"{base}/settings/payments",
        "/settings/team",
        "/account",
        "/account/sessions",
    ]


def _check(page, url: str, width: int) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("load")
    folder = os.environ.get("KYORA_SCREENSHOTS")
    if folder:  # for a person to look at every page
        name = re.sub(r"\W+", "-", url.split("//", 1)[1].split("/", 1)[1]).strip("-") or "home"
        lang = page.get_attribute("html", "lang")
        Path(folder).mkdir(parents=True, exist_ok=True)
        shot = Path(folder) / f"{lang}-{width}-{name}.png"
        page.screenshot(path=str(shot), full_page=True, caret="initial")
    problems = []
    scroll, client = page.evaluate(SIDEWAYS)
    if scroll > client:
        problems.append(f"{url} @{width}: page scrolls sideways ({scroll} > {client})")
    problems += [f"{url} @{width}: {item}" for item in page.evaluate(OFF_SCREEN)]
    problems += [f"{url} @{width} hint over its box: {item}" for item in page.evaluate(OVERLAPS)]
    menu = page.locator("details.user-menu summary")
    if menu.count():
        menu.click()
        problems += [f"{url} @{width} menu open: {item}" for item in page.evaluate(OFF_SCREEN)]
        scroll, client = page.evaluate(SIDEWAYS)
        if scroll > client:
            problems.append(f"{url} @{width} menu open: scrolls sideways")
        menu.click()
    return problems


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_every_main_page_fits_phones_and_desktops(page, live_server, locale):
    owner, business, scarf, customer, order = _shop()
    owner.locale = locale
    db.session.commit()
    problems: list[str] = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844 if width < 900 else 800})
        problems += _check(page, f"{live_server}/signup?lang={locale}", width)
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action^='/login'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844 if width < 900 else 800})
        for path in _pages(business, scarf, customer, order):
            problems += _check(page, live_server + path, width)
    assert page.get_attribute("html", "dir") == ("rtl" if locale == "ar" else "ltr")
    assert not problems, "\n".join(problems)


def test_a_phone_in_dark_mode_still_gets_the_light_pages(browser, live_server):
    """Kyora's pages are drawn light: a phone set to dark mode must not get dark form
    fields and cards on the light page (Pico follows the system unless told)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    field = page.evaluate(
        "getComputedStyle(document.querySelector('input[name=email]')).backgroundColor"
    )
    card = page.evaluate("getComputedStyle(document.querySelector('.auth-card')).backgroundColor")
    context.close()
    for colour in (field, card):
        red, green, blue = (int(part) for part in re.findall(r"\d+", colour)[:3])
        assert min(red, green, blue) >= 200, colour
