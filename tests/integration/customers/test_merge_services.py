"""Possible duplicates, merging, deleting."""

from decimal import Decimal

import pytest
import sqlalchemy as sa

from kyora.core.errors import Conflict, ValidationFailed
from kyora.customers import duplicates, events, queries, services
from kyora.customers.merging import merge_customers
from kyora.customers.models import Address, Customer, CustomerNote
from kyora.extensions import db
from tests.factories import make_customer, make_tenant

pytestmark = pytest.mark.usefixtures("request_ctx")


def reasons(business, customer):
    return {
        name: reason for _id, name, reason in duplicates.possible_duplicates(business, customer)
    }


def test_possible_duplicates_are_found(tenant):
    owner, business = tenant
    sara = make_customer(
        business, "Sara Ali", phone="0501234567", instagram="sara.a", email="sara@example.com"
    )
    make_customer(business, "ali sara")  # same name, other order
    make_customer(business, "Sarah Aly")  # spelled differently, said the same
    make_customer(business, "Sarq Ali")  # a typo
    make_customer(business, "Someone", whatsapp="050 123 4567")  # their number as WhatsApp
    make_customer(business, "Insta Twin", tiktok="sara.a")  # same handle on another platform
    make_customer(business, "Mail Twin", email="SARA@example.com")
    make_customer(business, "Omar Khalid", phone="0529998888")
    make_customer(business, "Sara Ali", phone="0521112222")  # a namesake: not listed for Sara
    _, other_business = make_tenant(handle="another-shop")
    make_customer(other_business, "Sara Ali", phone="0501234567")  # other tenant: never listed

    assert reasons(business, sara) == {
        "ali sara": "name",
        "Sarah Aly": "similar",
        "Sarq Ali": "similar",
        "Someone": "phone",
        "Insta Twin": "handle",
        "Mail Twin": "email",
    }
    page = queries.list_customers(business, queries.CustomerFilters(sort="name"))
    flagged = {c.name for c in page.items if c.id in page.duplicates}
    # The list flags exact and same-sounding matches; typos are found on the customer page.
    assert flagged == {"Sara Ali", "ali sara", "Sarah Aly", "Someone", "Insta Twin", "Mail Twin"}
    assert "Omar Khalid" not in flagged


def test_duplicate_phone_or_handle_is_refused_naming_the_customer(tenant):
    owner, business = tenant
    make_customer(business, "Sara Ali", phone="0501234567", instagram="sara.a")
    with pytest.raises(services.DuplicateCustomer) as error:
        make_customer(
            business, "Other", phone="+971 50 123 4567", instagram="https://instagram.com/sara.a"
        )
    assert error.value.errors["phone"] == "Sara Ali already has this phone number."
    assert error.value.errors["instagram"] == "Sara Ali already has this handle."
    assert error.value.existing["phone"].name == "Sara Ali"


def test_merge_moves_addresses_notes_details_and_removes_the_merged_one(tenant):
    owner, business = tenant
    kept = make_customer(
        business,
        "Sara Ali",
        actor=owner,
        phone="0501234567",
        tags="vip",
        note="Likes red",
        address={"line": "Marina Heights 4", "city": "Dubai"},
    )
    merged = make_customer(
        business,
        "Sarah",
        actor=owner,
        phone="0559876543",
        instagram="sara.a",
        email="s@example.com",
        tags="wholesale, vip",
        note="Pays by transfer",
        address={"line": "Villa 9", "city": "Sharjah"},
    )
    services.apply_order_stats(
        kept,
        orders_count=2,
        total_spent=Decimal("100"),
        amount_due=Decimal("0"),
        last_order_at=None,
        last_channel=None,
    )
    services.apply_order_stats(
        merged,
        orders_count=1,
        total_spent=Decimal("40"),
        amount_due=Decimal("40"),
        last_order_at=None,
        last_channel="instagram",
    )
    merged_id = merged.id
    seen = []

    def on_merge(sender, kept, merged):
        # Receivers run before the merged row is gone, inside the same transaction.
        seen.append(
            (sender.id, kept.id, merged.id, db.session.get(Customer, merged.id) is not None)
        )

    with events.customers_merged.connected_to(on_merge):
        merge_customers(business, owner, kept, merged)
    db.session.commit()

    assert seen == [(business.id, kept.id, merged_id, True)]
    assert db.session.get(Customer, merged_id) is None
    customer = db.session.get(Customer, kept.id)
    assert sorted(a.line for a in customer.addresses) == ["Marina Heights 4", "Villa 9"]
    notes = [n.body for n in queries.customer_notes(customer)]
    assert "Likes red" in notes and "Pays by transfer" in notes
    assert any(body.startswith("Merged Sarah into this customer.") for body in notes)
    assert customer.phone == "+971501234567"
    assert customer.whatsapp == "+971559876543"  # their second number is kept, as WhatsApp
    assert (customer.instagram, customer.email) == ("sara.a", "s@example.com")
    assert customer.tag_list == ["vip", "wholesale"]
    remaining = db.session.scalar(
        sa.select(sa.func.count()).select_from(Address).where(Address.customer_id == merged_id)
    )
    assert remaining == 0
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(CustomerNote)
            .where(CustomerNote.customer_id == merged_id)
        )
        == 0
    )


def test_without_listeners_merge_adds_up_the_order_figures(tenant):
    owner, business = tenant
    kept, merged = make_customer(business, "Sara"), make_customer(business, "Sarah")
    for customer, count, spent, due in ((kept, 2, "100", "0"), (merged, 1, "40", "40")):
        services.apply_order_stats(
            customer,
            orders_count=count,
            total_spent=Decimal(spent),
            amount_due=Decimal(due),
            last_order_at=None,
            last_channel=None,
        )
    with events.customers_merged.muted():
        merge_customers(business, owner, kept, merged)
    assert (kept.orders_count, kept.total_spent, kept.amount_due) == (
        3,
        Decimal("140"),
        Decimal("40"),
    )


def test_merge_refuses_the_same_customer(tenant):
    owner, business = tenant
    sara = make_customer(business, "Sara")
    with pytest.raises(ValidationFailed):
        merge_customers(business, owner, sara, sara)


def test_delete_refuses_a_customer_with_orders_or_a_listener_veto(tenant):
    owner, business = tenant
    sara = make_customer(business, "Sara")
    services.apply_order_stats(
        sara,
        orders_count=1,
        total_spent=Decimal("10"),
        amount_due=Decimal("0"),
        last_order_at=None,
        last_channel=None,
    )
    with pytest.raises(Conflict):
        services.delete_customer(business, owner, sara)

    omar = make_customer(business, "Omar")

    def veto(sender, business):
        return "Omar has open orders."

    with (
        events.customer_deleting.connected_to(veto),
        pytest.raises(Conflict, match="open orders"),
    ):
        services.delete_customer(business, owner, omar)
    services.delete_customer(business, owner, omar)
    assert db.session.get(Customer, omar.id) is None
