"""Numbers typed by a seller, in the product form or a CSV cell, read into values.

Numbers arrive as text (Arabic-Indic digits welcome) so every message is ours,
translated, and can sit beside the field or cell it is about.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from kyora.core.money import minor_units, normalize_digits, parse_amount


def parse_money(
    text, currency: str, field: str, errors: dict, decimals: int | None = None
) -> Decimal | None:
    """An amount typed by the seller, or None when blank; problems go to `errors`.

    Prices take the currency's decimals; costs may take more (`decimals`), since
    an average cost per unit is often a fraction of the minor unit.
    """
    places = minor_units(currency) if decimals is None else decimals
    try:
        value = parse_amount(text)
    except ValueError:
        errors[field] = _("Enter an amount, like 12.50.")
        return None
    if value is None:
        return None
    exponent = value.normalize().as_tuple().exponent  # "12.50" is fine for 1 decimal
    if isinstance(exponent, int) and -exponent > places:
        errors[field] = _("Use at most %(count)d decimals.", count=places)
        return None
    if value < 0:
        errors[field] = _("Enter 0 or more. Amounts can't be negative.")
        return None
    return value


def parse_count(text, field: str, errors: dict) -> int | None:
    """A whole number of units, or None when blank; problems go to `errors`."""
    cleaned = normalize_digits(str(text or "")).strip().replace(",", "")
    if not cleaned:
        return None
    try:
        value = int(cleaned)
    except ValueError:
        errors[field] = _("Enter a whole number.")
        return None
    if value < 0:
        errors[field] = _("Enter 0 or more. Stock can't be negative.")
        return None
    return value
