"""The sales analytics page as an owner reads it: the period's totals against the days
before, the figures over time, and the channels, products, countries and cities,
each checked against what the orders (placed through the real services) add up to."""

from datetime import timedelta
from decimal import Decimal

import pytest

from kyora.accounting import figures as books
from kyora.accounting.ledger import business_day
from kyora.extensions import db
from kyora.insights.rollup import Delta
from kyora.insights.web.views_analytics import channel_slices
from kyora.orders import services as orders
from kyora.orders import status as st
from tests.factories import login

from .pages import aed, days_ago, line, part, row, text_of

UAE, SAUDI = "+971501234567", "+966501234567"


@pytest.fixture
def sold(shop):
    """Last 30 days: three sales (Dubai and Riyadh); the 30 days before: one sale; a
    pending order and a cancelled sale that count nowhere."""
    scarf, cap = shop.scarf, shop.cap
    shop.order(
        [(scarf, 3)],
        channel="instagram",
        customer_phone=UAE,
        address_city="Dubai",
        placed_at=days_ago(3),
    )
    shop.order(
        [(cap, 2), (scarf, 1)],
        channel="whatsapp",
        customer_name="Huda",
        customer_phone=SAUDI,
        address_city="Riyadh",
        placed_at=days_ago(10),
    )
    shop.order(
        [(cap, 1)],
        channel="whatsapp",
        customer_phone=UAE,
        address_city=" Dubai ",
        placed_at=days_ago(10),
    )
    shop.order([(scarf, 2)], channel="instagram", customer_phone=SAUDI, placed_at=days_ago(40))
    shop.order([(cap, 5)], status=st.PENDING, placed_at=days_ago(2))
    cancelled = shop.order([(scarf, 4)], channel="tiktok", placed_at=days_ago(5))
    orders.change_status(shop.business, shop.owner, cancelled, st.CANCELLED)
    db.session.commit()


def test_totals_of_the_period_and_the_change_from_the_days_before(client, shop, sold):
    login(client, shop.owner)
    response = client.get(f"/b/{shop.business.handle}/insights/sales?period=last_30")
    assert response.status_code == 200
    text = part(response, "sales-totals")
    # 3 scarves (135) + 2 caps and a scarf (105) + a cap (30); before: 2 scarves (90).
    assert line(text, "Sales", aed("270"), "200% more")
    assert line(text, "Orders", "3", "200% more")
    assert line(text, "Average order", aed("90"), "No change")
    assert line(text, "Items sold", "7", "250% more")
    # Profit from the books: 270 − (4 scarves × 20 + 3 caps × 12.50); before 90 − 40.
    today = business_day(shop.business)
    start = today - timedelta(days=29)
    assert books.profit(shop.business, start, today).net_profit == Decimal("152.50")
    assert line(text, "Profit", aed("152.50"), "205% more")


def test_channels_products_countries_and_cities(client, shop, sold):
    login(client, shop.owner)
    response = client.get(f"/b/{shop.business.handle}/insights/sales?period=last_30")
    channels = part(response, "sales-channels")
    # WhatsApp (2 orders) and Instagram (1) both brought 135; TikTok was cancelled.
    assert line(channels, "WhatsApp", "2", aed("135"), "Instagram", "1", aed("135"))
    assert "TikTok" not in channels
    products = part(response, "sales-products")
    assert line(products, "Red Scarf", "4", aed("180"), "Black Cap", "3", aed("90"))
    countries = part(response, "sales-countries")
    assert line(countries, "United Arab Emirates", "2", aed("165"), "Saudi Arabia", "1", aed("105"))
    cities = part(response, "sales-cities")
    assert line(cities, "Dubai", "2", aed("165"), "Riyadh", "1", aed("105"))


def test_product_names_link_to_their_pages(client, shop, sold):
    login(client, shop.owner)
    html = client.get(f"/b/{shop.business.handle}/insights/sales?period=last_30").get_data(
        as_text=True
    )
    assert f'href="/b/{shop.business.handle}/products/{shop.scarf.product_id}"' in html


def test_the_chart_has_one_point_per_day_then_per_week_then_per_month(client, shop, sold):
    login(client, shop.owner)
    base = f"/b/{shop.business.handle}/insights/sales"
    today = business_day(shop.business)
    daily = client.get(f"{base}?period=last_30").get_data(as_text=True)
    assert "Sales and profit by day" in daily
    weekly = client.get(f"{base}?period=last_90").get_data(as_text=True)
    assert "Sales and profit by week" in weekly
    start = (today - timedelta(days=800)).isoformat()
    monthly = client.get(f"{base}?period=custom&from={start}&to={today.isoformat()}")
    assert monthly.status_code == 200
    text = text_of(monthly.get_data(as_text=True))
    assert "Sales and profit by month" in text
    # The table behind the chart: one row per month, the last one this month.
    assert row(text, "Month", today.strftime("%b %Y"))


def test_a_period_with_no_sales_says_so(client, shop):
    login(client, shop.owner)
    response = client.get(f"/b/{shop.business.handle}/insights/sales?period=today")
    assert line(part(response, "sales-totals"), "Sales", aed("0"), "Nothing to compare with")
    assert "No sales in this period." in part(response, "sales-channels")


def test_the_channels_donut_never_shows_two_slices_called_other(request_ctx):
    keys = ["instagram", "whatsapp", "other", "tiktok", "facebook", "snapchat", "in_person"]
    channels = [(key, Delta(orders=1, sales=Decimal(100 - n))) for n, key in enumerate(keys)]
    slices = channel_slices(channels)
    names = [name for name, _sales in slices]
    assert names == ["Instagram", "WhatsApp", "TikTok", "Facebook", "Snapchat", "Other"]
    # "Other" holds the Other channel (98) and the smallest one, In person (94).
    assert slices[-1] == ("Other", Decimal(192))
    assert sum(sales for _name, sales in slices) == sum(d.sales for _key, d in channels)
