"""An owner invites a helper, who joins on a phone and sees only what helpers may see.

Also the security-header check: the main pages load in Chromium with no CSP
violation and no console error (the `page` fixture fails the test on any).
"""

from __future__ import annotations

import re

import pytest
from babel.support import Translations

from kyora.core import mail
from kyora.extensions import db
from tests.e2e.conftest import log_in, switch_to_arabic
from tests.factories import PASSWORD, last_link, make_business, make_user

AR = Translations.load("kyora/translations", ["ar"])
COST, PRICE = "12.34", "99.99"


def _shop(language: str):
    """An owner with a business; with a product (distinctive cost), a customer and an order
    when those parts of Kyora are present."""
    owner = make_user(name="Layla Owner", email=f"owner-{language}@example.com")
    business = make_business(owner, name="Layla Scarves", handle=f"layla-{language}")
    extras = {}
    try:
        from tests.factories import make_customer, make_order, make_product

        product = make_product(
            business, "Silk Scarf", price=PRICE, cost=COST, stock=10, actor=owner
        )
        customer = make_customer(business, "Mariam Haddad", phone="+971501234567", actor=owner)
        make_order(business, owner, [(product.variants[0], 1)], customer_id=customer.id)
        extras = {"product": product, "customer": customer}
    except ImportError:
        pass
    db.session.commit()
    return owner, business, extras


def _invite(owner_page, live_server, email: str, language: str) -> str:
    owner_page.goto(f"{live_server}/settings/team")
    owner_page.fill("#email", email)
    owner_page.select_option("#role", "member")
    owner_page.select_option("#locale", language)
    owner_page.click("#invite-form button[type=submit]")
    owner_page.wait_for_selector("#invite-form .flash-success")
    # The invitations list refreshes itself (htmx event) with the new address.
    owner_page.wait_for_selector(f"#team-invitations :text('{email}')")
    return last_link(mail.outbox, "/invitations/")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_owner_invites_a_helper_who_joins_on_a_phone(page, desktop_page, live_server, language):
    t = AR.gettext if language == "ar" else (lambda text: text)
    owner, business, extras = _shop(language)
    log_in(desktop_page, live_server, owner.email, PASSWORD)
    link = _invite(desktop_page, live_server, f"hana-{language}@example.com", language)
    assert mail.outbox[-1]["To"] == f"hana-{language}@example.com"
    html_email = mail.outbox[-1].get_body(("html",)).get_content()
    assert f'lang="{language}"' in html_email

    # The helper opens the link on a phone.
    page.goto(f"{live_server}{link}")
    if language == "ar":
        switch_to_arabic(page)
    page.fill("#name", "Hana Helper")
    page.fill("#password", "orders all day long")
    page.click("form[action^='/invitations/'] button[type=submit]")
    page.wait_for_url(re.compile(rf".*/b/{business.handle}/$"))
    assert t("Hello, %(name)s") % {"name": "Hana"} in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # By menu: orders and customers (when present), never money, insights or settings.
    nav = page.locator("nav.bottomnav")
    hrefs = [nav.locator("a").nth(i).get_attribute("href") for i in range(nav.locator("a").count())]
    for forbidden in ("/settings", "/money", "/insights", "/accounting", "/reports"):
        assert not any(forbidden in href for href in hrefs), hrefs
    if extras:
        assert any("/orders" in href for href in hrefs) and any(
            "/customers" in href for href in hrefs
        )
    page.click("details.user-menu summary")
    menu = page.locator("details.user-menu ul").inner_text()
    assert "/settings/team" not in page.content()
    assert t("Team") not in menu.split("\n") and t("Billing") not in menu.split("\n")

    # By typed URL: the team page and the business settings are refused.
    for path in ("/settings/team", "/settings/team/activity", f"/b/{business.handle}/settings"):
        response = page.goto(f"{live_server}{path}")
        assert response.status == 403, path

    # Orders, customers and products open, and no cost or profit figure is on them.
    if extras:
        for path in ("orders/", "customers/", "products/", f"products/{extras['product'].id}"):
            response = page.goto(f"{live_server}/b/{business.handle}/{path}")
            assert response.status == 200, path
            # Timestamps' fractions of a second ("…:12.341242") are not figures.
            text = re.sub(r'datetime="[^"]*"', "", page.content())
            assert COST not in text and "87.65" not in text, path
        assert "Silk Scarf" in page.content()

    # The owner sees the helper on the team page.
    desktop_page.goto(f"{live_server}/settings/team")
    assert "Hana Helper" in desktop_page.locator("#team-members").inner_text()


def test_main_pages_load_without_csp_violations(desktop_page, live_server):
    owner, business, extras = _shop("csp")
    helper = make_user(name="Mona Member", role="member", workspace=owner.workspace)
    db.session.commit()
    log_in(desktop_page, live_server, owner.email, PASSWORD)
    violations = []
    desktop_page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    paths = [
        f"/b/{business.handle}/",
        f"/b/{business.handle}/settings",
        "/settings/team",
        "/settings/team/activity",
        "/settings/team/transfer",
        "/account",
        "/account/password",
        "/account/email",
        "/account/sessions",
    ]
    if extras:
        paths += [
            f"/b/{business.handle}/orders/",
            f"/b/{business.handle}/orders/new",
            f"/b/{business.handle}/customers/",
            f"/b/{business.handle}/customers/{extras['customer'].id}",
            f"/b/{business.handle}/products/",
            f"/b/{business.handle}/products/{extras['product'].id}",
        ]
    for path in paths:
        response = desktop_page.goto(f"{live_server}{path}")
        assert response.status == 200, path
        headers = response.headers
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        desktop_page.wait_for_load_state("networkidle")
        assert not desktop_page.kyora_console, (path, desktop_page.kyora_console)
    # An htmx change on the team page (role change) runs under the same policy.
    desktop_page.goto(f"{live_server}/settings/team")
    row = desktop_page.locator(f"#member-{helper.id}")
    row.locator("select[name=role]").select_option("admin")
    row.locator("button[type=submit]").first.click()
    desktop_page.wait_for_selector("#team-members .flash-success")
    assert not violations and not desktop_page.kyora_console
