"""The customer list and the customer forms, and who may use them."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from kyora.core.db import utcnow
from kyora.customers import services
from kyora.customers.models import Customer, CustomerNote
from kyora.extensions import db
from tests.factories import make_customer, make_tenant

BASE = "/b/layla-shop/customers"
HTMX = {"HX-Request": "true", "HX-Target": "customers-results"}


def customer_count():
    return db.session.scalar(sa.select(sa.func.count(Customer.id)))


def stats(customer, count=0, spent="0", due="0", channel=None, when=None):
    services.apply_order_stats(
        customer,
        orders_count=count,
        total_spent=Decimal(spent),
        amount_due=Decimal(due),
        last_order_at=when,
        last_channel=channel,
    )


# --- The list ----------------------------------------------------------------------------


def test_list_page_and_htmx_search_partial(owner_client, tenant):
    _, business = tenant
    make_customer(business, "Mariam Al Mansoori", phone="0501234567", instagram="mariam.bakes")
    make_customer(business, "Omar Khalid", phone="0527776666")

    page = owner_client.get(BASE + "/")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<html" in body and 'id="customers-results"' in body
    assert "Mariam Al Mansoori" in body and "Omar Khalid" in body
    assert 'aria-current="page"' in body  # the Customers nav item is active
    assert "HX-Request" in page.headers["Vary"]

    partial = owner_client.get(BASE + "/?q=mariam.bakes", headers=HTMX)
    body = partial.get_data(as_text=True)
    assert "<html" not in body
    assert body.lstrip().startswith('<section id="customers-results"')
    assert "Mariam Al Mansoori" in body and "Omar Khalid" not in body
    assert "/customers/export.csv?q=mariam.bakes" in body  # the download follows the search

    # Without the htmx target the same URL is the whole page (a shared or reloaded link).
    full = owner_client.get(BASE + "/?q=mariam.bakes").get_data(as_text=True)
    assert "<html" in full and "Omar Khalid" not in full


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mansoori", "Mariam"),
        ("050 123 45", "Mariam"),
        ("٠٥٢٧٧٧", "Omar"),
        ("@omar.k", "Omar"),
        ("mariam@example", "Mariam"),
    ],
)
def test_search_by_name_phone_handle_email(owner_client, tenant, query, expected):
    _, business = tenant
    make_customer(business, "Mariam Al Mansoori", phone="0501234567", email="mariam@example.com")
    make_customer(business, "Omar", phone="0527776666", tiktok="omar.k")
    body = owner_client.get(BASE + "/", query_string={"q": query}, headers=HTMX).get_data(
        as_text=True
    )
    other = "Omar" if expected == "Mariam" else "Mariam"
    assert expected in body and other not in body
    assert "1 customer" in body


def test_filters_sorts_and_pages(owner_client, tenant):
    _, business = tenant
    big = make_customer(business, "Big Spender", phone="0501111111")
    owes = make_customer(business, "Owes Money", phone="+447400123456")
    tiktok, _ = services.find_or_create_customer(
        business, None, name="From Tiktok", channel="tiktok"
    )
    stats(big, 5, "900", when=utcnow())
    stats(owes, 1, "100", "60")
    tiktok.tags = "vip"

    def names(**args):
        body = owner_client.get(BASE + "/", query_string=args, headers=HTMX).get_data(as_text=True)
        return [n for n in ("Big Spender", "Owes Money", "From Tiktok") if n in body], body

    assert names(unpaid="1")[0] == ["Owes Money"]
    assert names(channel="tiktok")[0] == ["From Tiktok"]
    assert names(country="GB")[0] == ["Owes Money"]
    assert names(tag="vip")[0] == ["From Tiktok"]
    _, body = names(sort="spent")
    assert body.index("Big Spender") < body.index("Owes Money") < body.index("From Tiktok")
    _, body = names(sort="newest")
    assert body.index("From Tiktok") < body.index("Owes Money") < body.index("Big Spender")
    _, body = names()  # default: last order first
    assert body.index("Big Spender") < body.index("Owes Money")

    for n in range(30):
        make_customer(business, f"Filler {n:02d}")
    first = owner_client.get(BASE + "/?sort=name", headers=HTMX).get_data(as_text=True)
    second = owner_client.get(BASE + "/?sort=name&page=2", headers=HTMX).get_data(as_text=True)
    assert "33 customers" in first and "Page 1 of 2" in first and "Page 2 of 2" in second
    assert "Filler 00" in first and "Filler 29" in second and "Filler 29" not in first
    assert "page=2" in first and "sort=name" in first  # the pager keeps the sort


def test_duplicates_are_flagged_in_the_list(owner_client, tenant):
    _, business = tenant
    make_customer(business, "Sara Ali")
    make_customer(business, "ali sara")
    make_customer(business, "Omar")
    body = owner_client.get(BASE + "/").get_data(as_text=True)
    assert body.count("Possible duplicate") == 2


# --- Create and edit -----------------------------------------------------------------


def test_create_customer_normalises_input(owner_client, tenant):
    response = owner_client.post(
        BASE + "/new",
        data={
            "name": "  Fatima   Al Ketbi ",
            "phone": "٠٥٠ ١٢٣ ٤٥٦٧",
            "whatsapp": "",
            "instagram": "https://www.instagram.com/Fatima.Style/",
            "tiktok": "@Fatima.Style",
            "email": "Fatima@Example.com",
            "tags": "VIP, eid",
            "note": "Prefers evenings",
            "address-label": "Home",
            "address-line": "Villa 3, Street 12",
            "address-area": "Al Barsha",
            "address-city": "Dubai",
            "address-country": "AE",
        },
    )
    assert response.status_code == 303
    customer = db.session.scalar(sa.select(Customer))
    assert response.headers["Location"].endswith(f"/customers/{customer.id}")
    assert customer.name == "Fatima Al Ketbi"
    assert customer.phone == "+971501234567"
    assert (customer.instagram, customer.tiktok) == ("fatima.style", "fatima.style")
    assert customer.email == "fatima@example.com"
    assert customer.tag_list == ["vip", "eid"]
    assert [a.area for a in customer.addresses] == ["Al Barsha"]
    assert customer.country == "AE"
    note = db.session.scalar(sa.select(CustomerNote))
    assert note.body == "Prefers evenings" and note.author_id == tenant[0].id


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "Sara", "phone": "12345"}, "phone", "Enter a valid phone number"),
        ({"name": "Sara", "whatsapp": "abc"}, "whatsapp", "Enter a valid phone number"),
        ({"name": "Sara", "instagram": "not a handle"}, "instagram", "Enter a handle like"),
        ({"name": "Sara", "email": "sara@"}, "email", "Enter a valid email address"),
        ({"name": "x" * 121}, "name", "120"),
        ({"name": "Sara", "address-line": "y" * 201}, "address-line", "200"),
        ({"name": "Sara", "address-city": "Dubai"}, "address-line", "Enter the street"),
        ({"name": "Sara", "tags": "x" * 31}, "tags", "up to 20 tags"),
        ({"name": ""}, "name", "Enter the customer&#39;s name, phone number or a handle."),
    ],
)
def test_create_rejects_bad_input_with_422_beside_the_field(owner_client, data, field, message):
    response = owner_client.post(BASE + "/new", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    error = body[body.index(f'id="{field}-error"') :]
    assert message in error[: error.index("</small>")]
    assert customer_count() == 0


def test_duplicate_phone_or_handle_links_to_the_existing_customer(owner_client, tenant):
    _, business = tenant
    sara = make_customer(business, "Sara Ali", phone="0501234567", instagram="sara.a")
    db.session.commit()
    response = owner_client.post(BASE + "/new", data={"name": "New", "phone": "+971501234567"})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Sara Ali already has this phone number." in body
    assert f'href="/b/layla-shop/customers/{sara.id}"' in body
    assert customer_count() == 1

    other = make_customer(business, "Omar")
    response = owner_client.post(
        f"{BASE}/{other.id}/edit", data={"name": "Omar", "instagram": "instagram.com/sara.a"}
    )
    assert response.status_code == 422
    assert "Sara Ali already has this handle." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Customer, other.id).instagram is None


def test_edit_customer(owner_client, tenant):
    _, business = tenant
    sara = make_customer(business, "Sara", phone="0501234567", tags="vip")
    form = owner_client.get(f"{BASE}/{sara.id}/edit").get_data(as_text=True)
    assert 'value="+971 50 123 4567"' in form and 'value="vip"' in form
    response = owner_client.post(
        f"{BASE}/{sara.id}/edit",
        data={
            "name": "Sara Ali",
            "phone": "+971 50 123 4567",
            "whatsapp": "0559990000",
            "snapchat": "sara_snaps",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    sara = db.session.get(Customer, sara.id)
    assert (sara.name, sara.whatsapp, sara.snapchat, sara.tags) == (
        "Sara Ali",
        "+971559990000",
        "sara_snaps",
        "",
    )


# --- Access ----------------------------------------------------------------------------


def test_member_can_work_with_customers_but_not_merge_delete_or_export(member_client, tenant):
    _, business = tenant
    sara = make_customer(business, "Sara Ali")
    sarah = make_customer(business, "Sarah Ali")
    page = member_client.get(BASE + "/").get_data(as_text=True)
    assert "Sara Ali" in page and "Export CSV" not in page
    show = member_client.get(f"{BASE}/{sara.id}").get_data(as_text=True)
    assert "Possible duplicates" in show and "/merge" not in show and "Delete customer" not in show
    assert member_client.post(BASE + "/new", data={"name": "Omar"}).status_code == 303
    assert member_client.post(f"{BASE}/{sara.id}/edit", data={"name": "Sara A"}).status_code == 303
    assert member_client.get(BASE + "/export.csv").status_code == 403
    assert member_client.get(f"{BASE}/{sara.id}/merge?other={sarah.id}").status_code == 403
    assert (
        member_client.post(f"{BASE}/{sara.id}/merge", data={"other": sarah.id}).status_code == 403
    )
    assert member_client.post(f"{BASE}/{sara.id}/delete").status_code == 403
    assert customer_count() == 3


def test_another_tenants_customer_is_a_404(owner_client, tenant):
    _, other_business = make_tenant(handle="other-shop")
    theirs = make_customer(
        other_business, "Their Customer", address={"line": "Somewhere", "city": "Dubai"}
    )
    mine = make_customer(tenant[1], "Mine")
    address_id = theirs.addresses[0].id
    for url in (
        f"{BASE}/{theirs.id}",
        f"{BASE}/{theirs.id}/edit",
        f"{BASE}/{theirs.id}/merge",
        f"{BASE}/{mine.id}/merge?other={theirs.id}",
        f"{BASE}/{mine.id}/addresses/{address_id}/edit",
    ):
        assert owner_client.get(url).status_code == 404, url
    for url, data in (
        (f"{BASE}/{theirs.id}/edit", {"name": "Hacked"}),
        (f"{BASE}/{theirs.id}/notes", {"body": "x"}),
        (f"{BASE}/{theirs.id}/delete", {}),
        (f"{BASE}/{mine.id}/merge", {"other": theirs.id, "keep": mine.id}),
        (f"{BASE}/{mine.id}/addresses/{address_id}/delete", {}),
    ):
        assert owner_client.post(url, data=data).status_code == 404, url
    assert owner_client.get("/b/other-shop/customers/").status_code == 404
    db.session.expire_all()
    assert db.session.get(Customer, theirs.id).name == "Their Customer"
    assert len(db.session.get(Customer, theirs.id).addresses) == 1
