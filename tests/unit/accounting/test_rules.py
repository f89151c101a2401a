"""Pure rules of the books: report periods, recurring dates, sale lines, safe to take out,
and the business-health identity."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as s

from kyora.accounting import chart as c
from kyora.accounting.figures import health_from, safe_amount
from kyora.accounting.periods import parse_day, parse_period, preset
from kyora.accounting.receivers import money_account, sale_lines
from kyora.accounting.recurring import occurrence_date
from kyora.core.errors import ValidationFailed
from kyora.orders.events import OrderAmounts

TODAY = date(2025, 3, 19)  # a Wednesday


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("today", date(2025, 3, 19), date(2025, 3, 19)),
        ("week", date(2025, 3, 17), date(2025, 3, 19)),
        ("month", date(2025, 3, 1), date(2025, 3, 19)),
        ("last_month", date(2025, 2, 1), date(2025, 2, 28)),
        ("year", date(2025, 1, 1), date(2025, 3, 19)),
    ],
)
def test_presets(key, start, end):
    period = preset(key, TODAY)
    assert (period.start, period.end) == (start, end)
    assert parse_period({"period": key}, TODAY) == period


def test_last_month_in_january_is_december():
    period = preset("last_month", date(2025, 1, 10))
    assert (period.start, period.end) == (date(2024, 12, 1), date(2024, 12, 31))


def test_a_custom_range_round_trips_through_the_url():
    period = parse_period({"period": "custom", "from": "2025-01-05", "to": "2025-02-10"}, TODAY)
    assert parse_period(period.args(), TODAY) == period


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"period": "fortnight"}, "period"),
        ({"period": "custom", "from": "2025-03-10", "to": "2025-03-01"}, "to"),
        ({"period": "custom", "from": "yesterday", "to": "2025-03-01"}, "from"),
        ({"period": "custom", "from": "2025-03-01", "to": "2026-01-01"}, "to"),
        ({"period": "custom", "from": "1999-12-31", "to": "2025-03-01"}, "from"),
    ],
)
def test_bad_periods_name_the_field(args, field):
    with pytest.raises(ValidationFailed) as caught:
        parse_period(args, TODAY)
    assert field in caught.value.errors


def test_an_as_of_date_cannot_be_in_the_future():
    assert parse_day({}, TODAY) == TODAY
    with pytest.raises(ValidationFailed):
        parse_day({"on": "2025-03-20"}, TODAY)


def test_monthly_dates_keep_the_day_or_the_month_end():
    start = date(2025, 1, 31)
    dates = [occurrence_date(start, "monthly", k) for k in range(4)]
    assert dates == [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30)]
    assert occurrence_date(date(2024, 2, 29), "yearly", 1) == date(2025, 2, 28)
    assert occurrence_date(start, "weekly", 2) == date(2025, 2, 14)
    assert occurrence_date(start, "daily", 1) == date(2025, 2, 1)


money = s.decimals(min_value=0, max_value=10_000, places=2)


@given(subtotal=money, discount=money, vat=money, shipping=money, cost=money)
def test_a_sale_and_its_reversal_always_balance(subtotal, discount, vat, shipping, cost):
    discount = min(discount, subtotal)
    total = subtotal - discount + vat + shipping
    amounts = OrderAmounts(subtotal, discount, subtotal - discount, vat, shipping, total, cost)
    assert sum(amount for _code, amount in sale_lines(amounts)) == 0
    both = sale_lines(amounts) + sale_lines(amounts, -1)
    assert sum(amount for _code, amount in both) == 0


def test_where_payments_are_kept():
    assert money_account("cod") == c.CASH
    assert money_account("other") == c.CASH
    assert money_account("bank_transfer") == c.BANK
    assert money_account("card") == c.BANK


def test_safe_to_take_out_never_goes_below_zero():
    assert safe_amount(D("1000"), D("50"), D("300")) == D("650")
    assert safe_amount(D("100"), D("50"), D("300")) == D("0")
    # A VAT refund due is not money to take out.
    assert safe_amount(D("1000"), D("-40"), D("0")) == D("1000")


@given(s.lists(s.tuples(s.sampled_from([code for code, *_ in c.CHART]), money), max_size=12))
def test_own_equals_owe_plus_stake_for_any_balanced_books(pairs):
    balances = {code: D(0) for code, *_ in c.CHART}
    for code, amount in pairs:
        # Each amount posted against cash, so the books always balance.
        balances[code] += amount
        balances[c.CASH] -= amount
    health = health_from(balances)
    assert health.total_own == health.total_owe + health.stake
