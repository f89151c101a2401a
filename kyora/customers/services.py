"""Customer operations: create, edit, recognise, delete, and order statistics.

Input cleaning and uniqueness checks live in `cleaning.py`; addresses and notes
in `records.py` (re-exported here: `add_address`, `add_note`, ...); merging two
customers in `merging.py`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.core.db import already_loaded
from kyora.core.errors import Conflict, ValidationFailed
from kyora.customers import events
from kyora.customers.addresses_notes import (
    NOTE_MAX,
    add_address,
    add_note,
    clean_address,
    delete_address,
    refresh_country,
    require_same_business,
    update_address,
)
from kyora.customers.cleaning import (
    NAME_MAX,
    PLATFORM_ALIASES,
    DuplicateCustomer,
    check_unique,
    clean_email,
    clean_handle,
    clean_phone,
    clean_profile,
    default_name,
    flush_unique,
    is_placeholder_name,
    owner_of,
    set_name,
    too_long,
)
from kyora.customers.drafts import AddressDraft, CustomerDraft  # noqa: F401  (public API)
from kyora.customers.identity import PLATFORMS, clean_name, phone_region, platform_from_url
from kyora.customers.models import CHANNEL_LABELS, Customer
from kyora.customers.queries import search_condition
from kyora.extensions import db

# --- Create, edit, delete ----------------------------------------------------------


def create_customer(business, actor, draft: CustomerDraft) -> Customer:
    """Create a customer from a draft (profile, and optionally the channel they came
    from, a first timeline note and a first address).

    Raises ValidationFailed / DuplicateCustomer; nothing is written then.
    """
    errors: dict[str, str] = {}
    values: dict = {}
    try:
        values = clean_profile(business, draft)
    except ValidationFailed as error:
        errors.update(error.errors)
    address = draft.address if draft.address is not None and draft.address.filled else None
    if address is not None:
        try:
            clean_address(business, address)
        except ValidationFailed as error:
            errors.update({f"address-{key}": message for key, message in error.errors.items()})
    note = (draft.note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = too_long(NOTE_MAX)
    if errors:
        raise ValidationFailed(errors)
    check_unique(business, values)
    customer = Customer(business_id=business.id, first_channel=_channel(draft.channel))
    _apply(customer, values)
    db.session.add(customer)
    flush_unique(business, values)
    if note:
        add_note(business, actor, customer, note)
    if address is not None:
        add_address(business, actor, customer, address)
    refresh_country(customer)
    events.customer_created.send(customer, business=business, actor=actor)
    return customer


def _apply(customer: Customer, values: dict) -> None:
    set_name(customer, values["name"])
    for column in ("phone", "whatsapp", "email", "tags", *PLATFORMS):
        setattr(customer, column, values[column])


def _channel(value: str | None) -> str | None:
    return value if value in CHANNEL_LABELS else None


def update_customer(business, actor, customer: Customer, draft: CustomerDraft) -> Customer:
    """Save a customer's profile. Raises ValidationFailed / DuplicateCustomer."""
    require_same_business(business, customer)
    values = clean_profile(business, draft)
    check_unique(business, values, exclude_id=customer.id)
    _apply(customer, values)
    with db.session.no_autoflush:  # the flush below is the one guarded against races
        refresh_country(customer)
    flush_unique(business, values, exclude_id=customer.id)
    return customer


def delete_customer(business, actor, customer: Customer) -> None:
    """Delete a customer with no orders (a customer with orders is merged instead)."""
    require_same_business(business, customer)
    if customer.orders_count:
        raise Conflict(
            _(
                "%(name)s has orders, so they can't be deleted. Merge them into another customer instead.",
                name=customer.display_name,
            )
        )
    for _receiver, reason in events.customer_deleting.send(customer, business=business):
        if reason:
            raise Conflict(str(reason))
    db.session.delete(customer)
    db.session.flush()


# --- Reads other domains use -----------------------------------------------------------


def get_customer(business, customer_id) -> Customer | None:
    """The customer with `customer_id` in `business`, or None (also for another tenant's id)."""
    try:
        customer_id = int(customer_id)
    except (TypeError, ValueError):
        return None
    # The same request often asks twice (the form, then the save): the session has it.
    known = already_loaded(db.session, Customer, [customer_id])
    if known is not None:
        customer = known[customer_id]
        return customer if customer.business_id == business.id else None
    return db.session.scalar(
        sa.select(Customer).where(Customer.id == customer_id, Customer.business_id == business.id)
    )


def search_customers(business, text: str, limit: int = 8) -> list[Customer]:
    """Type-ahead matches by name, phone digits, handle or email (one bounded query)."""
    text = (text or "").strip()[:100]
    if not text:
        return []
    query = (
        sa.select(Customer)
        .where(Customer.business_id == business.id, search_condition(text))
        .order_by(sa.nulls_last(Customer.last_order_at.desc()), Customer.id.desc())
        .limit(max(1, min(limit, 50)))
    )
    return list(db.session.scalars(query))


# --- Recognising a customer from an order -------------------------------------------


def _find(business, phone, platform, handle, email) -> Customer | None:
    """Phone first, then the handle on its platform, then email; a number saved as
    someone's WhatsApp is theirs too. One read asks for all of them at once."""
    wanted = [
        (column, value)
        for column, value in (
            ("phone", phone),
            (platform, handle),
            ("email", email),
            ("whatsapp", phone),
        )
        if value
    ]
    if not wanted:
        return None
    # A union of lookups, each through its own index (an OR would let SQLite scan the
    # business's customers).
    ids = sa.union_all(
        *(
            sa.select(Customer.id).where(
                Customer.business_id == business.id, getattr(Customer, column) == value
            )
            for column, value in wanted
        )
    )
    matches = db.session.scalars(
        sa.select(Customer).where(Customer.id.in_(ids)).order_by(Customer.id)
    ).all()
    for column, value in wanted:
        for customer in matches:
            if getattr(customer, column) == value:
                return customer
    return None


def _enrich(business, customer: Customer, name, phone, platform, handle, email) -> None:
    """Fill in what the order told us and the customer record lacks (never overwrite)."""
    changed = False
    if name and is_placeholder_name(customer):
        set_name(customer, name)
        changed = True
    for column, value in (("phone", phone), (platform, handle)):
        if value and not getattr(customer, column) and owner_of(business, column, value) is None:
            setattr(customer, column, value)
            changed = True
    if email and not customer.email:
        customer.email = email
        changed = True
    if not changed:
        return
    if phone and not customer.country:
        with db.session.no_autoflush:
            refresh_country(customer)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:
        # Someone else took that phone/handle a moment ago: keep the record as it was.
        db.session.refresh(customer)


def find_or_create_customer(
    business,
    actor,
    *,
    name: str | None = None,
    phone: str | None = None,
    handle: str | None = None,
    handle_platform: str = "instagram",
    email: str | None = None,
    channel: str | None = None,
) -> tuple[Customer, bool]:
    """The customer an order is for: found by phone, then handle, then email; else created.

    Returns `(customer, created)`. A name, or a phone/handle/email, is enough to
    create one. Raises ValidationFailed({"phone": ...}) for an invalid number (and
    likewise for "handle", "email", "name"). Safe under concurrent requests: the
    unique phone/handle constraints decide, and the loser re-reads the winner.
    """
    platform = PLATFORM_ALIASES.get(handle_platform, handle_platform)
    platform = platform_from_url(handle) or platform
    if platform not in PLATFORMS:
        platform = "instagram"
    name = clean_name(name)
    if len(name) > NAME_MAX:
        raise ValidationFailed({"name": too_long(NAME_MAX)})
    phone = clean_phone(phone, business)
    handle = clean_handle(handle, platform, field="handle")
    email = clean_email(email)
    if not (name or phone or handle or email):
        raise ValidationFailed({"name": _("Enter the customer's name, phone number or a handle.")})

    found = _find(business, phone, platform, handle, email)
    if found is not None:
        _enrich(business, found, name, phone, platform, handle, email)
        return found, False

    values = {"phone": phone, platform: handle, "email": email}
    customer = Customer(
        business_id=business.id,
        **dict.fromkeys(PLATFORMS),
        phone=phone,
        whatsapp=None,
        email=email,
        first_channel=_channel(channel),
        last_channel=None,
        last_order_at=None,
        tags="",
        # Every column given (None too) and no addresses yet: the rest of the order's
        # save (its delivery address, the sales figures by country) then finds the new
        # customer whole in the session instead of reading it back.
        addresses=[],
    )
    setattr(customer, platform, handle)
    set_name(customer, name or default_name(values))
    customer.country = phone_region(phone)
    try:
        with db.session.begin_nested():
            db.session.add(customer)
            db.session.flush()
    except sa.exc.IntegrityError:
        found = _find(business, phone, platform, handle, email)
        if found is None:
            raise
        return found, False
    events.customer_created.send(customer, business=business, actor=actor)
    return customer, True


# --- Order statistics (kept by the orders domain) -----------------------------------


def apply_order_stats(
    customer: Customer,
    *,
    orders_count: int,
    total_spent: Decimal,
    amount_due: Decimal,
    last_order_at: datetime | None,
    last_channel: str | None,
) -> None:
    """Store the customer's order figures (the orders domain computes them)."""
    customer.orders_count = max(0, int(orders_count))
    customer.total_spent = Decimal(total_spent or 0)
    customer.amount_due = Decimal(amount_due or 0)
    customer.last_order_at = last_order_at
    customer.last_channel = last_channel
    if customer.first_channel is None and last_channel:
        customer.first_channel = last_channel


__all__ = [
    "DuplicateCustomer",
    "add_address",
    "add_note",
    "apply_order_stats",
    "create_customer",
    "delete_address",
    "delete_customer",
    "find_or_create_customer",
    "get_customer",
    "search_customers",
    "update_address",
    "update_customer",
]
