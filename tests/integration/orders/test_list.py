"""The orders list: tabs with counts, search, filters, pages, bulk status, CSV export,
and a bounded number of queries whatever the number of orders."""

import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from kyora.core.db import utcnow
from kyora.extensions import db
from kyora.orders.models import Order
from kyora.orders.services import change_status, record_payment
from tests.factories import login, make_order, make_product, make_user, page_text


def _url(shop, query=""):
    return f"/b/{shop.business.handle}/orders/{query}"


@pytest.fixture
def orders(shop, request_ctx):
    first = make_order(
        shop.business,
        shop.owner,
        [(shop.cap, 1)],
        customer_name="Sara",
        customer_phone="0501234567",
        channel="instagram",
    )
    second = make_order(
        shop.business,
        shop.owner,
        [(shop.scarf_s, 1)],
        customer_name="Huda",
        customer_handle="@huda.bakes",
        channel="whatsapp",
        status="pending",
    )
    third = make_order(
        shop.business,
        shop.owner,
        [(shop.scarf_m, 2)],
        customer_name="=HYPERLINK(evil)",
        channel="tiktok",
    )
    record_payment(shop.business, shop.owner, first, amount=first.total, method="cod")
    change_status(shop.business, shop.owner, third, "shipped")
    third.created_at = utcnow() - timedelta(days=40)
    db.session.commit()
    return first, second, third


@pytest.fixture
def seller(client, shop):
    login(client, shop.owner)
    return client


def _numbers(text):
    return [int(n) for n in re.findall(r'class="ord-number">#(\d+)<', text)]


def test_tabs_count_each_status(seller, shop, orders):
    text = page_text(seller.get(_url(shop)))
    assert re.search(r"All <span class=\"badge\">3</span>", text)
    assert re.search(r"Pending <span class=\"badge\">1</span>", text)
    assert re.search(r"Shipped <span class=\"badge\">1</span>", text)
    assert _numbers(text) == [1002, 1001, 1003]
    assert _numbers(page_text(seller.get(_url(shop, "?status=pending")))) == [1002]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=1002", [1002]),
        ("?q=%231003", [1003]),
        ("?q=sara", [1001]),
        ("?q=050+123", [1001]),
        ("?q=%40huda", [1002]),
        ("?payment=paid", [1001]),
        ("?payment=unpaid", [1002, 1003]),
        ("?channel=tiktok", [1003]),
        ("?period=7d", [1002, 1001]),
        ("?period=last_month&sort=oldest", []),
        ("?sort=total_desc", [1003, 1002, 1001]),
    ],
)
def test_search_and_filters(seller, shop, orders, query, expected):
    text = page_text(seller.get(_url(shop, query)))
    numbers = _numbers(text)
    if query.startswith("?period=last_month"):
        # 40 days ago is last month or the one before, depending on today's date.
        assert numbers in ([], [1003])
    else:
        assert numbers == expected


def test_custom_dates_and_customer_filter(seller, shop, orders):
    start = (utcnow() - timedelta(days=41)).date().isoformat()
    end = (utcnow() - timedelta(days=39)).date().isoformat()
    assert _numbers(
        page_text(seller.get(_url(shop, f"?period=custom&start={start}&end={end}")))
    ) == [1003]
    customer_id = orders[0].customer_id
    assert _numbers(page_text(seller.get(_url(shop, f"?customer={customer_id}")))) == [1001]


def test_htmx_search_gets_just_the_table(seller, shop, orders):
    response = seller.get(
        _url(shop, "?q=huda"), headers={"HX-Request": "true", "HX-Target": "orders-table"}
    )
    assert response.get_data(as_text=True).lstrip().startswith('<section id="orders-table"')


def test_pages(seller, shop, request_ctx):
    cap = make_product(shop.business, "Sticker", price="1", stock=100).variants[0]
    for _ in range(30):
        make_order(shop.business, shop.owner, [(cap, 1)])
    db.session.commit()
    first = page_text(seller.get(_url(shop)))
    assert len(_numbers(first)) == 25 and "Page 1 of 2" in first
    assert len(_numbers(page_text(seller.get(_url(shop, "?page=2"))))) == 5


def test_bulk_status_change_reports_skipped_orders(seller, shop, orders):
    first, second, third = orders
    response = seller.post(
        _url(shop, "bulk"),
        data={"order_ids": [first.id, second.id, third.id], "status": "delivered"},
    )
    assert response.status_code == 303
    page = page_text(seller.get(response.headers["Location"]))
    assert "2 orders marked delivered." in page
    assert "#1002:" in page
    statuses = dict(db.session.execute(sa.select(Order.number, Order.status)).all())
    assert statuses == {1001: "delivered", 1002: "pending", 1003: "delivered"}


def test_export_is_for_admins_and_neutralises_formulas(client, shop, orders):
    member = make_user(role="member", workspace=shop.owner.workspace)
    login(client, member)
    assert client.get(_url(shop, "export.csv")).status_code == 403
    assert "Export CSV" not in page_text(client.get(_url(shop)))
    client.post("/logout")
    login(client, shop.owner)
    response = client.get(_url(shop, "export.csv?status=shipped"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["Order", "Date", "Status"] and "Profit" in rows[0]
    assert len(rows) == 2
    assert rows[1][0] == "1003" and rows[1][5] == "'=HYPERLINK(evil)"
    assert rows[1][rows[0].index("Total")] == "94.50"


def _bulk_orders(shop, count):
    """`count` orders inserted directly (fast), with customers, items and payments."""
    from kyora.demo.orders_bulk import insert_orders

    insert_orders(shop.business, shop.owner, count, seed=3)
    db.session.commit()


def test_list_and_order_page_queries_are_bounded(seller, shop, count_queries):
    _bulk_orders(shop, 10)
    small_list = count_queries.page(seller, _url(shop))
    small_filtered = count_queries.page(seller, _url(shop, "?q=a&payment=paid&period=30d"))
    order_id = db.session.scalar(sa.select(sa.func.max(Order.id)))
    small_page = count_queries.page(seller, _url(shop, str(order_id)))
    _bulk_orders(shop, 990)
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 1000
    assert count_queries.page(seller, _url(shop)) == small_list
    assert count_queries.page(seller, _url(shop, "?q=a&payment=paid&period=30d")) == small_filtered
    assert count_queries.page(seller, _url(shop, str(order_id))) == small_page


def test_on_a_phone_each_order_is_one_tappable_card_and_new_order_comes_first(seller, shop, orders):
    page = page_text(seller.get(_url(shop)))
    head = page[page.index('class="ord-head-actions"') :]
    assert head.index("New order") < head.index("Export CSV")
    cards = re.findall(r'<li class="ord-card" id="order-\d+">([\s\S]*?)</li>', page)
    assert cards
    for card in cards:
        # Two lines: number · customer · total, then status · payment · date; one link.
        assert card.count('<p class="ord-card-line') == 2
        assert card.count("<a ") == 1 and 'class="ord-number"' in card
        assert "data-label" not in card and "Select</" not in card
    # Ticking is a mode: its toggle and the bulk bar come before the cards.
    assert page.index('id="ord-select-mode"') < page.index("ord-bulk-bar") < page.index("ord-card")
