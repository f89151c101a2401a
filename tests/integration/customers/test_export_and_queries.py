"""CSV export, and a bounded number of queries whatever the number of customers."""

import csv
import io
from decimal import Decimal

import sqlalchemy as sa

from kyora.core.db import utcnow
from kyora.customers import services
from kyora.customers.identity import name_key, search_text
from kyora.customers.models import Customer
from kyora.extensions import db
from tests.factories import make_customer

BASE = "/b/layla-shop/customers"


def read_csv(response):
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_export_lists_customers_with_formulas_neutralised(owner_client, tenant):
    _, business = tenant
    sara = make_customer(
        business,
        "Sara Ali",
        phone="0501234567",
        instagram="sara.a",
        tags="vip",
        address={"line": "Villa 9", "city": "Dubai"},
    )
    services.apply_order_stats(
        sara,
        orders_count=2,
        total_spent=Decimal("300.5"),
        amount_due=Decimal("20"),
        last_order_at=None,
        last_channel="instagram",
    )
    make_customer(business, '=HYPERLINK("http://evil.example","click")', email="x@example.com")
    make_customer(business, "@SUM(1+1)", phone="0559876543")

    response = owner_client.get(BASE + "/export.csv?sort=spent")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="customers-layla-shop-'
    )
    rows = read_csv(response)
    header = rows[0]
    assert header[:4] == ["Name", "Phone", "WhatsApp", "Email"]
    assert "Total spent (AED)" in header and "Owes (AED)" in header
    first = dict(zip(header, rows[1], strict=True))
    assert first["Name"] == "Sara Ali"
    assert first["Phone"] == "+971501234567"  # a plain number stays a number
    assert (first["Instagram"], first["City"], first["Tags"]) == ("sara.a", "Dubai", "vip")
    assert (first["Orders"], first["Total spent (AED)"], first["Owes (AED)"]) == (
        "2",
        "300.50",
        "20.00",
    )
    assert first["Came from"] == "Instagram"
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","click")' in names
    assert "'@SUM(1+1)" in names
    assert not any(name.startswith(("=", "@", "+", "-")) for name in names)


def test_export_follows_the_list_filters(owner_client, tenant):
    _, business = tenant
    make_customer(business, "Sara Ali")
    make_customer(business, "Omar Khalid")
    rows = read_csv(owner_client.get(BASE + "/export.csv?q=omar"))
    assert [row[0] for row in rows[1:]] == ["Omar Khalid"]


def test_export_is_for_admins_only(member_client, tenant):
    make_customer(tenant[1], "Sara Ali")
    assert member_client.get(BASE + "/export.csv").status_code == 403


# --- Query counts --------------------------------------------------------------------


def add_customers(business, count, start=0):
    now = utcnow()
    rows = []
    for n in range(start, start + count):
        name = f"Customer {n:05d}"
        rows.append(
            {
                "business_id": business.id,
                "name": name,
                "search_name": search_text(name),
                "name_key": name_key(name),
                "phone": f"+97150{1000000 + n}",
                "instagram": f"shopper{n}",
                "country": "AE",
                "tags": "vip" if n % 3 == 0 else "",
                "first_channel": "instagram",
                "total_spent": Decimal(n),
                "amount_due": Decimal(n % 2),
                "orders_count": n % 5,
                "created_at": now,
                "updated_at": now,
            }
        )
    db.session.execute(sa.insert(Customer), rows)
    db.session.commit()


def test_list_and_customer_page_queries_do_not_grow_with_customers(
    owner_client, tenant, count_queries
):
    _, business = tenant
    sara = make_customer(
        business,
        "Sara Ali",
        phone="0501111111",
        note="hello",
        address={"line": "Villa 9", "city": "Dubai"},
    )
    add_customers(business, 10)
    urls = [
        BASE + "/",
        BASE + "/?q=customer&sort=spent&unpaid=1",
        BASE + "/?tag=vip&country=AE&sort=newest&page=2",
        f"{BASE}/{sara.id}",
        f"{BASE}/{sara.id}/merge",
    ]
    small = [count_queries.page(owner_client, url) for url in urls]
    add_customers(business, 990, start=10)
    large = [count_queries.page(owner_client, url) for url in urls]
    assert small == large
    assert max(large) <= 15
    htmx = {"HX-Request": "true", "HX-Target": "customers-results"}
    assert count_queries.page(owner_client, BASE + "/?q=00", htmx) < large[0]


def test_duplicate_flags_follow_the_pairwise_rules(owner_client, tenant):
    """The indexed lookup flags exactly who a pair-by-pair comparison would flag."""
    import random

    from kyora.customers import duplicates
    from kyora.customers.models import Customer

    _, business = tenant
    rng = random.Random(4)
    names = ["Sara Ali", "Sarah Aly", "Mona Saleh", "Huda", "Reem K", "Layla"]
    for _n in range(40):
        fields = {}
        if rng.random() < 0.6:
            fields["phone"] = f"05012345{rng.randint(0, 9):02d}"
        if rng.random() < 0.3:
            fields["instagram"] = f"shop.{rng.randint(0, 5)}"
        if rng.random() < 0.2:
            fields["email"] = f"p{rng.randint(0, 4)}@example.com"
        try:
            make_customer(business, rng.choice(names), **fields)
        except Exception:  # a duplicate phone/handle refused by the service: skip it
            db.session.rollback()
        else:
            db.session.commit()
    customers = list(db.session.scalars(sa.select(Customer).order_by(Customer.id)))
    # The oracle compares every pair of customers, not only the candidates the index finds.
    expected = {
        customer.id
        for customer in customers
        if any(
            other.id != customer.id and duplicates._match_reason(customer, other)
            for other in customers
        )
    }
    assert expected  # the data really has duplicates
    assert duplicates.duplicate_ids(business, customers) == expected
