"""An owner on a phone keeps their money straight: confirm and get paid for an order,
add an expense with a receipt photo, set up a monthly rent, put money in and take
some out, then read the money home, the reports and the order's profit. The figures
are the fixed scenario's (worked out below); a member sees none of it.

Runs in English and in Arabic (right to left) on a 390×844 viewport.
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from PIL import Image

from kyora.accounting.chart import ensure_chart
from kyora.accounting.ledger import business_day
from kyora.core.money import format_money
from kyora.extensions import db
from kyora.orders.models import PaymentMethod, ShippingZone
from kyora.orders.services import DraftLine, OrderDraft, create_order, setup_new_business
from tests.e2e.conftest import switch_to_arabic
from tests.factories import PASSWORD, make_business, make_product, make_user

# The order: 2 scarves (90) + 1 cap (30) − 10 discount = 110; VAT 5 % = 5.50; delivery
# 15 (under the 150 free-delivery threshold); total 130.50; goods cost 52.50. Paid by
# bank transfer at 1 % + 1.00: fee 2.31, so the bank gets 128.19. Order profit:
# 110 + 15 − 52.50 − 2.31 = 70.19.
# Then, all in cash: rent 300 (receipt), a monthly rent of 1,000 starting today,
# 5,000 put in, 200 taken out. Cash 3,500; cash in hand 3,628.19; spent in the last
# 30 days 1,302.31; safe to take out 3,628.19 − 5.50 − 1,302.31 = 2,320.38.
# Profit this month: 70.19 − 1,300 = −1,229.81.
EXPECTED = {
    "cash_in_hand": "3628.19",
    "owed": "0",
    "safe": "2320.38",
    "month_profit": "-1229.81",
    "order_profit": "70.19",
    "net_sales": "110",
    "gross_profit": "72.50",
    "customers_paid": "130.50",
    "put_in": "5000",
    "expenses": "-1300",
    "took_out": "-200",
    "cash_change": "3628.19",
}


def _shop(suffix: str):
    owner = make_user(name="Layla Owner", email=f"money-{suffix}@example.com")
    member = make_user(
        name="Sami Member",
        email=f"money-member-{suffix}@example.com",
        role="member",
        workspace=owner.workspace,
    )
    business = make_business(owner, name="Layla Scarves", handle=f"layla-money-{suffix}")
    business.vat_rate = Decimal("0.05")
    business.created_at -= timedelta(days=60)
    setup_new_business(business)
    db.session.execute(
        sa.update(PaymentMethod)
        .where(PaymentMethod.business_id == business.id, PaymentMethod.kind == "bank_transfer")
        .values(fee_rate=Decimal("0.01"), fee_fixed=Decimal("1"))
    )
    zone = ShippingZone(
        business_id=business.id,
        name="Dubai",
        countries="AE",
        cost=Decimal("15"),
        free_threshold=Decimal("150"),
    )
    db.session.add(zone)
    db.session.flush()
    scarf = make_product(business, "Red Scarf", price="45", cost="20", stock=10).variants[0]
    cap = make_product(business, "Black Cap", price="30", cost="12.5", stock=4).variants[0]
    draft = OrderDraft(
        lines=[DraftLine(scarf.id, 2), DraftLine(cap.id, 1)],
        customer_name="Mona",
        status="pending",
        discount_kind="amount",
        discount_value=Decimal("10"),
        shipping_mode="zone",
        shipping_zone_id=zone.id,
    )
    order = create_order(business, owner, draft).order
    rent = ensure_chart(business)["exp_rent"]
    db.session.commit()
    return owner, member, business, order, rent


def _money(amount: str, locale: str) -> str:
    return format_money(Decimal(amount), "AED", locale)


def _text(page, selector: str) -> str:
    return page.inner_text(selector).replace("\u00a0", " ")


def _has(page, selector: str, amount: str, locale: str) -> None:
    expected = _money(amount, locale).replace("\u00a0", " ")
    assert expected in _text(page, selector), (selector, expected, _text(page, selector))


def _receipt(tmp_path) -> str:
    path = tmp_path / "receipt.png"
    image = Image.new("RGB", (60, 40), (30, 120, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_an_owner_keeps_their_money_straight(page, browser, live_server, locale, tmp_path):
    owner, member, business, order, rent = _shop(locale)
    base = f"{live_server}/b/{business.handle}"
    page.goto(f"{live_server}/login?next=/b/{business.handle}/orders/{order.id}")
    page.fill("input[name=email]", owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action^='/login'] button[type=submit]")
    page.wait_for_selector("#order-detail")
    if locale == "ar":
        switch_to_arabic(page)
        page.wait_for_selector("#order-detail")

    # Confirm the order, then record the bank transfer.
    page.click("button[name=status][value=confirmed]")
    page.wait_for_selector("#order-profit")
    page.wait_for_load_state("networkidle")
    page.fill("#amount", "130.50")
    page.select_option("#method", "bank_transfer")
    assert page.input_value("#method") == "bank_transfer"
    with page.expect_response(lambda response: response.url.endswith("/payments")) as paid:
        page.click(".ord-payment-form button[type=submit]")
    assert paid.value.status == 200
    page.wait_for_load_state("networkidle")
    page.reload()
    _has(page, "#order-profit", EXPECTED["order_profit"], locale)

    # An expense with a receipt photo.
    today = business_day(business).isoformat()
    page.goto(f"{base}/money/expenses/new")
    page.fill("#amount", "300")
    page.select_option("#category_id", str(rent.id))
    page.fill("#spent_on", today)
    page.select_option("#paid_from", "cash")
    page.set_input_files("#receipt", _receipt(tmp_path))
    page.click("#expense-form button[type=submit]")
    page.wait_for_selector("#expenses-table .list-row")

    # A monthly rent from today.
    page.goto(f"{base}/money/recurring")
    page.fill("#amount", "1000")
    page.select_option("#category_id", str(rent.id))
    page.select_option("#frequency", "monthly")
    page.fill("#start_on", today)
    page.select_option("#paid_from", "cash")
    page.click("#recurring-form button[type=submit]")
    page.wait_for_selector(".list-row[id^=recurring-]")

    # Put money in, take some out.
    page.goto(f"{base}/money/put-in")
    page.fill("#amount", "5000")
    page.select_option("#account", "cash")
    page.click("#owner-form button[type=submit]")
    page.wait_for_selector("#money-cash")
    page.goto(f"{base}/money/take-out")
    page.fill("#amount", "200")
    page.select_option("#account", "cash")
    page.click("#owner-form button[type=submit]")
    page.wait_for_selector("#money-cash")

    # The money home.
    _has(page, "#money-cash", EXPECTED["cash_in_hand"], locale)
    _has(page, "#money-owed", EXPECTED["owed"], locale)
    _has(page, "#money-safe", EXPECTED["safe"], locale)
    _has(page, "#money-profit", EXPECTED["month_profit"], locale)

    # Profit & earnings and cash movement for this month, and their CSVs.
    page.goto(f"{base}/money/reports/profit?period=month")
    _has(page, "#pl-net-sales", EXPECTED["net_sales"], locale)
    _has(page, "#pl-gross", EXPECTED["gross_profit"], locale)
    _has(page, "#pl-net", EXPECTED["month_profit"], locale)
    csv = page.request.get(f"{base}/money/reports/profit?period=month&format=csv").text()
    assert "110.00" in csv and "72.50" in csv and "-1229.81" in csv

    page.goto(f"{base}/money/reports/cash?period=month")
    _has(page, "#cash-customers", EXPECTED["customers_paid"], locale)
    _has(page, "#cash-owner_in", EXPECTED["put_in"], locale)
    _has(page, "#cash-expenses", EXPECTED["expenses"], locale)
    _has(page, "#cash-owner_out", EXPECTED["took_out"], locale)
    _has(page, "#cash-net", EXPECTED["cash_change"], locale)
    csv = page.request.get(f"{base}/money/reports/cash?period=month&format=csv").text()
    assert "130.50" in csv and "-1300.00" in csv and "3628.19" in csv

    # A member of the team sees none of it.
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    member_page = context.new_page()
    member_page.goto(f"{live_server}/login?next=/b/{business.handle}/orders/{order.id}")
    member_page.fill("input[name=email]", member.email)
    member_page.fill("input[name=password]", PASSWORD)
    member_page.click("form[action^='/login'] button[type=submit]")
    member_page.wait_for_selector("#order-detail")
    assert member_page.locator("#order-profit").count() == 0
    assert member_page.locator("a[href$='/money/']").count() == 0
    response = member_page.goto(f"{base}/money/")
    assert response.status == 403
    context.close()
