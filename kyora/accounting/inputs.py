"""Checking what the owner typed on the money forms: amounts and dates.

Each check returns the clean value or raises `ValidationFailed` on the field, in
the owner's language, before anything is written.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.accounting.ledger import business_day
from kyora.accounting.models import DailyBalance
from kyora.core.errors import ValidationFailed
from kyora.core.money import minor_units, parse_amount
from kyora.extensions import db

MAX_AMOUNT = Decimal("1000000000")
NOTE_MAX = 300


def check_amount(business, value, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """A positive amount (or zero when allowed) in the business currency."""
    if isinstance(value, float):
        value = str(value)
    try:
        amount = value if isinstance(value, Decimal) else parse_amount(value, business.currency)
    except ValueError as error:
        if str(error) == "too many decimals":
            raise ValidationFailed(
                {field: _("Use at most %(count)d decimals.", count=minor_units(business.currency))}
            ) from None
        raise ValidationFailed({field: _("Enter an amount, like 250.")}) from None
    except InvalidOperation:
        raise ValidationFailed({field: _("Enter an amount, like 250.")}) from None
    if amount is None:
        if allow_zero:
            return Decimal("0")
        raise ValidationFailed({field: _("Enter an amount above 0.")})
    if not amount.is_finite():
        raise ValidationFailed({field: _("Enter an amount, like 250.")})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationFailed({field: _("Enter an amount above 0.")})
    if amount > MAX_AMOUNT:
        raise ValidationFailed({field: _("That amount is too large. Check the number.")})
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > minor_units(business.currency):
        raise ValidationFailed(
            {field: _("Use at most %(count)d decimals.", count=minor_units(business.currency))}
        )
    return amount


def first_day(business) -> date:
    """The earliest date the books accept: the business's start in Kyora, or its
    first booked day if history reaches further back."""
    created = business_day(business, business.created_at) if business.created_at else None
    earliest = db.session.scalar(
        sa.select(sa.func.min(DailyBalance.day)).where(DailyBalance.business_id == business.id)
    )
    candidates = [day for day in (created, earliest) if day is not None]
    return min(candidates) if candidates else business_day(business)


def check_day(
    business, value, field: str = "date", *, future_days: int = 0, earliest: date | None = None
) -> date:
    """A date from the business's first day up to today (+ `future_days`)."""
    if value in (None, ""):
        raise ValidationFailed({field: _("Enter a date.")})
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationFailed({field: _("Enter a date, like 2025-03-31.")}) from None
    today = business_day(business)
    if value > today + timedelta(days=future_days):
        raise ValidationFailed(
            {
                field: _("This date is in the future. Use today or an earlier day.")
                if future_days == 0
                else _("Choose a date within the next year.")
            }
        )
    start = earliest or first_day(business)
    if value < start:
        raise ValidationFailed(
            {field: _("Your books start on %(day)s. Use that day or a later one.", day=start)}
        )
    return value


def one_line(value) -> str:
    """Typed text on one line: control characters (which some databases refuse) dropped,
    runs of spaces made one."""
    text = "".join(ch for ch in str(value or "") if ch.isprintable() or ch.isspace())
    return " ".join(text.split())


def check_note(value, field: str = "note") -> str | None:
    """A short optional note, spaces tidied."""
    text = one_line(value)
    if len(text) > NOTE_MAX:
        raise ValidationFailed({field: _("Use at most %(count)d characters.", count=NOTE_MAX)})
    return text or None
