"""A seller keeps their customers on a phone: add one, note, search, spot a duplicate, merge."""

from __future__ import annotations

import re

from kyora.extensions import db
from tests.e2e.conftest import htmx_ready, switch_to_arabic
from tests.factories import PASSWORD, make_business, make_customer, make_user


def _log_in(page, live_server, user, business):
    """Log in through the real form, landing straight on the customer list."""
    page.goto(f"{live_server}/login?next=/b/{business.handle}/customers/")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action^='/login'] button[type=submit]")
    page.wait_for_selector("#customers-results")


def _shop():
    owner = make_user(name="Layla Owner", email="customers-owner@example.com")
    business = make_business(owner, name="Layla Scarves", handle="layla-customers")
    make_customer(business, "Omar Khalid", phone="0527776666", actor=owner)
    make_customer(business, "Sarah Al Hashimi", instagram="sarah.hashimi", actor=owner)
    db.session.commit()
    return owner, business


def test_seller_adds_searches_and_merges_customers(page, live_server):
    owner, business = _shop()
    base = f"{live_server}/b/{business.handle}/customers"
    _log_in(page, live_server, owner, business)

    # Add a customer with a number typed in Arabic-Indic digits and a pasted profile link.
    page.click("text=New customer")
    page.fill("#name", "Sara Al Hashimi")
    page.fill("#phone", "٠٥٠ ١٢٣ ٤٥٦٧")
    page.fill("#instagram", "https://www.instagram.com/Sara.Hashimi/")
    page.fill("#address-line", "Marina Heights 4")
    page.fill("#address-city", "Dubai")
    page.click("#customer-form button[type=submit]")
    page.wait_for_selector("h1:text('Sara Al Hashimi')")
    htmx_ready(page)
    assert (
        page.get_attribute("a:text('Message on WhatsApp')", "href") == "https://wa.me/971501234567"
    )
    assert page.is_visible("a[href='https://www.instagram.com/sara.hashimi/']")
    assert page.is_visible("text=Marina Heights 4, Dubai")
    # The same-sounding "Sarah Al Hashimi" is flagged.
    assert page.is_visible("#duplicates-title")

    # A note appears in the timeline without leaving the page.
    url = page.url
    page.fill("#body", "Prefers evening delivery")
    page.click("#customer-notes button[type=submit]")
    page.wait_for_selector("#customer-notes .cust-timeline :text('Prefers evening delivery')")
    assert page.url == url

    # Active search: typing narrows the list and the address bar follows.
    page.goto(base + "/")
    page.fill("#customer-search", "omar")
    page.wait_for_selector("#customers-results :text('1 customer')")
    assert page.is_visible("#customers-results :text('Omar Khalid')")
    assert not page.is_visible("#customers-results :text('Sara Al Hashimi')")
    assert re.search(r"/customers/\?q=omar$", page.url)

    # Compare the two records and merge them into the one with the phone number.
    page.goto(url)
    page.click("text=Compare and merge")
    page.wait_for_selector("text=Keep Sarah Al Hashimi")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".cust-merge-form button[type=submit]")
    page.wait_for_selector("text=is merged into Sara Al Hashimi")
    assert page.is_visible("a[href='https://www.instagram.com/sara.hashimi/']")
    assert not page.is_visible("#duplicates-title")


def test_customer_pages_in_arabic(page, live_server):
    owner, business = _shop()
    _log_in(page, live_server, owner, business)
    switch_to_arabic(page)
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.is_visible("#customers-results :text('Omar Khalid')")
    page.click("#customers-results a:text('Omar Khalid')")
    page.wait_for_selector("h1:text('Omar Khalid')")
    assert page.is_visible("a[href='https://wa.me/971527776666']")
