"""Exact money arithmetic: quantizing per currency, parsing input, formatting output.

All rounding in Kyora happens here: half-up to the currency's minor unit.
"""

from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision

ZERO = Decimal("0")
# The largest amount Kyora accepts anywhere (a trillion in any currency): far above any
# real sale, far below what the Money column holds on either engine.
MAX_AMOUNT = Decimal("999999999999")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_GLUED_CODE = re.compile(r"([A-Z]{3})(?=[-\d])")
# A currency symbol written in Latin letters ("US$", "CHF") inside right-to-left text.
_LATIN_SYMBOL = re.compile(r"[A-Za-z]+[$£€]?|[$£€][A-Za-z]+")
_RTL_LANGUAGES = ("ar", "fa", "he", "ur")
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")


def minor_units(currency: str) -> int:
    """Number of decimals of `currency` (2 for AED, 3 for KWD, 0 for JPY)."""
    return get_currency_precision(currency.upper())


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def quantize(amount: Decimal | int | str, currency: str) -> Decimal:
    """Round `amount` half-up to the minor unit of `currency`."""
    return Decimal(amount).quantize(quantum(currency), rounding=ROUND_HALF_UP)


def normalize_digits(text: str) -> str:
    """Turn Arabic-Indic and Persian digits (and Arabic separators) into ASCII."""
    return text.translate(_ARABIC_DIGITS)


def parse_amount(text: str | None, currency: str | None = None) -> Decimal | None:
    """Parse a user-typed amount ("1,250.5", "١٢٥٫٥") into a Decimal, or None if blank.

    Raises `ValueError` for anything that is not a plain number (NaN, Infinity and
    exponents like "1e309" included), for amounts beyond `MAX_AMOUNT`, and for more
    decimals than the currency allows.
    """
    if text is None:
        return None
    cleaned = normalize_digits(str(text)).strip().replace(" ", "").replace(",", "")
    if not cleaned:
        return None
    if len(cleaned) > 40 or not _PLAIN_NUMBER.match(cleaned):
        raise ValueError("not a number")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules it out
        raise ValueError("not a number") from exc
    if abs(value) > MAX_AMOUNT:
        raise ValueError("too large")
    if currency is not None:
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > minor_units(currency):
            raise ValueError("too many decimals")
    return value


def percent_to_rate(percent: Decimal) -> Decimal:
    """5 (percent, as typed) -> 0.05 (rate, as stored)."""
    return (Decimal(percent) / 100).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def rate_to_percent(rate: Decimal | None) -> Decimal:
    """0.05 -> 5, without trailing zeros."""
    value = (Decimal(rate or 0) * 100).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def format_money(amount: Decimal | int | None, currency: str, locale: str = "en") -> str:
    """Format `amount` for display, e.g. 'AED 1,250.00' or '‏1٬250٫00 د.إ.‏'."""
    value = quantize(amount or 0, currency)
    # -0.00 and 0.00 are one key of the cache below: both show as 0.00.
    return _formatted(value if value else abs(value), currency, locale)


# A list shows the same few prices again and again; Babel builds each one from the
# locale's pattern every time.
@functools.lru_cache(maxsize=4096)
def _formatted(amount: Decimal, currency: str, locale: str) -> str:
    text = format_currency(
        amount, currency.upper(), locale=locale, currency_digits=True, format_type="standard"
    )
    # Some locales glue a currency code to the number ("AED4,230.00"); keep them apart.
    text = _GLUED_CODE.sub("\\1\xa0", text)
    if locale.split("_")[0].split("-")[0] in _RTL_LANGUAGES:
        # Isolate a Latin symbol so right-to-left text shows "US$", not "$US".
        text = _LATIN_SYMBOL.sub(lambda match: f"\u2066{match.group(0)}\u2069", text)
    return text
