"""The analytics pages as a whole: who may open them, bad periods refused beside the
date fields without losing the page, Arabic, and a fixed number of queries whatever
the number of orders."""

import pytest

from kyora.accounting.ledger import business_day
from kyora.extensions import db
from kyora.orders import services as orders
from tests.factories import login, make_product, make_tenant, make_user

from .conftest import Shop
from .pages import days_ago, text_of

PAGES = ("sales", "customers", "inventory")


def _url(shop, page: str, query: str = "") -> str:
    return f"/b/{shop.business.handle}/insights/{page}{query}"


@pytest.mark.parametrize("page", PAGES)
def test_members_may_not_open_the_analytics(client, shop, page):
    member = make_user("helper@example.com", role="member", workspace=shop.owner.workspace)
    db.session.commit()
    login(client, member)
    assert client.get(_url(shop, page)).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_admins_may(client, shop, page):
    admin = make_user("admin@example.com", role="admin", workspace=shop.owner.workspace)
    db.session.commit()
    login(client, admin)
    assert client.get(_url(shop, page)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_another_workspace_s_business_is_not_found(client, shop, page):
    _stranger, theirs = make_tenant(name="Noor Khalid")
    db.session.commit()
    login(client, shop.owner)
    assert client.get(f"/b/{theirs.handle}/insights/{page}").status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?period=custom&from=2026-03-10&to=2026-03-01", "The end date is before the start date."),
        ("?period=custom&from=1926-01-01&to=2026-01-01", "Choose a start date in 2000 or later."),
        ("?period=custom&from=2001-01-01&to=2025-01-01", "Choose a period of ten years or less."),
        ("?period=custom&from=2026-01-01&to=2999-12-31", "The end date is in the future."),
        ("?period=forever", "Choose a period from the list."),
        ("?period=custom&from=soon&to=2026-01-01", "Enter a date, like 2025-03-31."),
        ("?period=custom&from=2026-01-01&to=99999-01-01", "Enter a date, like 2025-03-31."),
        ("?period=custom&from=%F0%9F%92%A5&to=", "Enter a date, like 2025-03-31."),
    ],
)
@pytest.mark.parametrize("page", PAGES)
def test_bad_periods_get_a_message_beside_the_dates_and_this_month_s_figures(
    client, shop, page, query, message
):
    shop.order([(shop.scarf, 2)])
    db.session.commit()
    login(client, shop.owner)
    response = client.get(_url(shop, page, query))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert message in text
    assert 'role="alert"' in html and 'aria-invalid="true"' in html
    assert "These figures are for this month" in text
    if "custom" not in query:
        month_start = business_day(shop.business).replace(day=1)
        assert f'value="{month_start.isoformat()}"' in html
        assert '<option value="month" selected>' in html
    if page == "sales":
        assert "AED 90.00" in text  # this month's sale is still on the page


def test_the_period_stays_in_the_tabs_links(client, shop):
    login(client, shop.owner)
    html = client.get(_url(shop, "sales", "?period=last_90")).get_data(as_text=True)
    assert f'href="/b/{shop.business.handle}/insights/customers?period=last_90"' in html
    custom = "?period=custom&from=2026-01-05&to=2026-02-01"
    html = client.get(_url(shop, "customers", custom)).get_data(as_text=True)
    assert "from=2026-01-05" in html and "to=2026-02-01" in html


@pytest.mark.parametrize("page", PAGES)
def test_the_pages_in_arabic(client, shop, page):
    shop.order([(shop.scarf, 2)], placed_at=days_ago(1), address_city="دبي")
    shop.owner.locale = "ar"
    db.session.commit()
    login(client, shop.owner)
    response = client.get(_url(shop, page, "?period=last_30"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'dir="rtl"' in html
    if page != "inventory":
        # Chart labels are dates in Arabic (a month name, never "Jan", "Feb", ...).
        assert any(
            month in html
            for month in (
                "يناير",
                "فبراير",
                "مارس",
                "أبريل",
                "مايو",
                "يونيو",
                "يوليو",
                "أغسطس",
                "سبتمبر",
                "أكتوبر",
                "نوفمبر",
                "ديسمبر",
            )
        )
    if page == "sales":
        assert '<bdi dir="auto">دبي</bdi>' in html


def _orders(shop, count: int) -> None:
    """`count` sales spread over the last 80 days, in several cities, by a few customers."""
    for n in range(count):
        shop.order(
            [(shop.scarf, 1 + n % 3), (shop.cap, 1)],
            channel=("instagram", "whatsapp", "tiktok")[n % 3],
            customer_name=f"Customer {n % 7}",
            customer_phone=f"+97150{1000000 + n % 7}",
            address_city=("Dubai", "Sharjah", "Ajman", "Al Ain")[n % 4],
            placed_at=days_ago(n * 80 // max(1, count)),
        )
    db.session.commit()


@pytest.mark.parametrize("page", PAGES)
def test_queries_per_page_do_not_grow_with_the_orders(app, request_ctx, count_queries, page):
    """The same shop twice, with 3 and with 30 orders."""
    counts = []
    for number in (3, 30):
        owner, business = make_tenant(name=f"Owner {number}")
        orders.setup_new_business(business)
        scarf = make_product(business, "Red Scarf", price="45", cost="20", stock=500).variants[0]
        cap = make_product(business, "Black Cap", price="30", cost="12.5", stock=500).variants[0]
        db.session.commit()
        shop = Shop(owner, business, scarf, cap)
        _orders(shop, number)
        client = app.test_client()
        login(client, owner)
        counts.append(count_queries.page(client, _url(shop, page, "?period=last_90")))
    assert counts[0] == counts[1]
    assert counts[0] <= 20


HOSTILE = [
    "",
    " ",
    "-1",
    "1e309",
    "NaN",
    "9" * 40,
    "٢٠٢٦-٠١-٠١",
    "2026-13-45",
    "x" * 5000,
    "0001-01-01",
    "9999-12-31",
    "<script>alert(1)</script>",
    "\u202e😀",
    "2026-01-01T00:00",
]


@pytest.mark.parametrize("page", PAGES)
def test_hostile_period_values_never_break_a_page(client, shop, page):
    login(client, shop.owner)
    for value in HOSTILE:
        for args in (
            {"period": value},
            {"period": "custom", "from": value, "to": "2026-01-01"},
            {"period": "custom", "from": "2025-01-01", "to": value},
        ):
            response = client.get(_url(shop, page), query_string=args)
            assert response.status_code in (200, 422), (args, response.status_code)
            assert "<script>alert(1)" not in response.get_data(as_text=True)
