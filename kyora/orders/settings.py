"""What a business sets up for its orders: shipping zones, payment methods, default channel.

Also the per-business counter behind sequential order numbers (from 1001), and the
defaults a new business starts with (`setup_new_business`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from kyora.core import i18n
from kyora.core.errors import ValidationFailed
from kyora.core.money import ZERO, minor_units, quantize
from kyora.customers.identity import search_text
from kyora.extensions import db
from kyora.orders.models import (
    CHANNEL_KEYS,
    DEFAULT_METHODS,
    METHOD_KEYS,
    METHOD_LABELS,
    OrderSettings,
    PaymentMethod,
    ShippingZone,
)

FIRST_NUMBER = 1001
ZONES_MAX = 50


# --- Order settings and numbers ------------------------------------------------------


def get_settings(business) -> OrderSettings:
    """The business's order settings (an unsaved default when none were stored yet)."""
    found = db.session.get(OrderSettings, business.id)
    return found or OrderSettings(
        business_id=business.id, next_number=FIRST_NUMBER, default_channel="instagram"
    )


def ensure_settings(business) -> None:
    """Create the settings row if it is missing; a concurrent creator is not an error."""
    table = OrderSettings.__table__
    values = {
        "business_id": business.id,
        "next_number": FIRST_NUMBER,
        "default_channel": "instagram",
    }
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt = postgresql.insert(table).values(values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).values(values).on_conflict_do_nothing()
    else:  # pragma: no cover - Kyora runs on SQLite and PostgreSQL
        stmt = sa.insert(table).values(values)
    db.session.execute(stmt)


def next_order_number(business) -> int:
    """Take the business's next order number.

    One `UPDATE ... RETURNING` on the counter row: PostgreSQL holds that row's lock
    until the transaction ends, so concurrent orders queue for their numbers instead
    of sharing one; SQLite already serialises writers.
    """
    table = OrderSettings.__table__
    stmt = (
        sa.update(table)
        .where(table.c.business_id == business.id)
        .values(next_number=table.c.next_number + 1)
        .returning(table.c.next_number)
    )
    number = db.session.execute(stmt).scalar()
    if number is None:
        ensure_settings(business)
        number = db.session.execute(stmt).scalar()
    return int(number) - 1


def set_default_channel(business, channel: str) -> OrderSettings:
    """The channel new orders start with until a seller has used one."""
    if channel not in CHANNEL_KEYS:
        raise ValidationFailed({"default_channel": _("Choose a channel from the list.")})
    ensure_settings(business)
    settings = db.session.get(OrderSettings, business.id, populate_existing=True)
    settings.default_channel = channel
    db.session.flush()
    return settings


# --- Payment methods -----------------------------------------------------------------


@dataclass(frozen=True)
class MethodConfig:
    kind: str
    enabled: bool
    fee_rate: Decimal = ZERO
    fee_fixed: Decimal = ZERO

    @property
    def label(self) -> str:
        return str(METHOD_LABELS.get(self.kind, self.kind))

    @property
    def has_fee(self) -> bool:
        return self.fee_rate > 0 or self.fee_fixed > 0


def payment_methods(business) -> list[MethodConfig]:
    """Every method kind with its settings; a business that never saved any offers COD
    and bank transfer, fee-free."""
    rows = {
        row.kind: row
        for row in db.session.scalars(
            sa.select(PaymentMethod).where(PaymentMethod.business_id == business.id)
        )
    }
    configs = []
    for kind in METHOD_KEYS:
        row = rows.get(kind)
        if row is None:
            configs.append(MethodConfig(kind, enabled=not rows and kind in DEFAULT_METHODS))
        else:
            configs.append(MethodConfig(kind, row.enabled, row.fee_rate, row.fee_fixed))
    return configs


def enabled_methods(business) -> list[MethodConfig]:
    """The methods a seller may record a payment with."""
    return [method for method in payment_methods(business) if method.enabled]


@dataclass
class MethodDraft:
    """One payment method as the settings form describes it (a fee in percent, 0-100)."""

    enabled: bool = False
    fee_percent: Decimal | None = None
    fee_fixed: Decimal | None = None


def update_payment_methods(business, methods: dict[str, MethodDraft]) -> list[MethodConfig]:
    """Save each method kind's settings; a kind missing from `methods` is switched off."""
    errors: dict[str, str] = {}
    cleaned: dict[str, tuple[bool, Decimal, Decimal]] = {}
    places = minor_units(business.currency)
    for kind in METHOD_KEYS:
        values = methods.get(kind) or MethodDraft()
        percent = values.fee_percent or ZERO
        fixed = values.fee_fixed or ZERO
        if not (ZERO <= Decimal(percent) <= Decimal(100)):
            errors[f"{kind}-fee_percent"] = _("Enter a fee between 0 and 100 %.")
        if Decimal(fixed) < 0:
            errors[f"{kind}-fee_fixed"] = _("Enter 0 or more.")
        elif Decimal(fixed) != quantize(fixed, business.currency):
            errors[f"{kind}-fee_fixed"] = _("Use at most %(count)d decimals.", count=places)
        cleaned[kind] = (bool(values.enabled), Decimal(percent) / 100, Decimal(fixed))
    if not errors and not any(enabled for enabled, _rate, _fixed in cleaned.values()):
        errors[f"{METHOD_KEYS[0]}-enabled"] = _("Keep at least one payment method on.")
    if errors:
        raise ValidationFailed(errors)
    rows = {
        row.kind: row
        for row in db.session.scalars(
            sa.select(PaymentMethod).where(PaymentMethod.business_id == business.id)
        )
    }
    for kind, (enabled, rate, fixed) in cleaned.items():
        row = rows.get(kind)
        if row is None:
            row = PaymentMethod(business_id=business.id, kind=kind)
            db.session.add(row)
        row.enabled, row.fee_rate, row.fee_fixed = enabled, rate, fixed
    db.session.flush()
    return payment_methods(business)


# --- Shipping zones ------------------------------------------------------------------


def list_zones(business) -> list[ShippingZone]:
    """The business's shipping zones, in their order."""
    return list(
        db.session.scalars(
            sa.select(ShippingZone)
            .where(ShippingZone.business_id == business.id)
            .order_by(ShippingZone.position, ShippingZone.id)
        )
    )


def _split(text: str | None, separators: str = ",،;\n") -> list[str]:
    items, current = [], ""
    for char in text or "":
        if char in separators:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [" ".join(item.split()) for item in items if item.strip()]


@dataclass
class ZoneDraft:
    """A shipping zone as the settings form describes it; `cities` is the typed text
    (comma, Arabic comma, semicolon or line separated)."""

    name: str = ""
    countries: list[str] = field(default_factory=list)
    cities: str = ""
    cost: Decimal | None = None
    free_threshold: Decimal | None = None


def _clean_zone(business, draft: ZoneDraft) -> dict:
    errors: dict[str, str] = {}
    name = " ".join((draft.name or "").split())
    if not name:
        errors["name"] = _("Give the zone a name, like “Dubai” or “Rest of UAE”.")
    elif len(name) > 80:
        errors["name"] = _("Use at most %(count)d characters.", count=80)
    countries = [code.strip().upper() for code in draft.countries or [] if code.strip()]
    unknown = [code for code in countries if code not in i18n.country_codes()]
    if unknown:
        errors["countries"] = _("Choose countries from the list.")
    cities = _split(draft.cities)
    if len(", ".join(cities)) > 2000:
        errors["cities"] = _("Use at most %(count)d characters.", count=2000)
    cost = draft.cost
    places = minor_units(business.currency)
    if cost is None or Decimal(cost) < 0:
        errors["cost"] = _("Enter the delivery cost (0 for free delivery).")
    elif Decimal(cost) != quantize(cost, business.currency):
        errors["cost"] = _("Use at most %(count)d decimals.", count=places)
    threshold = draft.free_threshold
    if threshold is not None and Decimal(threshold) < 0:
        errors["free_threshold"] = _("Enter 0 or more, or leave it empty.")
    if errors:
        raise ValidationFailed(errors)
    return {
        "name": name,
        "countries": ",".join(dict.fromkeys(countries)),
        "cities": ", ".join(dict.fromkeys(cities)),
        "cost": Decimal(cost),
        "free_threshold": Decimal(threshold) if threshold is not None else None,
    }


def save_zone(business, zone: ShippingZone | None, draft: ZoneDraft) -> ShippingZone:
    """Create (zone=None) or update a shipping zone from the settings form's draft."""
    values = _clean_zone(business, draft)
    if zone is None:
        count = db.session.scalar(
            sa.select(sa.func.count(ShippingZone.id)).where(ShippingZone.business_id == business.id)
        )
        if count >= ZONES_MAX:
            raise ValidationFailed(
                {"name": _("A business can have up to %(count)d zones.", count=ZONES_MAX)}
            )
        zone = ShippingZone(business_id=business.id, position=count)
        db.session.add(zone)
    for key, value in values.items():
        setattr(zone, key, value)
    db.session.flush()
    return zone


def delete_zone(business, zone: ShippingZone) -> None:
    """Remove a zone; orders that used it keep the delivery fee they were charged."""
    if zone.business_id != business.id:
        raise ValueError("zone of another business")
    db.session.delete(zone)
    db.session.flush()


def match_zone(zones: list[ShippingZone], city: str | None, country: str | None):
    """The zone for a delivery: one naming the city (or a word of the address), else the
    first zone covering the country, else None."""
    text = search_text(city)
    if text:
        padded = f" {text} "
        for zone in zones:
            for name in zone.city_list:
                folded = search_text(name)
                if folded and f" {folded} " in padded:
                    return zone
    for zone in zones:
        if country and country in zone.country_list and not zone.city_list:
            return zone
    for zone in zones:
        if country and country in zone.country_list:
            return zone
    return None


def delivery_setup_prompt(*, business):
    """The business home's "set your delivery fees" step, while the business has no zone."""
    has_zone = db.session.scalar(
        sa.select(ShippingZone.id).where(ShippingZone.business_id == business.id).limit(1)
    )
    return None if has_zone is not None else {"business": business}


# --- A new business ------------------------------------------------------------------


def setup_new_business(business) -> None:
    """Order settings, with cash on delivery and bank transfer on. No delivery zone: the
    seller sets their own fees (the business home asks them to)."""
    ensure_settings(business)
    existing = set(
        db.session.scalars(
            sa.select(PaymentMethod.kind).where(PaymentMethod.business_id == business.id)
        )
    )
    for kind in METHOD_KEYS:
        if kind not in existing:
            db.session.add(
                PaymentMethod(business_id=business.id, kind=kind, enabled=kind in DEFAULT_METHODS)
            )
    db.session.flush()
