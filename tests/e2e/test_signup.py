"""A new seller signs up on a phone, verifies the email and lands on the business home."""

import re

import pytest
from babel.support import Translations

from kyora.core import mail

AR = Translations.load("kyora/translations", ["ar"])


def _code() -> str:
    body = mail.outbox[-1].get_body(("plain",)).get_content()
    return re.search(r"\b(\d{6})\b", body).group(1)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_signup_to_business_home_on_a_phone(page, live_server, language):
    t = AR.gettext if language == "ar" else (lambda text: text)
    page.goto(f"{live_server}/signup")
    if language == "ar":
        page.click("button[name=lang][value=ar]")
        page.wait_for_selector("html[dir=rtl]")
    assert page.locator("h1").inner_text() == t("Create your account")
    page.fill("#name", "Layla Haddad")
    page.fill("#email", f"layla-{language}@example.com")
    page.fill("#password", "scarves for every season")
    page.click("form[action='/signup'] button[type=submit]")

    page.wait_for_url(re.compile(r".*/signup/verify$"))
    assert page.locator("h1").inner_text() == t("Check your email")
    page.fill("#code", "000000" if _code() != "000000" else "111111")
    page.click("form[action='/signup/verify'] button[type=submit]")
    assert t("That code is not right. %(left)d tries left.") % {"left": 4} in page.content()
    page.fill("#code", _code())
    page.click("form[action='/signup/verify'] button[type=submit]")

    page.wait_for_url(re.compile(r".*/signup/business$"))
    assert page.locator("h1").inner_text() == t("Name your business")
    page.fill("#name", f"Layla Scarves {language.upper()}")
    # The handle follows the name live (htmx).
    expect_handle = f"layla-scarves-{language}"
    page.wait_for_function(
        "expected => document.querySelector('#handle').value === expected", arg=expect_handle
    )
    page.select_option("#country", "AE")
    page.click("#business-form button[type=submit]")

    page.wait_for_url(re.compile(rf".*/b/{expect_handle}/$"))
    assert t("Hello, %(name)s") % {"name": "Layla"} in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    # The phone layout: bottom navigation visible, side navigation hidden, nothing wider than the screen.
    assert page.locator("nav.bottomnav").is_visible()
    assert not page.locator("nav.sidenav").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_password_reset_in_the_browser(page, live_server):
    from kyora.extensions import db
    from tests.factories import make_tenant

    owner, business = make_tenant()
    db.session.commit()
    page.goto(f"{live_server}/login")
    page.click("text=Forgot your password?")
    page.fill("#email", owner.email)
    page.click("form[action='/password/forgot'] button[type=submit]")
    assert "If an account exists for" in page.content()
    body = mail.outbox[-1].get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+/password/reset/\S+", body).group(0)
    page.goto(link)
    page.fill("#password", "new sentence for spring")
    page.click("form[action*='/password/reset/'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/login$"))
    page.fill("#email", owner.email)
    page.fill("#password", "new sentence for spring")
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(re.compile(rf".*/b/{business.handle}/$"))


def test_desktop_shows_the_side_navigation(desktop_page, live_server):
    from kyora.extensions import db
    from tests.e2e.conftest import log_in
    from tests.factories import PASSWORD, make_tenant

    owner, business = make_tenant()
    db.session.commit()
    log_in(desktop_page, live_server, owner.email, PASSWORD)
    assert desktop_page.locator("nav.sidenav").is_visible()
    assert not desktop_page.locator("nav.bottomnav").is_visible()
    desktop_page.click("details.switcher summary")
    assert desktop_page.locator("details.switcher a", has_text="New business").is_visible()
