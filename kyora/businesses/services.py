"""Business operations: handles, creating, editing, archiving."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

import sqlalchemy as sa
from babel import Locale
from flask_babel import gettext as _

from kyora.accounts.models import User, Workspace
from kyora.businesses import events
from kyora.businesses.models import Business
from kyora.core import i18n
from kyora.core.db import utcnow
from kyora.core.errors import ValidationFailed
from kyora.core.money import percent_to_rate
from kyora.core.phones import normalize_phone
from kyora.extensions import db

HANDLE_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$")
# Top-level paths of the app (and words that would confuse shoppers) cannot be handles.
RESERVED_HANDLES = frozenset(
    [
        "about",
        "account",
        "accounts",
        "admin",
        "api",
        "app",
        "assets",
        "auth",
        "b",
        "billing",
        "blog",
        "business",
        "businesses",
        "cart",
        "checkout",
        "contact",
        "dashboard",
        "demo-shop",
        "docs",
        "healthz",
        "help",
        "invitations",
        "invite",
        "kyora",
        "language",
        "login",
        "logout",
        "new",
        "o",
        "orders",
        "password",
        "privacy",
        "products",
        "settings",
        "shop",
        "signup",
        "static",
        "status",
        "store",
        "support",
        "terms",
        "uploads",
        "webhooks",
        "www",
    ]
)

# Where shop prices normally include VAT (the Gulf states, the EU, and most of the rest of
# Europe): a new business there starts with VAT-inclusive prices.
VAT_INCLUSIVE_COUNTRIES = frozenset(
    [
        "AE",
        "SA",
        "BH",
        "OM",
        "QA",
        "KW",
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
        "GB",
        "NO",
        "CH",
        "IS",
        "LI",
        "MC",
        "AD",
        "SM",
        "AL",
        "BA",
        "ME",
        "MK",
        "RS",
        "MD",
        "UA",
        "GE",
        "AM",
    ]
)
TAX_NUMBER_MAX = 40

# Business fields the settings form may change.
PROFILE_FIELDS = (
    "name",
    "country",
    "timezone",
    "phone",
    "whatsapp",
    "instagram",
    "tiktok",
    "facebook",
    "snapchat",
    "x_handle",
    "website",
)


def slugify(text: str) -> str:
    """A handle-shaped slug from a business name ("Layla's Cakes" -> "laylas-cakes")."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")
    return slug[:40].strip("-")


def handle_problem(handle: str, exclude_business_id: int | None = None) -> str | None:
    """Why `handle` cannot be used (translated), or None when it is free and valid."""
    if not handle:
        return _("Choose an address for your business.")
    if len(handle) < 3 or len(handle) > 40:
        return _("Use 3 to 40 characters.")
    if not HANDLE_RE.match(handle) or "--" in handle:
        return _(
            "Use lower-case letters, numbers and single dashes, starting with a letter or number."
        )
    if handle in RESERVED_HANDLES:
        return _("This address is reserved. Try another one.")
    query = sa.select(Business.id).where(Business.handle == handle)
    if exclude_business_id is not None:
        query = query.where(Business.id != exclude_business_id)
    if db.session.scalar(query) is not None:
        return _("This address is taken. Try another one.")
    return None


def suggest_handle(name: str) -> str:
    """A free handle close to the business name."""
    base = slugify(name)
    if len(base) < 3:
        base = (base + "-shop").strip("-") if base else "my-shop"
    base = base[:36].strip("-")
    candidate = base
    for number in range(2, 500):
        if handle_problem(candidate) is None:
            return candidate
        candidate = f"{base}-{number}"
    return f"{base}-{utcnow().strftime('%H%M%S')}"


def _clean_text(value: str | None, limit: int) -> str | None:
    value = (value or "").strip()
    return value[:limit] or None


def _clean_social(value: str | None) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    value = re.sub(r"^https?://(www\.)?[^/]+/", "", value).strip("/").lstrip("@")
    return value.split("?")[0][:60] or None


def _clean_phone(value: str | None, country: str, field: str) -> str | None:
    try:
        return normalize_phone(value, country)
    except ValueError as exc:
        raise ValidationFailed({field: _("Enter a valid phone number.")}) from exc


def create_business(
    workspace: Workspace, actor: User, name: str, handle: str, country: str
) -> Business:
    """Create a business in `workspace`; currency and time zone follow the country."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    handle = (handle or "").strip().lower()
    if not name:
        errors["name"] = _("Give your business a name.")
    elif len(name) > 120:
        errors["name"] = _("Use at most %(count)d characters.", count=120)
    problem = handle_problem(handle)
    if problem:
        errors["handle"] = problem
    if country not in i18n.country_codes():
        errors["country"] = _("Choose your country from the list.")
    if errors:
        raise ValidationFailed(errors)
    events.business_creating.send(workspace, actor=actor)
    business = Business(
        workspace_id=workspace.id,
        name=name,
        handle=handle,
        country=country,
        currency=i18n.country_currency(country),
        timezone=i18n.default_timezone(country),
        prices_include_vat=country in VAT_INCLUSIVE_COUNTRIES,
    )
    db.session.add(business)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as exc:  # someone took the handle a moment ago
        raise ValidationFailed({"handle": _("This address is taken. Try another one.")}) from exc
    events.business_created.send(business, actor=actor)
    return business


def currency_locked(business: Business) -> bool:
    """True once something (orders) depends on the currency; asked through a signal."""
    replies = events.currency_change_requested.send(business)
    return any(bool(locked) for _receiver, locked in replies)


def update_business(business: Business, data: dict) -> Business:
    """Save the business profile (validated); the currency only while it is not locked.

    `prices_include_vat` (a bool) and `tax_number` change only when `data` has them.
    """
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("Give your business a name.")
    handle = (data.get("handle") or business.handle).strip().lower()
    if handle != business.handle:
        problem = handle_problem(handle, exclude_business_id=business.id)
        if problem:
            errors["handle"] = problem
    country = data.get("country") or business.country
    if country not in i18n.country_codes():
        errors["country"] = _("Choose your country from the list.")
    timezone = data.get("timezone") or business.timezone
    if timezone not in i18n.all_timezones():
        errors["timezone"] = _("Choose a time zone from the list.")
    currency = (data.get("currency") or business.currency).upper()
    if currency != business.currency:
        if currency not in Locale("en").currencies:
            errors["currency"] = _("Choose a currency from the list.")
        elif currency_locked(business):
            errors["currency"] = _("The currency cannot change once the business has orders.")
    vat = data.get("vat_percent")
    vat_rate = business.vat_rate
    if vat is not None:
        try:
            vat_percent = Decimal(str(vat))
        except ArithmeticError:
            vat_percent = Decimal(-1)
        if not vat_percent.is_finite() or not (Decimal(0) <= vat_percent <= Decimal(100)):
            errors["vat_percent"] = _("Enter a VAT rate between 0 and 100.")
        else:
            vat_rate = percent_to_rate(vat_percent)
    tax_number = business.tax_number
    if "tax_number" in data:
        tax_number = re.sub(r"\s+", " ", (data.get("tax_number") or "").strip()) or None
        if tax_number and len(tax_number) > TAX_NUMBER_MAX:
            errors["tax_number"] = _("Use at most %(count)d characters.", count=TAX_NUMBER_MAX)
    phones = {}
    for field in ("phone", "whatsapp"):
        try:
            phones[field] = _clean_phone(data.get(field), country, field)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    business.name = name[:120]
    business.handle = handle
    business.country = country
    business.currency = currency
    business.timezone = timezone
    business.vat_rate = vat_rate
    if data.get("prices_include_vat") is not None:
        business.prices_include_vat = bool(data["prices_include_vat"])
    business.tax_number = tax_number
    business.phone = phones["phone"]
    business.whatsapp = phones["whatsapp"]
    for field in ("instagram", "tiktok", "snapchat", "x_handle"):
        setattr(business, field, _clean_social(data.get(field)))
    business.facebook = _clean_text(data.get("facebook"), 100)
    business.website = _clean_text(data.get("website"), 200)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as exc:
        raise ValidationFailed({"handle": _("This address is taken. Try another one.")}) from exc
    return business


def set_archived(business: Business, archived: bool) -> None:
    business.archived_at = utcnow() if archived else None


def list_businesses(workspace_id: int, include_archived: bool = False) -> list[Business]:
    query = sa.select(Business).where(Business.workspace_id == workspace_id)
    if not include_archived:
        query = query.where(Business.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(Business.name)))


def businesses_for_command(handle: str | None = None) -> list[Business]:
    """Every business (or the one at `handle`), in a stable order: what a
    `flask kyora ...` maintenance command walks."""
    query = sa.select(Business).order_by(Business.id)
    if handle:
        query = query.where(Business.handle == handle)
    return list(db.session.scalars(query))


def get_business_for_user(handle: str, user: User) -> Business | None:
    """The business with `handle` if it belongs to the user's workspace."""
    return db.session.scalar(
        sa.select(Business).where(
            Business.handle == handle, Business.workspace_id == user.workspace_id
        )
    )
