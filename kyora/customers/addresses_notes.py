"""A customer's addresses and timeline notes."""

from __future__ import annotations

from flask_babel import gettext as _

from kyora.core import i18n
from kyora.core.errors import ValidationFailed
from kyora.customers.drafts import AddressDraft
from kyora.customers.identity import phone_region
from kyora.customers.models import Address, Customer, CustomerNote
from kyora.extensions import db

ADDRESS_LIMITS = {"label": 40, "line": 200, "area": 100, "city": 100, "notes": 300}
NOTE_MAX = 2000


def require_same_business(business, *records) -> None:
    """Guard against a caller mixing businesses (views load rows tenant-scoped already)."""
    for record in records:
        if record.business_id != business.id:
            raise ValueError("record of another business")


def refresh_country(customer: Customer) -> None:
    """The customer's country: where their first address is, else where their number is."""
    addresses = customer.addresses
    if addresses:
        customer.country = addresses[0].country
    else:
        customer.country = phone_region(customer.phone) or phone_region(customer.whatsapp)


def clean_address(business, draft: AddressDraft) -> dict:
    """Validated address fields (the business country when none is given)."""
    errors: dict[str, str] = {}
    cleaned: dict = {}
    for key, limit in ADDRESS_LIMITS.items():
        value = " ".join((getattr(draft, key) or "").split())
        if len(value) > limit:
            errors[key] = _("Use at most %(count)d characters.", count=limit)
        cleaned[key] = value or None
    if not cleaned["line"] and "line" not in errors:
        errors["line"] = _("Enter the street, building or landmark.")
    country = (draft.country or business.country or "").upper()
    if country not in i18n.country_codes():
        errors["country"] = _("Choose a country from the list.")
    cleaned["country"] = country
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def add_address(business, actor, customer: Customer, draft: AddressDraft) -> Address:
    """Add a delivery address (label, line, area, city, country, notes) to `customer`."""
    require_same_business(business, customer)
    values = clean_address(business, draft)
    address = Address(business_id=business.id, **values)
    customer.addresses.append(address)
    refresh_country(customer)
    db.session.flush()
    return address


def update_address(business, actor, address: Address, draft: AddressDraft) -> Address:
    """Save changes to an address."""
    require_same_business(business, address)
    for key, value in clean_address(business, draft).items():
        setattr(address, key, value)
    refresh_country(address.customer)
    db.session.flush()
    return address


def delete_address(business, actor, address: Address) -> None:
    """Remove an address (past orders keep the address they were delivered to)."""
    require_same_business(business, address)
    customer = address.customer
    customer.addresses.remove(address)
    db.session.flush()
    refresh_country(customer)
    db.session.flush()


def add_note(business, actor, customer: Customer, body: str) -> CustomerNote:
    """Add a dated note by `actor` to the customer's timeline."""
    require_same_business(business, customer)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed({"body": _("Write a note first.")})
    if len(body) > NOTE_MAX:
        raise ValidationFailed({"body": _("Use at most %(count)d characters.", count=NOTE_MAX)})
    note = CustomerNote(
        business_id=business.id,
        customer_id=customer.id,
        author_id=actor.id if actor is not None else None,
        body=body,
    )
    db.session.add(note)
    db.session.flush()
    return note
