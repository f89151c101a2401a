"""Recognising customers: normalised phones and handles, find-or-create, search, stats."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from kyora.core.errors import ValidationFailed
from kyora.customers import services
from kyora.customers.models import Customer
from kyora.extensions import db
from tests.factories import make_customer, make_tenant

pytestmark = pytest.mark.usefixtures("request_ctx")


def count_customers():
    return db.session.scalar(sa.select(sa.func.count(Customer.id)))


def test_same_phone_in_any_format_is_the_same_customer(tenant):
    owner, business = tenant
    first, created = services.find_or_create_customer(
        business, owner, name="Mariam", phone="050 123 4567", channel="whatsapp"
    )
    assert created
    assert first.phone == "+971501234567"
    assert first.first_channel == "whatsapp"
    assert first.country == "AE"
    for typed in ("+971 50 123 4567", "00971501234567", "٠٥٠١٢٣٤٥٦٧", "(050) 123-4567"):
        again, created = services.find_or_create_customer(business, owner, phone=typed)
        assert (again.id, created) == (first.id, False)
    assert count_customers() == 1


def test_handle_then_email_identify_customers(tenant):
    owner, business = tenant
    by_handle, created = services.find_or_create_customer(
        business, owner, handle="https://www.instagram.com/Sara.Designs/"
    )
    assert created
    assert by_handle.instagram == "sara.designs"
    assert by_handle.name == "@sara.designs"  # a handle is enough; the name follows it
    same, created = services.find_or_create_customer(
        business, owner, name="Sara", handle="@sara.designs"
    )
    assert (same.id, created) == (by_handle.id, False)
    assert same.name == "Sara"  # the real name replaces the placeholder

    # A TikTok handle is a different identity from the same Instagram handle.
    tiktok, created = services.find_or_create_customer(
        business, owner, handle="https://www.tiktok.com/@sara.designs/video/1"
    )
    assert created and tiktok.tiktok == "sara.designs" and tiktok.instagram is None

    by_email, created = services.find_or_create_customer(
        business, owner, name="Reem", email="Reem@Example.com"
    )
    again, created_again = services.find_or_create_customer(
        business, owner, email="reem@example.com"
    )
    assert created and not created_again and again.id == by_email.id


def test_order_details_fill_in_missing_contact_details(tenant):
    owner, business = tenant
    customer, _ = services.find_or_create_customer(
        business, owner, name="Noura", phone="0501112222"
    )
    found, created = services.find_or_create_customer(
        business, owner, phone="0501112222", handle="noura.cakes", email="noura@example.com"
    )
    assert not created and found.id == customer.id
    assert (found.instagram, found.email, found.name) == (
        "noura.cakes",
        "noura@example.com",
        "Noura",
    )


def test_invalid_input_raises_and_writes_nothing(tenant):
    owner, business = tenant
    with pytest.raises(ValidationFailed) as error:
        services.find_or_create_customer(business, owner, name="X", phone="12")
    assert "phone" in error.value.errors
    with pytest.raises(ValidationFailed) as error:
        services.find_or_create_customer(business, owner, handle="not a handle")
    assert "handle" in error.value.errors
    with pytest.raises(ValidationFailed):
        services.find_or_create_customer(business, owner)
    with pytest.raises(ValidationFailed):
        services.find_or_create_customer(business, owner, name="x" * 121)
    assert count_customers() == 0


def test_a_concurrent_insert_of_the_same_phone_is_reused(tenant, monkeypatch):
    """If another request inserts the same phone between our lookup and insert, we reuse it."""
    owner, business = tenant
    other = make_customer(business, name="Mariam", phone="0501234567")
    real_find = services._find
    calls = []

    def find_nothing_first(*args):
        calls.append(args)
        return None if len(calls) == 1 else real_find(*args)

    monkeypatch.setattr(services, "_find", find_nothing_first)
    found, created = services.find_or_create_customer(
        business, owner, name="M", phone="+971501234567"
    )
    assert (found.id, created) == (other.id, False)
    assert len(calls) == 2  # the insert hit the unique phone and the winner was re-read
    assert count_customers() == 1
    db.session.commit()  # the outer transaction is still usable


def test_phones_and_handles_are_per_business(tenant):
    owner, business = tenant
    _, other_business = make_tenant(handle="other-shop")
    mine, _ = services.find_or_create_customer(business, owner, phone="0501234567")
    theirs, created = services.find_or_create_customer(other_business, owner, phone="0501234567")
    assert created and theirs.id != mine.id
    assert services.get_customer(business, theirs.id) is None
    assert services.get_customer(business, mine.id).id == mine.id
    assert services.get_customer(business, "nope") is None


def test_search_by_each_field(tenant):
    owner, business = tenant
    mariam = make_customer(
        business,
        "Mariam Al Mansoori",
        phone="0501234567",
        instagram="mariam.bakes",
        email="mm@example.com",
    )
    fatima = make_customer(business, "فاطمة أحمد", phone="0559876543", tiktok="fatima_style")
    make_customer(business, "Omar Khalid", phone="0527776666")

    def ids(text):
        return [c.id for c in services.search_customers(business, text)]

    assert ids("mariam") == [mariam.id]
    assert ids("MANSOORI mar") == [mariam.id]
    assert ids("050 123") == [mariam.id]
    assert ids("٠٥٥٩٨٧") == [fatima.id]
    assert ids("+971 55 987") == [fatima.id]
    assert ids("@mariam.bakes") == [mariam.id]
    assert ids("fatima_") == [fatima.id]
    assert ids("mm@example") == [mariam.id]
    assert ids("فاطمه") == [fatima.id]  # taa marbuta typed as haa
    assert ids("") == []
    assert ids("nobody") == []
    assert ids("%") == []
    assert len(services.search_customers(business, "0", limit=2)) <= 2


def test_apply_order_stats(tenant):
    owner, business = tenant
    customer = make_customer(business, "Reem")
    when = datetime(2025, 3, 1, 10, tzinfo=UTC)
    services.apply_order_stats(
        customer,
        orders_count=3,
        total_spent=Decimal("450.500"),
        amount_due=Decimal("50"),
        last_order_at=when,
        last_channel="tiktok",
    )
    db.session.commit()
    db.session.expire_all()
    customer = db.session.get(Customer, customer.id)
    assert customer.orders_count == 3
    assert customer.total_spent == Decimal("450.500")
    assert customer.amount_due == Decimal("50.000")
    assert customer.last_order_at == when
    assert (customer.first_channel, customer.last_channel) == ("tiktok", "tiktok")
    assert customer.average_order.quantize(Decimal("0.01")) == Decimal("150.17")


def test_display_name_and_whatsapp_number(tenant):
    owner, business = tenant
    customer = make_customer(business, "Dana", phone="0501234567", whatsapp="0559990000")
    assert customer.display_name == "Dana"
    assert customer.whatsapp_number == "+971559990000"
    assert customer.whatsapp_url == "https://wa.me/971559990000"
    same = make_customer(business, "Rania", phone="0521234567", whatsapp="052 123 4567")
    assert same.whatsapp is None  # same as the phone: not stored twice
    assert same.whatsapp_number == "+971521234567"
