"""Money: exact rounding per currency, parsing what people type, formatting."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyora.core.money import (
    MAX_AMOUNT,
    format_money,
    minor_units,
    normalize_digits,
    parse_amount,
    percent_to_rate,
    quantize,
    rate_to_percent,
)


@pytest.mark.parametrize(
    ("currency", "digits"), [("AED", 2), ("SAR", 2), ("KWD", 3), ("BHD", 3), ("JPY", 0)]
)
def test_minor_units_follow_the_currency(currency, digits):
    assert minor_units(currency) == digits


def test_quantize_rounds_half_up_to_the_minor_unit():
    assert quantize(Decimal("2.345"), "AED") == Decimal("2.35")
    assert quantize(Decimal("2.344"), "AED") == Decimal("2.34")
    assert quantize(Decimal("1.0005"), "KWD") == Decimal("1.001")
    assert quantize(Decimal("-2.345"), "AED") == Decimal("-2.35")
    assert quantize(Decimal("0.5"), "JPY") == Decimal("1")


def test_parse_amount_accepts_what_sellers_type():
    assert parse_amount("1,250.50") == Decimal("1250.50")
    assert parse_amount(" ١٢٥٫٥ ") == Decimal("125.5")
    assert parse_amount("") is None
    assert parse_amount(None) is None
    with pytest.raises(ValueError):
        parse_amount("12abc")
    with pytest.raises(ValueError):
        parse_amount("NaN")
    with pytest.raises(ValueError):
        parse_amount("1.234", "AED")
    assert parse_amount("1.234", "KWD") == Decimal("1.234")


@pytest.mark.parametrize(
    "typed",
    ["1e309", "1E5", "Infinity", "-inf", "sNaN", "1" * 30, "9" * 13, "0x10", "1_000", "--1", "."],
)
def test_parse_amount_refuses_hostile_numbers(typed):
    # Each of these once reached the database (or Decimal arithmetic) and failed there.
    with pytest.raises(ValueError):
        parse_amount(typed, "AED")


def test_parse_amount_takes_the_largest_allowed_amount_and_no_more():
    assert parse_amount("999,999,999,999") == MAX_AMOUNT
    assert parse_amount("-999999999999") == -MAX_AMOUNT
    with pytest.raises(ValueError):
        parse_amount("1000000000000")


@given(st.text(max_size=60))
def test_parse_amount_returns_a_bounded_decimal_or_refuses(text):
    try:
        value = parse_amount(text, "KWD")
    except ValueError:
        return
    assert value is None or (value.is_finite() and abs(value) <= MAX_AMOUNT)


def test_normalize_digits_handles_arabic_and_persian_digits():
    assert normalize_digits("٠٥٠ ١٢٣ ۴۵۶۷") == "050 123 4567"


def test_rates_and_percents_round_trip():
    assert percent_to_rate(Decimal("5")) == Decimal("0.05")
    assert percent_to_rate(Decimal("2.9")) == Decimal("0.029")
    assert rate_to_percent(Decimal("0.050000")) == Decimal("5")
    assert rate_to_percent(Decimal("0.029")) == Decimal("2.9")


def test_format_money_uses_locale_and_currency_digits():
    assert format_money(Decimal("4230"), "AED", "en") == "AED\xa04,230.00"
    assert format_money(Decimal("1.5"), "KWD", "en") == "KWD\xa01.500"
    arabic = format_money(Decimal("4230"), "AED", "ar")
    assert "٤٬٢٣٠٫٠٠" in arabic or "4,230.00" in arabic


def test_a_latin_currency_symbol_is_isolated_in_arabic():
    # Without isolation, right-to-left text shows "US$" as "$US".
    assert "\u2066US$\u2069" in format_money(Decimal("12.5"), "USD", "ar")
    assert "\u2066" not in format_money(Decimal("12.5"), "USD", "en")
    assert "\u2066" not in format_money(Decimal("12.5"), "AED", "ar")  # Arabic letters: fine
