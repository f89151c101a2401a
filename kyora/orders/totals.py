"""Order totals, exact to the currency's minor unit (pure: Decimal in, Decimal out).

    line      = unit price × quantity
    subtotal  = Σ lines
    discount  = amount, or subtotal × percent   (never above the subtotal)
    shipping  = zone cost, 0 once (subtotal − discount) ≥ the zone's free-shipping
                threshold, or the manual fee
VAT added on top of the prices:
    VAT       = (subtotal − discount) × VAT rate
    total     = subtotal − discount + VAT + shipping
Prices that include VAT:
    VAT       = (subtotal − discount) × VAT rate / (1 + VAT rate)   (the part inside)
    total     = subtotal − discount + shipping
Either way, net sales = subtotal − discount − the VAT inside it (if any).

Every amount is rounded half-up to the currency's minor unit with
`kyora.core.money.quantize`; the total is the sum of already-rounded parts, so what
the page shows always adds up.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kyora.core.money import ZERO, quantize

DISCOUNT_AMOUNT = "amount"
DISCOUNT_PERCENT = "percent"


@dataclass(frozen=True)
class LineInput:
    unit_price: Decimal
    quantity: int


@dataclass(frozen=True)
class ShippingInput:
    """Either a zone (cost and optional free-shipping threshold) or a manual fee."""

    cost: Decimal = ZERO
    free_threshold: Decimal | None = None
    manual: bool = False


@dataclass(frozen=True)
class Totals:
    lines: tuple[Decimal, ...]
    subtotal: Decimal
    discount: Decimal
    vat: Decimal
    shipping: Decimal
    total: Decimal
    # The discount asked for, before it was capped at the subtotal.
    discount_requested: Decimal = ZERO
    free_shipping: bool = False
    # True when the VAT is the part already inside the prices.
    vat_included: bool = False

    @property
    def net_sales(self) -> Decimal:
        """What was sold after the discount, without VAT and shipping."""
        if self.vat_included:
            return self.subtotal - self.discount - self.vat
        return self.subtotal - self.discount

    @property
    def discount_capped(self) -> bool:
        return self.discount_requested > self.discount


def line_total(unit_price: Decimal, quantity: int, currency: str) -> Decimal:
    return quantize(Decimal(unit_price) * int(quantity), currency)


def discount_amount(
    subtotal: Decimal, kind: str | None, value: Decimal | None, currency: str
) -> Decimal:
    """The discount asked for (not yet capped): an amount, or a percentage of the subtotal."""
    if value is None or value <= 0:
        return ZERO
    if kind == DISCOUNT_PERCENT:
        return quantize(subtotal * Decimal(value) / 100, currency)
    return quantize(value, currency)


def shipping_amount(shipping: ShippingInput | None, net_sales: Decimal, currency: str) -> Decimal:
    if shipping is None:
        return ZERO
    if (
        not shipping.manual
        and shipping.free_threshold is not None
        and net_sales >= shipping.free_threshold
    ):
        return ZERO
    return quantize(max(shipping.cost, ZERO), currency)


def compute_totals(
    lines: list[LineInput] | tuple[LineInput, ...],
    *,
    currency: str,
    vat_rate: Decimal = ZERO,
    discount_kind: str | None = None,
    discount_value: Decimal | None = None,
    shipping: ShippingInput | None = None,
    vat_included: bool = False,
) -> Totals:
    """All totals of an order from its lines, discount, VAT rate and shipping.

    With `vat_included` the prices already contain the VAT: it is worked out from
    inside them and not added to the total.
    """
    amounts = tuple(line_total(line.unit_price, line.quantity, currency) for line in lines)
    subtotal = sum(amounts, ZERO)
    requested = discount_amount(subtotal, discount_kind, discount_value, currency)
    discount = min(requested, subtotal)
    net = subtotal - discount
    rate = Decimal(vat_rate or 0)
    if vat_included:
        vat = quantize(net * rate / (1 + rate), currency)
    else:
        vat = quantize(net * rate, currency)
    ship = shipping_amount(shipping, net, currency)
    free = bool(shipping is not None and not shipping.manual and shipping.cost > 0 and ship == 0)
    total = net + ship if vat_included else net + vat + ship
    return Totals(
        lines=amounts,
        subtotal=quantize(subtotal, currency),
        discount=discount,
        vat=vat,
        shipping=ship,
        total=quantize(total, currency),
        discount_requested=requested,
        free_shipping=free,
        vat_included=vat_included,
    )


def payment_fee(amount: Decimal, fee_rate: Decimal, fee_fixed: Decimal, currency: str) -> Decimal:
    """The fee a payment method charges on `amount`: fee % × amount + fixed fee."""
    if amount <= 0:
        return ZERO
    return quantize(Decimal(amount) * Decimal(fee_rate or 0) + Decimal(fee_fixed or 0), currency)


def refund_fee_reversal(
    fees_paid: Decimal, gross_paid: Decimal, refund: Decimal, currency: str
) -> Decimal:
    """The part of the fees a refund gives back: in proportion to what is refunded.

    Refunding everything that was paid reverses every fee exactly.
    """
    if gross_paid <= 0 or fees_paid <= 0 or refund <= 0:
        return ZERO
    if refund >= gross_paid:
        return fees_paid
    return quantize(fees_paid * refund / gross_paid, currency)


PAYMENT_UNPAID = "unpaid"
PAYMENT_PARTIAL = "partially_paid"
PAYMENT_PAID = "paid"
PAYMENT_REFUNDED = "refunded"
PAYMENT_STATUSES = (PAYMENT_UNPAID, PAYMENT_PARTIAL, PAYMENT_PAID, PAYMENT_REFUNDED)
# The orders list's "waiting for payment" filter: sales not (fully) paid yet.
PAYMENT_DUE = "due"
DUE_PAYMENT_STATUSES = (PAYMENT_UNPAID, PAYMENT_PARTIAL)


def payment_status(total: Decimal, paid: Decimal, refunded: Decimal) -> str:
    """unpaid / partially paid / paid / refunded, from the order total and its payments.

    `paid` is the net received (payments minus refunds); `refunded` the sum of refunds.
    """
    if refunded > 0 and paid <= 0:
        return PAYMENT_REFUNDED
    if paid >= total:
        return PAYMENT_PAID
    if paid <= 0:
        return PAYMENT_UNPAID
    return PAYMENT_PARTIAL
