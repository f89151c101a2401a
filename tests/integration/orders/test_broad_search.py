"""Searches that match very many orders or customers: a name shared by many customers,
two digits found in most phone numbers. Their pages are read another way (walking the
list's order, counting only up to a limit); the rows, their order and the counts must
be those of the plain query, and a bounded count must say so on the page.

The limit is lowered for the tests (LIMIT), so a few dozen orders cross it: page 1
counts to 30 and page 2 to 55 of the 60 orders found, and walks; page 3 counts them all
(to 80) and gathers."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from kyora.core import pagination
from kyora.core.db import utcnow
from kyora.customers.models import Customer
from kyora.customers.queries import CustomerFilters, list_customers
from kyora.extensions import db
from kyora.orders import queries
from kyora.orders import status as st
from kyora.orders.models import Order
from tests.factories import login, make_customer, make_order, make_product, page_text

SHARED = 20  # customers named "Sara Ali", three orders each
OTHERS = ("Huda Saleh", "Omar Haddad", "Noura Khalil", "Reem Nasser")
LIMIT = 30


@pytest.fixture
def crowd(shop, request_ctx):
    """A shop where one name is shared by many customers whose orders are interleaved
    with other customers' orders, some created at the same instant (ties by id)."""
    tote = make_product(shop.business, "Tote", price="10", stock=10_000).variants[0]
    start = utcnow() - timedelta(days=30)
    customers = [
        make_customer(shop.business, "Sara Ali", phone=f"050{n:07d}") for n in range(SHARED)
    ]
    # Numbers without "50" in them, so "050" finds only the Sara Alis' orders.
    customers += [
        make_customer(shop.business, name, phone=f"055111{n:04d}") for n, name in enumerate(OTHERS)
    ]
    statuses = ("pending", "confirmed", "confirmed", "pending", "confirmed")
    for n in range(3 * SHARED + 2 * len(OTHERS)):
        customer = customers[n % len(customers)]
        order = make_order(
            shop.business,
            shop.owner,
            [(tote, 1)],
            customer_id=customer.id,
            status=statuses[n % len(statuses)],
        )
        order.created_at = start + timedelta(hours=n // 3)  # three orders per instant
    db.session.commit()
    return shop


def _expected_orders(business, matches, status: str = "") -> list[int]:
    """Ids of the orders whose customer `matches`, newest first: the plain reading."""
    rows = db.session.execute(
        sa.select(Order, Customer)
        .outerjoin(Customer, Customer.id == Order.customer_id)
        .where(Order.business_id == business.id)
        .order_by(Order.created_at.desc(), Order.id.desc())
    ).all()
    return [
        order.id
        for order, customer in rows
        if customer is not None and matches(customer) and (not status or order.status == status)
    ]


def _sara_ali(customer) -> bool:
    return "sara" in customer.search_name and "ali" in customer.search_name


def _digits_50(customer) -> bool:
    return "50" in (customer.phone or "") + " " + (customer.whatsapp or "")


def _page(business, text: str, page: int = 1, status: str = ""):
    filters = queries.OrderFilters(q=text, page=page, status=status)
    counts = queries.status_counts(business, filters)
    return counts, queries.list_orders(business, filters, total=counts[filters.status])


@pytest.mark.parametrize(("text", "matches"), [("Sara Ali", _sara_ali), ("050", _digits_50)])
@pytest.mark.parametrize("limit", [1000, LIMIT], ids=["few: gathered", "many: walked"])
def test_orders_search_pages_are_the_plain_querys_pages(crowd, monkeypatch, text, matches, limit):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", limit)
    expected = _expected_orders(crowd.business, matches)
    assert len(expected) == 3 * SHARED
    pages = [_page(crowd.business, text, page=number) for number in (1, 2, 3)]
    for number, (_counts, page) in enumerate(pages):
        assert [order.id for order in page.items] == expected[25 * number : 25 * (number + 1)]
    assert [page.has_next for _counts, page in pages] == [True, True, False]
    counts, first = pages[0]
    if limit == 1000:
        assert counts[""] == first.total == 3 * SHARED and not getattr(counts[""], "at_least", 0)
        for status in st.STATUSES:
            assert counts[status] == len(_expected_orders(crowd.business, matches, status))
    else:
        # Counted up to the limit only: "more than 30", the statuses unknown.
        assert counts[""] == LIMIT and counts[""].at_least
        assert counts["pending"] is None and counts[st.TO_SHIP] is None
        assert pages[1][1].total == 55 and pages[1][1].total.at_least
        assert pages[2][1].total == 3 * SHARED


@pytest.mark.parametrize("limit", [1000, 25])
def test_a_status_tab_of_a_broad_search_lists_that_status(crowd, monkeypatch, limit):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", limit)
    expected = _expected_orders(crowd.business, _sara_ali, "confirmed")
    assert len(expected) > 25
    _counts, page = _page(crowd.business, "Sara Ali", status="confirmed")
    assert [order.id for order in page.items] == expected[:25]
    assert page.total == (len(expected) if limit == 1000 else 25)


@pytest.mark.parametrize("limit", [1000, LIMIT])
def test_the_order_with_the_number_typed_is_listed_among_the_customers_orders(
    crowd, monkeypatch, limit
):
    """The text "050" is also order number 50: Omar's order, in its place among the Sara Alis'."""
    monkeypatch.setattr(pagination, "COUNT_LIMIT", limit)
    omar = db.session.scalars(
        sa.select(Order).join(Customer).where(Customer.name == "Omar Haddad")
    ).first()
    omar.number = 50
    db.session.commit()
    found = set(_expected_orders(crowd.business, _digits_50)) | {omar.id}
    expected = [id_ for id_ in _expected_orders(crowd.business, lambda _c: True) if id_ in found]
    assert omar.id in expected[:50]
    pages = [_page(crowd.business, "050", page=number)[1] for number in (1, 2, 3)]
    assert [order.id for page in pages for order in page.items] == expected
    counts, _page1 = _page(crowd.business, "050")
    assert counts[""] == (len(expected) if limit == 1000 else LIMIT)


def test_a_bounded_count_is_shown_as_more_than(client, crowd, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", LIMIT)
    login(client, crowd.owner)
    text = page_text(
        client.get(f"/b/{crowd.business.handle}/orders/", query_string={"q": "Sara Ali"})
    )
    assert 'All <span class="badge">30+</span>' in text
    assert "More than 30 orders" in text
    assert 'Pending <span class="badge">' not in text  # unknown, not zero
    assert "Page 1</span>" in text and "Page 1 of" not in text
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 1000)
    text = page_text(
        client.get(f"/b/{crowd.business.handle}/orders/", query_string={"q": "Sara Ali"})
    )
    assert f'All <span class="badge">{3 * SHARED}</span>' in text
    assert f"{3 * SHARED} orders" in text and "Page 1 of 3" in text


# --- The customers list --------------------------------------------------------------


def _expected_customers(business, matches) -> list[int]:
    """Ids of the matching customers in the list's order (last order first)."""
    customers = db.session.scalars(
        sa.select(Customer).where(Customer.business_id == business.id)
    ).all()
    ordered = sorted(
        customers,
        key=lambda c: (c.last_order_at is not None, c.last_order_at, c.created_at, c.id),
        reverse=True,
    )
    return [customer.id for customer in ordered if matches(customer)]


@pytest.fixture
def leads(crowd):
    """Customers who never ordered (no last order: listed last), many with "50"."""
    now = utcnow()
    db.session.execute(
        sa.insert(Customer.__table__),
        [
            {
                "business_id": crowd.business.id,
                "name": f"Lead {n}" if n % 3 else f"Jo Wu {n}",
                "search_name": f"lead {n}" if n % 3 else f"jo wu {n}",
                "phone": f"+971509{n:06d}" if n % 2 else f"+97156{n + 1_000_000:07d}",
                "tags": "",
                "created_at": now - timedelta(minutes=n % 4),  # ties broken by id
                "updated_at": now,
            }
            for n in range(40)
        ],
    )
    db.session.commit()
    return crowd.business


@pytest.mark.parametrize(
    ("text", "matches"),
    [("050", _digits_50), ("wu", lambda c: "wu" in c.search_name)],
)
@pytest.mark.parametrize("limit", [1000, LIMIT])
def test_customers_short_search_pages_are_the_plain_querys_pages(
    leads, monkeypatch, text, matches, limit
):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", limit)
    expected = _expected_customers(leads, matches)
    assert len(expected) > 25 or text == "wu"
    first = list_customers(leads, CustomerFilters(q=text))
    second = list_customers(leads, CustomerFilters(q=text, page=2))
    assert [customer.id for customer in first.items] == expected[:25]
    if len(expected) > 25:
        assert [customer.id for customer in second.items] == expected[25:50]
    if len(expected) > limit:
        assert first.total == limit and first.total.at_least and first.has_next
    else:
        assert first.total == len(expected) and not getattr(first.total, "at_least", 0)


def test_customers_bounded_count_is_shown_as_more_than(client, crowd, leads, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", LIMIT)
    login(client, crowd.owner)
    text = page_text(
        client.get(f"/b/{crowd.business.handle}/customers/", query_string={"q": "050"})
    )
    assert "More than 30 customers" in text
    assert "Page 1</span>" in text and "Page 1 of" not in text
