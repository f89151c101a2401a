"""Search through the index: what it finds, what it never shows, and that it follows
every change to a customer (edit, merge, delete, bulk insert) on both engines."""

import pytest
import sqlalchemy as sa

from kyora.businesses.models import Business
from kyora.core.db import utcnow
from kyora.customers import services
from kyora.customers.drafts import CustomerDraft
from kyora.customers.identity import name_key, search_text
from kyora.customers.merging import merge_customers
from kyora.customers.models import Customer
from kyora.customers.queries import CustomerFilters, list_customers
from kyora.extensions import db
from kyora.orders.services import setup_new_business
from tests.factories import make_customer, make_order, make_product, make_tenant, page_text

BASE = "/b/layla-shop/customers/"
HTMX = {"HX-Request": "true", "HX-Target": "customers-results"}


def found(business, text) -> set[str]:
    """Names of the customers the customers list shows for `text`."""
    page = list_customers(business, CustomerFilters(q=text), per_page=100)
    return {customer.name for customer in page.items}


@pytest.fixture
def people(tenant, request_ctx):
    _, business = tenant
    make_customer(
        business,
        "Mariam Al Mansoori",
        phone="0501234567",
        instagram="mariam.bakes",
        email="mariam@example.com",
    )
    make_customer(business, "أحمد سالم", phone="0527776666", tiktok="ahmad.s")
    make_customer(business, "Jo Wu", whatsapp="0551112222")
    db.session.commit()
    return business


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mansoo", {"Mariam Al Mansoori"}),  # part of a word
        ("MARIAM al", {"Mariam Al Mansoori"}),  # several words, one short
        ("mansoori mariam", {"Mariam Al Mansoori"}),  # words in any order
        ("احمد", {"أحمد سالم"}),  # typed without the hamza
        ("إحمد", {"أحمد سالم"}),  # typed with another one
        ("050 123 45", {"Mariam Al Mansoori"}),  # local number with its trunk zero
        ("7776", {"أحمد سالم"}),
        ("1112222", {"Jo Wu"}),  # the WhatsApp number
        ("@mariam.ba", {"Mariam Al Mansoori"}),
        ("ahmad.s", {"أحمد سالم"}),
        ("mariam@example", {"Mariam Al Mansoori"}),
        ("wu", {"Jo Wu"}),  # two letters: shorter than a trigram
        ("jo", {"Jo Wu"}),
        ("nobody", set()),
    ],
)
def test_search_finds_by_any_part(people, text, expected):
    assert found(people, text) == expected


@pytest.mark.parametrize(
    "text",
    ['"', '""', "mar*", "(mariam", "mariam)", "NEAR(a b)", "-mariam", "name:mariam", "{x}: y"]
    + ["a AND", "OR", "NOT x", "^m", "'; DROP TABLE customer; --", "%", "_", "\\"],
)
def test_search_syntax_in_the_box_gives_a_normal_page(owner_client, people, text):
    response = owner_client.get(BASE, query_string={"q": text}, headers=HTMX)
    assert response.status_code == 200
    orders = owner_client.get("/b/layla-shop/orders/", query_string={"q": text})
    assert orders.status_code == 200


def test_search_characters_are_literal(people, request_ctx):
    make_customer(people, "Percent", email="100%_off@example.com")
    db.session.commit()
    assert found(people, "100%_off") == {"Percent"}
    assert found(people, "0%_") == {"Percent"}
    assert found(people, "%") == {"Percent"}  # not "everyone"


def test_the_index_follows_an_edit(people):
    mariam = db.session.scalar(sa.select(Customer).where(Customer.email.is_not(None)))
    services.update_customer(
        people,
        None,
        mariam,
        CustomerDraft.of(name="Maryam Haddad", phone="0509998888", instagram="maryam.cakes"),
    )
    db.session.commit()
    assert found(people, "mansoori") == set()
    assert found(people, "mariam.bakes") == set()
    assert found(people, "1234567") == set()
    assert found(people, "haddad") == {"Maryam Haddad"}
    assert found(people, "maryam.cakes") == {"Maryam Haddad"}
    assert found(people, "9998888") == {"Maryam Haddad"}


def test_the_index_follows_a_merge_and_a_delete(people, tenant):
    owner, _ = tenant
    copy = make_customer(people, "Mariam M", phone="0504445555", snapchat="mimi.snaps")
    mariam = db.session.scalar(sa.select(Customer).where(Customer.email.is_not(None)))
    merge_customers(people, owner, mariam, copy)
    db.session.commit()
    # The merged customer is gone; its snapchat handle and number now belong to Mariam.
    assert found(people, "mimi.snaps") == {"Mariam Al Mansoori"}
    assert found(people, "4445555") == {"Mariam Al Mansoori"}
    assert found(people, "mariam") == {"Mariam Al Mansoori"}

    jo = db.session.scalar(sa.select(Customer).where(Customer.name == "Jo Wu"))
    services.delete_customer(people, owner, jo)
    db.session.commit()
    assert found(people, "1112222") == set()
    make_customer(people, "Joanna Wu", phone="0551112222")  # the number is free again
    db.session.commit()
    assert found(people, "1112222") == {"Joanna Wu"}


def test_customers_inserted_in_bulk_are_found(people):
    """Bulk paths (the demo, imports) insert rows directly; the index still has them."""
    now = utcnow()
    db.session.execute(
        sa.insert(Customer.__table__),
        [
            {
                "business_id": people.id,
                "name": f"Bulk Person {n}",
                "search_name": search_text(f"Bulk Person {n}"),
                "name_key": name_key(f"Bulk Person {n}"),
                "phone": f"+97158{n:07d}",
                "tags": "",
                "created_at": now,
                "updated_at": now,
            }
            for n in range(50)
        ],
    )
    db.session.commit()
    assert found(people, "bulk person 42") == {"Bulk Person 42"}
    assert len(found(people, "bulk person")) == 50
    assert found(people, "580000042") == {"Bulk Person 42"}


def test_another_business_customers_never_appear(owner_client, people, request_ctx):
    owner, other = make_tenant(name="Noura", handle="noura-shop")
    setup_new_business(other)
    hat = make_product(other, "Hat", price="10", stock=5)
    make_customer(other, "Mariam Other Shop", phone="0501234000", instagram="mariam.other")
    make_order(
        other,
        owner,
        [(hat.variants[0], 1)],
        customer_name="Mariam Orders",
        customer_phone="0501234999",
    )
    db.session.commit()
    assert found(people, "mariam") == {"Mariam Al Mansoori"}
    assert found(people, "0501234") == {"Mariam Al Mansoori"}
    body = page_text(owner_client.get(BASE, query_string={"q": "mariam"}, headers=HTMX))
    assert "Mariam Al Mansoori" in body and "Other Shop" not in body
    orders = page_text(owner_client.get("/b/layla-shop/orders/", query_string={"q": "mariam"}))
    assert "Mariam Orders" not in orders


def test_orders_search_finds_the_customers_orders_and_counts_them(owner_client, tenant, people):
    owner, business = tenant
    setup_new_business(business)
    cap = make_product(business, "Black Cap", price="30", stock=20)
    mariam = db.session.scalar(sa.select(Customer).where(Customer.email.is_not(None)))
    for status in ("pending", "confirmed", "confirmed"):
        make_order(business, owner, [(cap.variants[0], 1)], customer_id=mariam.id, status=status)
    make_order(business, owner, [(cap.variants[0], 1)], customer_name="Huda", status="pending")
    db.session.commit()
    text = page_text(owner_client.get("/b/layla-shop/orders/", query_string={"q": "mansoori"}))
    assert "Mariam Al Mansoori" in text and "Huda" not in text
    assert 'All <span class="badge">3</span>' in text
    assert 'Pending <span class="badge">1</span>' in text
    assert 'Confirmed <span class="badge">2</span>' in text
    # The number typed with or without "#" still finds that one order.
    text = page_text(owner_client.get("/b/layla-shop/orders/", query_string={"q": "#1004"}))
    assert 'All <span class="badge">1</span>' in text and "Huda" in text


def _add_customers(business, start, count):
    now = utcnow()
    db.session.execute(
        sa.insert(Customer.__table__),
        [
            {
                "business_id": business.id,
                "name": f"Mariam Number {n}",
                "search_name": search_text(f"Mariam Number {n}"),
                "name_key": name_key(f"Mariam Number {n}"),
                "phone": f"+97150{n:07d}",
                "tags": "",
                "created_at": now,
                "updated_at": now,
            }
            for n in range(start, start + count)
        ],
    )
    db.session.commit()


@pytest.mark.parametrize("text", ["mariam", "050", "jo", "mariam nu", "mariam.bakes"])
def test_search_pages_queries_do_not_grow_with_customers(owner_client, people, count_queries, text):
    _add_customers(people, 0, 5)
    customers = BASE + "?q=" + text
    orders = "/b/layla-shop/orders/?q=" + text
    small = count_queries.page(owner_client, customers), count_queries.page(owner_client, orders)
    _add_customers(people, 5, 300)
    large = count_queries.page(owner_client, customers), count_queries.page(owner_client, orders)
    assert large == small


def test_the_migration_indexes_the_customers_already_there(app, tmp_path):
    from flask_migrate import downgrade, upgrade

    from kyora import create_app
    from kyora.core import jobs

    other = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/m.db"})
    try:
        with other.app_context():
            upgrade(directory="migrations", revision="c5d1e8f2a9b4")
            with db.engine.begin() as conn:
                conn.execute(
                    sa.text(
                        "INSERT INTO workspace (id, name, created_at, updated_at)"
                        " VALUES (1, 'W', '2025-01-01', '2025-01-01');"
                    )
                )
                conn.execute(
                    sa.text(
                        "INSERT INTO business (id, workspace_id, handle, name, country, currency,"
                        " timezone, vat_rate, low_stock_threshold, storefront_enabled,"
                        " brand_color, accent_color, created_at, updated_at) VALUES (1, 1,"
                        " 'old-shop', 'Old', 'AE', 'AED', 'Asia/Dubai', 0, 3, 0, '#000000',"
                        " '#000000', '2025-01-01', '2025-01-01')"
                    )
                )
                conn.execute(
                    sa.text(
                        "INSERT INTO customer (business_id, name, search_name, name_key,"
                        " name_sound, phone, tags, orders_count, total_spent, amount_due,"
                        " created_at, updated_at) VALUES (1, 'Old Timer', 'old timer',"
                        " 'old timer', '', '+971501112222', '', 0, 0, 0, '2025-01-01',"
                        " '2025-01-01')"
                    )
                )
            upgrade(directory="migrations")
            business = db.session.get(Business, 1)
            assert found(business, "timer") == {"Old Timer"}
            assert found(business, "1112222") == {"Old Timer"}
            # Down and up again: the index is rebuilt from the rows.
            downgrade(directory="migrations", revision="c5d1e8f2a9b4")
            upgrade(directory="migrations")
            assert found(business, "timer") == {"Old Timer"}
            db.session.remove()
            db.engine.dispose()
    finally:
        jobs.init_app(app)
