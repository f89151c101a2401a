"""The demo owner opens Kyora on a phone and reads how the business is doing: the
sentences carry the books' figures (computed here independently), the chart has a text
alternative, "customers owe you" opens exactly the orders waiting for payment; a
member sees the same home without any money figure; the weekly email says the same
sentences. English and Arabic, 390×844."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from kyora.accounting import figures
from kyora.accounting.ledger import business_day
from kyora.accounts.models import User
from kyora.businesses.models import Business
from kyora.core import mail
from kyora.core.money import format_money
from kyora.demo import DEMO_EMAIL, DEMO_HANDLE, DEMO_PASSWORD, build
from kyora.extensions import db
from kyora.insights.weekly import send_summary
from kyora.orders import status as st
from kyora.orders.models import Order
from kyora.orders.totals import DUE_PAYMENT_STATUSES
from tests.e2e.conftest import log_in, switch_to_arabic
from tests.factories import PASSWORD, make_user


@pytest.fixture
def demo(app):
    """The demo business (built once) and the figures its books and orders give."""
    with app.app_context():
        build()
        business = db.session.scalar(sa.select(Business).where(Business.handle == DEMO_HANDLE))
        today = business_day(business)
        money = figures.home(business, today)
        owed_orders = db.session.scalar(
            sa.select(sa.func.count(Order.id)).where(
                Order.business_id == business.id,
                Order.status.in_(st.SALE_STATUSES),
                Order.payment_status.in_(DUE_PAYMENT_STATUSES),
            )
        )
        to_ship = db.session.scalar(
            sa.select(sa.func.count(Order.id)).where(
                Order.business_id == business.id, Order.status.in_(st.TO_SHIP_STATUSES)
            )
        )
        member = make_user(
            name="Sami Helper",
            email="helper-insights@example.com",
            role="member",
            workspace=business.workspace,
        )
        db.session.commit()
        return {
            "business_id": business.id,
            "owed": money.owed_to_you,
            "owed_orders": owed_orders,
            "to_ship": to_ship,
            "month_profit": figures.profit(business, today.replace(day=1), today).net_profit,
            "member_email": member.email,
        }


def _text(page, selector: str) -> str:
    return page.locator(selector).inner_text().replace("\xa0", " ")


def _read_home(page, live_server, demo, language):
    page.goto(f"{live_server}/b/{DEMO_HANDLE}/")
    owed = format_money(demo["owed"], "AED", language).replace("\xa0", " ")
    sentence = _text(page, "#say-owed")
    assert owed in sentence and str(demo["owed_orders"]) in sentence
    assert str(demo["to_ship"]) in _text(page, "#say-to_ship")
    profit = format_money(abs(demo["month_profit"]), "AED", language).replace("\xa0", " ")
    assert profit in _text(page, "#say-profit")
    chart = page.locator(".insights-chart svg[role=img]")
    assert chart.is_visible()
    assert chart.locator("desc").text_content().strip()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    sentences = [
        line.replace("\xa0", " ")
        for line in page.locator(".insight-sentences li").all_inner_texts()
    ]
    page.click("#say-owed a")
    page.wait_for_url(re.compile(r"payment=due"))
    assert str(demo["owed_orders"]) in page.locator(".ord-count").inner_text()
    return sentences


def test_the_owner_reads_the_books_in_sentences_and_gets_them_by_email(
    page, live_server, demo, app
):
    log_in(page, live_server, DEMO_EMAIL, DEMO_PASSWORD)
    in_english = _read_home(page, live_server, demo, "en")
    assert len(in_english) >= 4
    switch_to_arabic(page)
    _read_home(page, live_server, demo, "ar")
    with app.app_context():
        business = db.session.get(Business, demo["business_id"])
        owner = db.session.scalar(sa.select(User).where(User.email == DEMO_EMAIL))
        owner.locale = "en"
        sent_before = len(mail.outbox)
        send_summary(owner, [business], business_day(business))
        db.session.commit()
    text = mail.outbox[sent_before].get_body(("plain",)).get_content().replace("\xa0", " ")
    for sentence in in_english:
        assert sentence.strip() in text, sentence


def test_a_member_sees_no_money_figure(page, live_server, demo):
    log_in(page, live_server, demo["member_email"], PASSWORD)
    page.goto(f"{live_server}/b/{DEMO_HANDLE}/")
    assert page.locator("#say-owed").is_visible()
    for hidden in ("#say-profit", "#say-safe", "#kpi-profit"):
        assert page.locator(hidden).count() == 0
    text = page.locator("main").inner_text().replace("\xa0", " ")
    assert format_money(demo["owed"], "AED", "en").replace("\xa0", " ") not in text
    assert str(demo["owed_orders"]) in _text(page, "#say-owed")
