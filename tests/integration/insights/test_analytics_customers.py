"""The customers analytics page: new and returning customers of the period, the repeat
rate and lifetime value since the start, and the best customers, checked against the
orders placed through the real services."""

from datetime import timedelta
from decimal import Decimal

import pytest

from kyora.accounting.ledger import business_day
from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.orders import services as orders
from kyora.orders import status as st
from tests.factories import login

from .pages import aed, days_ago, line, part, text_of

PHONES = {
    "Amal": "+971501111111",
    "Bushra": "+971502222222",
    "Dana": "+971503333333",
    "Eman": "+971504444444",
}


@pytest.fixture
def history(shop):
    """Amal: first order 40 days ago, back 3 and 1 days ago. Bushra: one order 10 days
    ago. Dana: 20 days ago and back 5 days ago. Eman: one order 70 days ago. A walk-in
    sale without a customer, and Bushra's cancelled second order, which does not count."""

    def buy(name, lines, days):
        return shop.order(
            lines, customer_name=name, customer_phone=PHONES[name], placed_at=days_ago(days)
        )

    scarf, cap = shop.scarf, shop.cap
    buy("Amal", [(scarf, 1)], 40)  # 45
    buy("Amal", [(cap, 2)], 3)  # 60
    buy("Amal", [(scarf, 2)], 1)  # 90
    buy("Bushra", [(cap, 1)], 10)  # 30
    cancelled = buy("Bushra", [(scarf, 5)], 2)
    orders.change_status(shop.business, shop.owner, cancelled, st.CANCELLED)
    buy("Dana", [(scarf, 3)], 20)  # 135
    buy("Dana", [(cap, 1)], 5)  # 30
    buy("Eman", [(scarf, 4)], 70)  # 180
    shop.order([(cap, 1)], customer_name="", placed_at=days_ago(4))  # 30, nobody
    db.session.commit()


def test_new_and_returning_customers_of_the_period(client, shop, history):
    login(client, shop.owner)
    response = client.get(f"/b/{shop.business.handle}/insights/customers?period=last_30")
    assert response.status_code == 200
    text = part(response, "customer-period")
    # New: Bushra and Dana bought first in the last 30 days. Came back: Amal (second
    # order 3 days ago) and Dana (5 days ago).
    assert line(text, "New customers", "2", "Came back", "2")
    # The table behind the chart: one row per day, new, returning and both.
    html = response.get_data(as_text=True)
    assert "New and returning customers by day" in html
    table = text_of(html[html.index("Day", html.index("chart-table")) :])
    today = business_day(shop.business)

    def label(days):
        return (today - timedelta(days=days)).strftime("%-d %b")

    assert line(table, label(20), "1", "0", "1")  # Dana's first order
    assert line(table, label(10), "1", "0", "1")  # Bushra's
    assert line(table, label(5), "0", "1", "1")  # Dana came back
    assert line(table, label(3), "0", "1", "1")  # Amal came back


def test_repeat_rate_and_lifetime_value_since_the_start(client, shop, history):
    login(client, shop.owner)
    response = client.get(f"/b/{shop.business.handle}/insights/customers?period=today")
    text = part(response, "customers-loyalty")
    # 4 customers bought; Amal and Dana came back: 50 %.
    # Sales of all time: 45 + 60 + 90 + 30 + 135 + 30 + 180 + 30 (walk-in) = 600 → 150 each.
    assert line(text, "Customers who bought", "4", "Repeat rate", "50%")
    assert line(text, "Average lifetime value", aed("150"))
    assert "2 of your 4 customers came back for a second order." in text


def test_best_customers_by_what_they_spent_link_to_their_pages(client, shop, history):
    login(client, shop.owner)
    response = client.get(f"/b/{shop.business.handle}/insights/customers")
    text = part(response, "customers-top")
    # Amal 195 (3 orders), Eman 180 (1), Dana 165 (2), Bushra 30 (1: the other cancelled).
    assert line(
        text,
        "Amal",
        "3",
        aed("195"),
        "Eman",
        "1",
        aed("180"),
        "Dana",
        "2",
        aed("165"),
        "Bushra",
        "1",
        aed("30"),
    )
    html = response.get_data(as_text=True)
    amal = db.session.query(Customer).filter_by(name="Amal").one()
    assert f'href="/b/{shop.business.handle}/customers/{amal.id}"' in html
    assert amal.total_spent == Decimal("195")


def test_a_shop_without_sales_shows_no_rates(client, shop):
    login(client, shop.owner)
    response = client.get(f"/b/{shop.business.handle}/insights/customers")
    assert response.status_code == 200
    text = part(response, "customers-loyalty")
    assert line(text, "Repeat rate", "—", "Average lifetime value", "—")
    assert "Your customers show up here once they buy." in text
