"""The business home as a seller reads it: sentences with the right figures (checked
against the books), tiles, lists, first steps for a new business, and nothing about
money for a member."""

import re
from decimal import Decimal

import pytest

from kyora.accounting import figures
from kyora.accounting.ledger import business_day
from kyora.core.money import format_money
from kyora.extensions import db
from kyora.orders import services as orders
from kyora.orders import status as st
from tests.factories import login, make_tenant, make_user
from tests.factories import page_text as raw_text


def page_text(response) -> str:
    """What a reader sees: tags dropped, spaces tidied."""
    text = re.sub(r"<[^>]+>", "", raw_text(response)).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text)


def aed(amount) -> str:
    return format_money(Decimal(amount), "AED", "en").replace("\xa0", " ")


@pytest.fixture
def sold(shop):
    """Three sales this month: one paid, two unpaid (one shipped)."""
    paid = shop.order([(shop.scarf, 3)], channel="instagram")
    orders.record_payment(shop.business, shop.owner, paid, amount=paid.total, method="cod")
    unpaid = shop.order([(shop.cap, 3)], channel="whatsapp", customer_name="Huda")
    shipped = shop.order([(shop.scarf, 1)], channel="whatsapp", customer_name="Aisha")
    orders.change_status(shop.business, shop.owner, shipped, st.SHIPPED)
    db.session.commit()
    return paid, unpaid, shipped


def test_the_owner_reads_the_month_in_sentences_that_match_the_books(client, shop, sold):
    login(client, shop.owner)
    response = client.get(f"/b/{shop.business.handle}/")
    assert response.status_code == 200
    text = page_text(response)
    today = business_day(shop.business)
    profit = figures.profit(shop.business, today.replace(day=1), today).net_profit
    assert profit == Decimal("152.50")  # 4 scarves (180 − 80) + 3 caps (90 − 37.50)
    assert f"You made {aed(profit)} profit so far this month." in text
    assert f"You sold {aed('270')} on 3 orders this month." in text
    assert "Your best seller this month is Red Scarf (4 sold)." in text
    assert f"Customers owe you {aed('135')} on 2 orders." in text  # 90 + 45
    assert "2 orders are waiting to be shipped." in text  # the paid one and Huda's
    assert "3 new customers bought from you this week." in text or today.weekday() == 0
    assert "You can safely take out" in text or "nothing is safe to take out" in text


def test_each_sentence_links_to_the_page_that_explains_it(client, shop, sold):
    login(client, shop.owner)
    html = client.get(f"/b/{shop.business.handle}/").get_data(as_text=True)
    handle = shop.business.handle
    assert f'href="/b/{handle}/orders/?payment=due"' in html
    assert f'href="/b/{handle}/orders/?status=to_ship"' in html
    owed = client.get(f"/b/{handle}/orders/?payment=due")
    numbers = {order.number for order in sold[1:]}
    text = page_text(owed)
    assert all(f"#{number}" in text for number in numbers)
    assert f"#{sold[0].number}" not in text
    to_ship = page_text(client.get(f"/b/{handle}/orders/?status=to_ship"))
    assert f"#{sold[0].number}" in to_ship and f"#{sold[2].number}" not in to_ship


def test_a_member_sees_the_same_home_without_money(client, shop, sold):
    member = make_user("member@example.com", role="member", workspace=shop.owner.workspace)
    db.session.commit()
    login(client, member)
    response = client.get(f"/b/{shop.business.handle}/")
    text = page_text(response)
    assert "2 orders are waiting for payment." in text
    assert "profit" not in text.lower()
    assert "owe you" not in text and "take out" not in text
    assert aed("152.50") not in text  # the profit
    assert 'id="kpi-profit"' not in response.get_data(as_text=True)
    assert "Your best seller this month is Red Scarf" in text


def test_a_new_business_sees_first_steps_not_zeros(client, shop):
    login(client, shop.owner)
    text = page_text(client.get(f"/b/{shop.business.handle}/"))
    assert "Your first steps" in text
    assert "Record your first order" in text
    assert "Average order" not in text


def test_the_tiles_follow_the_chosen_period(client, shop, sold):
    login(client, shop.owner)
    handle = shop.business.handle
    for period in ("today", "week", "month", "nonsense"):
        response = client.get(f"/b/{handle}/?kpi={period}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert 'id="kpi-orders"' in html
        assert f"{aed('90')}" in page_text(response)  # the average order, 270 / 3


def test_the_home_chart_has_a_text_alternative_and_a_table(client, shop, sold):
    login(client, shop.owner)
    html = client.get(f"/b/{shop.business.handle}/").get_data(as_text=True)
    assert 'role="img"' in html and "<table" in html and "<desc" in html


def test_the_home_reads_a_fixed_number_of_queries(client, shop, count_queries):
    login(client, shop.owner)
    url = f"/b/{shop.business.handle}/"
    shop.order([(shop.scarf, 1)])
    db.session.commit()
    few = count_queries.page(client, url)
    for number in range(12):
        shop.order([(shop.cap, 1)], customer_name=f"Buyer {number}")
    db.session.commit()
    assert count_queries.page(client, url) == few


def test_another_tenants_home_is_not_found(client, shop):
    other, _business = make_tenant("Other Owner")
    db.session.commit()
    login(client, other)
    assert client.get(f"/b/{shop.business.handle}/").status_code == 404


def test_the_overview_lists_each_business_month(client, shop, sold):
    login(client, shop.owner)
    text = page_text(client.get("/overview"))
    assert shop.business.name in text
    assert f"Sales {aed('270')}" in text
    assert f"Profit {aed('152.50')}" in text
    assert "2 to ship" in text
