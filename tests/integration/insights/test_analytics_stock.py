"""The stock analytics page: what the stock is worth, how long each variant lasts at the
last 30 days' pace and how many to order, slow movers, and sell-through in the period,
checked against the catalog and the orders placed through the real services."""

import pytest

from kyora.extensions import db
from kyora.inventory.archive import archive_product
from tests.factories import login, make_product

from .pages import aed, days_ago, line, part, row


@pytest.fixture
def stocked(shop):
    """Scarf (50 at cost 20, price 45): 6 sold 5 days ago, 4 sold 20 days ago, 9 sold 45
    days ago → 31 left. Cap (40 at 12.50, price 30): 3 sold 70 days ago → 37 left.
    Silk Shawl S and M (3 each at 40, price 90): 2 S sold 2 days ago. Green Bag (5 at 10,
    price 25): never sold. An archived product counts nowhere."""
    shawl = make_product(
        shop.business, "Silk Shawl", price="90", cost="40", stock=3, options={"Size": ["S", "M"]}
    )
    make_product(shop.business, "Green Bag", price="25", cost="10", stock=5)
    old = make_product(shop.business, "Old Hat", price="20", cost="5", stock=10)
    archive_product(shop.business, shop.owner, old)
    small = shawl.variants[0]
    shop.order([(shop.scarf, 6)], placed_at=days_ago(5))
    shop.order([(shop.scarf, 4)], placed_at=days_ago(20))
    shop.order([(shop.scarf, 9)], placed_at=days_ago(45))
    shop.order([(shop.cap, 3)], placed_at=days_ago(70))
    shop.order([(small, 2)], placed_at=days_ago(2))
    db.session.commit()
    return shawl


@pytest.fixture
def owner(client, shop):
    login(client, shop.owner)
    return client


def _page(client, shop, query=""):
    response = client.get(f"/b/{shop.business.handle}/insights/inventory{query}")
    assert response.status_code == 200
    return response


def test_stock_value_at_cost_and_at_selling_prices(owner, shop, stocked):
    text = part(_page(owner, shop), "stock-value")
    # Cost: 31 × 20 + 37 × 12.50 + 4 × 40 + 5 × 10 = 1,292.50 (the archived hat is out).
    # Prices: 31 × 45 + 37 × 30 + 4 × 90 + 5 × 25 = 2,990. Items: 31 + 37 + 4 + 5 = 77.
    assert line(text, "Stock value at cost", aed("1292.50"))
    assert line(text, "At your selling prices", aed("2990"))
    assert line(text, "Items in stock", "77")


def test_days_left_at_the_last_30_days_pace_most_urgent_first(owner, shop, stocked):
    text = part(_page(owner, shop), "stock-pace")
    # Shawl S: 1 left, 2 sold in 30 days → 15 days, order 1 for the next 30 days.
    # Scarf: 31 left, 10 sold in 30 days (the 9 of 45 days ago are too old) → 93 days,
    # nothing to order. Then the ones without recent sales, emptiest first.
    assert line(text, "Silk Shawl — S", "1", "2", "15 days", "1")
    assert line(text, "Red Scarf", "31", "10", "93 days", "—")
    assert line(text, "Silk Shawl — M", "3", "0", "No recent sales", "—")
    assert row(text, "Silk Shawl — S", "Red Scarf", "Silk Shawl — M", "Green Bag", "Black Cap")
    assert "Old Hat" not in text


def test_a_variant_sold_out_at_pace_needs_a_full_month_ordered(owner, shop, stocked):
    shop.order([(shop.scarf, 31)], placed_at=days_ago(1))
    db.session.commit()
    text = part(_page(owner, shop), "stock-pace")
    # 41 sold in 30 days and none left: out of stock, order 41.
    assert line(text, "Red Scarf", "0", "41", "Out of stock", "41")
    assert row(text, "Red Scarf", "Silk Shawl — S")


def test_slow_movers_are_in_stock_with_nothing_sold_in_60_days(owner, shop, stocked):
    text = part(_page(owner, shop), "stock-slow")
    # The cap last sold 70 days ago; shawl M and the bag never sold. Most money first.
    assert "3 products in stock sold nothing in the last 60 days." in text
    assert line(
        text,
        "Black Cap",
        "37",
        aed("462.50"),
        "Silk Shawl — M",
        "3",
        aed("120"),
        "Green Bag",
        "5",
        aed("50"),
    )
    assert "Red Scarf" not in text


def test_sell_through_follows_the_period(owner, shop, stocked):
    text = part(_page(owner, shop, "?period=last_30"), "stock-sell-through")
    # Shawl: 2 sold, 4 left → 33%; scarf: 10 sold, 31 left → 24%.
    assert line(text, "Silk Shawl", "2", "4", "33%", "Red Scarf", "10", "31", "24%")
    text = part(_page(owner, shop, "?period=last_90"), "stock-sell-through")
    # 90 days: the cap (3 sold, 37 left → 8%) and the scarf's 19 (19 / 50 = 38%).
    assert line(text, "Red Scarf", "19", "31", "38%", "Silk Shawl", "2", "4", "33%")
    assert line(text, "Black Cap", "3", "37", "8%")


def test_running_low_links_to_the_filtered_products_list(owner, shop, stocked):
    response = _page(owner, shop)
    assert line(
        part(response, "stock-value"), "Running low", "1 product"
    )  # the shawl, 1 and 3 left
    html = response.get_data(as_text=True)
    assert f'href="/b/{shop.business.handle}/products/?stock=low"' in html
