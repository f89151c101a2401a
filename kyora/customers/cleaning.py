"""Cleaning what is typed about a customer, and keeping phones and handles unique.

Shared by the customer services and merging: every check here raises
`ValidationFailed` (or `DuplicateCustomer`) with a translated message per field.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.core.errors import ValidationFailed
from kyora.core.phones import display_phone, normalize_phone
from kyora.customers.drafts import CustomerDraft
from kyora.customers.identity import (
    PLATFORMS,
    clean_name,
    name_key,
    name_sound,
    normalize_email,
    normalize_handle,
    parse_tags,
    search_text,
)
from kyora.customers.models import Customer
from kyora.extensions import db

NAME_MAX = 120
EMAIL_MAX = 320
TAGS_MAX_CHARS = 700
PLATFORM_ALIASES = {"x": "x_handle", "twitter": "x_handle"}


class DuplicateCustomer(ValidationFailed):
    """A phone or handle already belongs to another customer of the business.

    `existing` maps each field to that customer, so the form can link to them.
    """

    def __init__(self, errors: dict[str, str], existing: dict[str, Customer]):
        super().__init__(errors)
        self.existing = existing


# --- Input cleaning --------------------------------------------------------------------


def too_long(limit: int) -> str:
    return _("Use at most %(count)d characters.", count=limit)


def clean_phone(raw: str | None, business, field: str = "phone") -> str | None:
    """E.164 form of a typed number (the business country is the default region)."""
    if raw is not None and len(raw) > 40:
        raise ValidationFailed({field: too_long(40)})
    try:
        return normalize_phone(raw, business.country)
    except ValueError as exc:
        raise ValidationFailed(
            {field: _("Enter a valid phone number, like +971 50 123 4567.")}
        ) from exc


def clean_handle(raw: str | None, platform: str, field: str | None = None) -> str | None:
    field = field or platform
    if raw is not None and len(raw) > 200:
        raise ValidationFailed({field: too_long(200)})
    try:
        return normalize_handle(raw, platform)
    except ValueError as exc:
        raise ValidationFailed(
            {field: _("Enter a handle like @sara.designs or paste a profile link.")}
        ) from exc


def clean_email(raw: str | None, field: str = "email") -> str | None:
    if raw is not None and len(raw) > EMAIL_MAX:
        raise ValidationFailed({field: too_long(EMAIL_MAX)})
    try:
        return normalize_email(raw)
    except ValueError as exc:
        raise ValidationFailed({field: _("Enter a valid email address.")}) from exc


def clean_profile(business, draft: CustomerDraft) -> dict:
    """Validate a customer draft's profile; every problem is reported at once."""
    errors: dict[str, str] = {}
    cleaned: dict = {}
    name = clean_name(draft.name)
    if len(name) > NAME_MAX:
        errors["name"] = too_long(NAME_MAX)
    cleaned["name"] = name
    for field in ("phone", "whatsapp"):
        try:
            cleaned[field] = clean_phone(getattr(draft, field), business, field)
        except ValidationFailed as error:
            errors.update(error.errors)
    for platform in PLATFORMS:
        try:
            cleaned[platform] = clean_handle(getattr(draft, platform), platform)
        except ValidationFailed as error:
            errors.update(error.errors)
    try:
        cleaned["email"] = clean_email(draft.email)
    except ValidationFailed as error:
        errors.update(error.errors)
    try:
        tags = ",".join(parse_tags(draft.tags))
    except ValueError:
        errors["tags"] = _("Use up to 20 tags of up to 30 characters each.")
        tags = ""
    if len(tags) > TAGS_MAX_CHARS:
        errors["tags"] = _("Use up to 20 tags of up to 30 characters each.")
    cleaned["tags"] = tags
    if cleaned.get("whatsapp") and cleaned["whatsapp"] == cleaned.get("phone"):
        cleaned["whatsapp"] = None  # "if different": the phone already is their WhatsApp
    has_identity = any(cleaned.get(key) for key in ("phone", "email", *PLATFORMS))
    if not name and not has_identity and "name" not in errors:
        errors["name"] = _("Enter the customer's name, phone number or a handle.")
    if errors:
        raise ValidationFailed(errors)
    if not name:
        cleaned["name"] = default_name(cleaned)
    return cleaned


def default_name(values: dict) -> str:
    """What to call a customer we only know by a handle, number or email."""
    for platform in PLATFORMS:
        if values.get(platform):
            return "@" + values[platform]
    if values.get("phone"):
        return display_phone(values["phone"])
    return (values.get("email") or "").split("@")[0] or _("Customer")


def set_name(customer: Customer, name: str) -> None:
    """Store the name with its folded search and duplicate-detection forms."""
    customer.name = name[:NAME_MAX]
    customer.search_name = search_text(name)[:NAME_MAX]
    customer.name_key = name_key(name)[:NAME_MAX]
    customer.name_sound = name_sound(name)[:NAME_MAX]


# --- Uniqueness ----------------------------------------------------------------------


def owner_of(business, column: str, value: str | None, exclude_id: int | None = None):
    if not value:
        return None
    query = sa.select(Customer).where(
        Customer.business_id == business.id, getattr(Customer, column) == value
    )
    if exclude_id is not None:
        query = query.where(Customer.id != exclude_id)
    return db.session.scalar(query.limit(1))


def check_unique(business, values: dict, exclude_id: int | None = None) -> None:
    """Refuse a phone or handle that another customer already has, naming them."""
    errors: dict[str, str] = {}
    existing: dict[str, Customer] = {}
    for column in ("phone", *PLATFORMS):
        other = owner_of(business, column, values.get(column), exclude_id)
        if other is None:
            continue
        existing[column] = other
        if column == "phone":
            errors[column] = _("%(name)s already has this phone number.", name=other.display_name)
        else:
            errors[column] = _("%(name)s already has this handle.", name=other.display_name)
    if errors:
        raise DuplicateCustomer(errors, existing)


def flush_unique(business, values: dict, exclude_id: int | None = None) -> None:
    """Flush inside a savepoint; a racing insert of the same phone/handle becomes a 422."""
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as exc:
        check_unique(business, values, exclude_id)
        raise ValidationFailed(
            {"phone": _("This customer was just added by someone else.")}
        ) from exc


def is_placeholder_name(customer: Customer) -> bool:
    """Whether the name is only a stand-in (a handle, number or email), not a real name."""
    values = {column: getattr(customer, column) for column in ("phone", "email", *PLATFORMS)}
    return customer.name == default_name(values) or customer.name.startswith("@")
