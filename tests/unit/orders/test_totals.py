"""Order totals: exact decimals, half-up to the currency's minor unit, as PRODUCT.md says."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as s

from kyora.orders.totals import (
    LineInput,
    ShippingInput,
    compute_totals,
    payment_fee,
    payment_status,
    refund_fee_reversal,
)


def test_lines_subtotal_vat_and_total():
    totals = compute_totals(
        [LineInput(D("45.00"), 2), LineInput(D("30.50"), 1)], currency="AED", vat_rate=D("0.05")
    )
    assert totals.lines == (D("90.00"), D("30.50"))
    assert totals.subtotal == D("120.50")
    assert totals.discount == D("0")
    assert totals.vat == D("6.03")  # 6.025 rounds half-up
    assert totals.shipping == D("0")
    assert totals.total == D("126.53")


def test_percent_discount_rounds_half_up_and_vat_is_on_the_discounted_amount():
    totals = compute_totals(
        [LineInput(D("33.30"), 1)],
        currency="AED",
        vat_rate=D("0.05"),
        discount_kind="percent",
        discount_value=D("15"),
    )
    assert totals.discount == D("5.00")  # 4.995 -> 5.00
    assert totals.net_sales == D("28.30")
    assert totals.vat == D("1.42")  # 1.415 -> 1.42
    assert totals.total == D("29.72")


def test_amount_discount_is_capped_at_the_subtotal():
    totals = compute_totals(
        [LineInput(D("10"), 1)], currency="AED", discount_kind="amount", discount_value=D("25")
    )
    assert totals.discount == D("10.00")
    assert totals.discount_capped
    assert totals.total == D("0.00")


def test_zone_shipping_becomes_free_at_the_threshold_after_discount():
    zone = ShippingInput(cost=D("20"), free_threshold=D("200"))
    lines = [LineInput(D("100"), 2)]
    assert compute_totals(lines, currency="AED", shipping=zone).shipping == D("0.00")
    assert compute_totals(lines, currency="AED", shipping=zone).free_shipping
    discounted = compute_totals(
        lines, currency="AED", shipping=zone, discount_kind="amount", discount_value=D("0.01")
    )
    assert discounted.shipping == D("20.00")
    assert discounted.total == D("219.99")


def test_manual_fee_ignores_thresholds():
    manual = ShippingInput(cost=D("12.5"), manual=True)
    totals = compute_totals([LineInput(D("1000"), 1)], currency="AED", shipping=manual)
    assert totals.shipping == D("12.50")
    assert totals.total == D("1012.50")


def test_three_decimal_currency():
    totals = compute_totals(
        [LineInput(D("1.235"), 3)],
        currency="KWD",
        vat_rate=D("0.05"),
        shipping=ShippingInput(cost=D("1.5")),
    )
    assert totals.subtotal == D("3.705")
    assert totals.vat == D("0.185")  # 0.18525
    assert totals.total == D("5.390")


def test_every_change_recomputes_everything():
    base = dict(currency="AED", vat_rate=D("0.05"), shipping=ShippingInput(cost=D("15")))
    first = compute_totals([LineInput(D("50"), 1)], **base)
    second = compute_totals(
        [LineInput(D("50"), 1)], discount_kind="amount", discount_value=D("10"), **base
    )
    assert first.total == D("67.50")
    assert second.total == D("57.00")


@given(
    prices=s.lists(s.decimals(min_value=0, max_value=10_000, places=2), min_size=1, max_size=6),
    qty=s.integers(min_value=1, max_value=50),
    pct=s.decimals(min_value=0, max_value=100, places=2),
)
def test_total_is_always_the_sum_of_its_rounded_parts(prices, qty, pct):
    totals = compute_totals(
        [LineInput(price, qty) for price in prices],
        currency="AED",
        vat_rate=D("0.05"),
        discount_kind="percent",
        discount_value=pct,
        shipping=ShippingInput(cost=D("9.99"), free_threshold=D("500")),
    )
    assert totals.total == totals.subtotal - totals.discount + totals.vat + totals.shipping
    assert D(0) <= totals.discount <= totals.subtotal
    for amount in (totals.subtotal, totals.discount, totals.vat, totals.shipping, totals.total):
        assert amount == amount.quantize(D("0.01"))


def test_payment_fee_is_percent_plus_fixed_rounded():
    assert payment_fee(D("100"), D("0.029"), D("1"), "AED") == D("3.90")
    assert payment_fee(D("33.33"), D("0.025"), D("0"), "AED") == D("0.83")  # 0.83325
    assert payment_fee(D("0"), D("0.029"), D("1"), "AED") == D("0")


def test_refund_reverses_fees_in_proportion():
    assert refund_fee_reversal(D("3.90"), D("100"), D("100"), "AED") == D("3.90")
    assert refund_fee_reversal(D("3.90"), D("100"), D("50"), "AED") == D("1.95")
    assert refund_fee_reversal(D("0"), D("100"), D("50"), "AED") == D("0")


def test_payment_status_is_derived():
    assert payment_status(D("100"), D("0"), D("0")) == "unpaid"
    assert payment_status(D("100"), D("40"), D("0")) == "partially_paid"
    assert payment_status(D("100"), D("100"), D("0")) == "paid"
    assert payment_status(D("100"), D("120"), D("0")) == "paid"
    assert payment_status(D("100"), D("0"), D("100")) == "refunded"
    assert payment_status(D("100"), D("60"), D("40")) == "partially_paid"


def test_prices_that_include_vat_keep_the_total_and_show_the_vat_inside():
    # A DM price of 120 at 5 %: the customer pays 120, of which 5.71 is VAT.
    totals = compute_totals(
        [LineInput(D("120"), 1)], currency="AED", vat_rate=D("0.05"), vat_included=True
    )
    assert totals.subtotal == D("120.00")
    assert totals.vat == D("5.71")  # 120 × 0.05 / 1.05 = 5.714…
    assert totals.total == D("120.00")
    assert totals.net_sales == D("114.29")


def test_included_vat_is_worked_out_after_the_discount_and_delivery_is_added():
    totals = compute_totals(
        [LineInput(D("45"), 2), LineInput(D("30"), 1)],
        currency="AED",
        vat_rate=D("0.05"),
        vat_included=True,
        discount_kind="amount",
        discount_value=D("15"),
        shipping=ShippingInput(cost=D("20")),
    )
    # (120 − 15) × 0.05 / 1.05 = 5.00; total = 120 − 15 + 20.
    assert (totals.vat, totals.shipping, totals.total) == (D("5.00"), D("20.00"), D("125.00"))
    assert totals.net_sales == D("100.00")


@given(
    s.lists(
        s.tuples(
            s.decimals(min_value=0, max_value=5000, places=2),
            s.integers(min_value=1, max_value=20),
        ),
        min_size=1,
        max_size=5,
    ),
    s.sampled_from([D("0"), D("0.05"), D("0.15"), D("0.2")]),
)
def test_with_vat_inside_the_parts_always_add_up(lines, rate):
    totals = compute_totals(
        [LineInput(price, qty) for price, qty in lines],
        currency="AED",
        vat_rate=rate,
        vat_included=True,
    )
    assert totals.total == totals.subtotal - totals.discount + totals.shipping
    assert totals.net_sales + totals.vat == totals.subtotal - totals.discount
    assert totals.vat <= totals.subtotal
