"""Payments and refunds of an order, their fees, and the derived payment status."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _

from kyora.core.db import utcnow
from kyora.core.errors import ValidationFailed
from kyora.core.money import ZERO, format_money, minor_units
from kyora.extensions import db
from kyora.orders import events
from kyora.orders import status as st
from kyora.orders.customer_stats import refresh_customer_stats
from kyora.orders.models import Order, Payment
from kyora.orders.order_rows import add_event, lock_order
from kyora.orders.pricing import decimals_ok
from kyora.orders.settings import payment_methods
from kyora.orders.totals import payment_fee, payment_status, refund_fee_reversal

REFERENCE_MAX = 120


class Overpayment(ValidationFailed):
    """A payment above what is still owed, not confirmed yet (the form asks to confirm)."""


def refresh_payment_status(order: Order) -> None:
    """The derived payment status, from the order's total and its payment figures."""
    order.payment_status = payment_status(order.total, order.amount_paid, order.amount_refunded)


def _money(business, value, field: str) -> Decimal:
    if value is None or Decimal(value) <= 0:
        raise ValidationFailed({field: _("Enter an amount above 0.")})
    value = Decimal(value)
    if not decimals_ok(value, business.currency):
        raise ValidationFailed(
            {field: _("Use at most %(count)d decimals.", count=minor_units(business.currency))}
        )
    return value


def _method(business, kind: str | None, field: str = "method"):
    for method in payment_methods(business):
        if method.kind == kind and method.enabled:
            return method
    raise ValidationFailed({field: _("Choose one of your payment methods.")})


def _reference(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    if len(text) > REFERENCE_MAX:
        raise ValidationFailed(
            {"reference": _("Use at most %(count)d characters.", count=REFERENCE_MAX)}
        )
    return text or None


def _locale_money(amount, currency: str) -> str:
    locale = str(get_locale() or "en") if has_request_context() else "en"
    return format_money(amount, currency, locale)


def check_payment(
    business,
    order_total: Decimal,
    already_paid: Decimal,
    amount,
    method: str | None,
    *,
    allow_overpay: bool = False,
    amount_field: str = "amount",
    method_field: str = "method",
):
    """Validate a payment before it is recorded: amount, method, and not above the
    balance unless the seller confirmed it. Returns (amount, method config)."""
    amount = _money(business, amount, amount_field)
    config = _method(business, method, method_field)
    balance = order_total - already_paid
    if amount > balance and not allow_overpay:
        raise Overpayment(
            {
                amount_field: _(
                    "This is more than the %(balance)s still owed. Tick “Yes, record it” to save it anyway.",
                    balance=_locale_money(max(balance, ZERO), business.currency),
                )
            }
        )
    return amount, config


def record_payment(
    business,
    actor,
    order: Order,
    *,
    amount,
    method: str,
    reference: str | None = None,
    received_on: date | None = None,
    allow_overpay: bool = False,
    at: datetime | None = None,
) -> Payment:
    """Record money received for `order`; the method's fee is worked out and stored."""
    order = lock_order(order)
    if order.status in (st.CANCELLED, st.RETURNED):
        raise ValidationFailed(
            {
                "amount": _(
                    "This order is %(status)s: it takes no more payments.",
                    status=order.status_label,
                )
            }
        )
    amount, config = check_payment(
        business, order.total, order.amount_paid, amount, method, allow_overpay=allow_overpay
    )
    payment = add_payment(business, actor, order, amount, config, reference, received_on, at)
    refresh_customer_stats(business, order.customer_id)
    return payment


def add_payment(business, actor, order: Order, amount, config, reference, received_on, at):
    """Write an already checked payment: the row with its fee, the order's payment
    figures, the timeline entry, and `payment_recorded` for accounting."""
    payment = new_payment(business, actor, order, amount, config, reference, received_on, at)
    apply_payment(business, actor, order, payment)
    return payment


def new_payment(business, actor, order: Order, amount, config, reference, received_on, at):
    """The row (with its fee) and the timeline entry of an already checked payment, left
    for the next flush; `apply_payment` then counts it. A new order adds its first
    payment before its sale is posted, so both go to the database together."""
    fee = payment_fee(amount, config.fee_rate, config.fee_fixed, business.currency)
    payment = Payment(
        business_id=business.id,
        order_id=order.id,
        kind="payment",
        method=config.kind,
        amount=amount,
        fee=fee,
        reference=_reference(reference),
        received_on=received_on or (at or utcnow()).date(),
        created_by_id=actor.id if actor is not None else None,
        created_at=at or utcnow(),
    )
    db.session.add(payment)
    add_event(
        order,
        "payment",
        actor,
        data={"amount": str(amount), "method": config.kind, "fee": str(fee)},
        at=at,
    )
    return payment


def apply_payment(business, actor, order: Order, payment: Payment) -> None:
    """Add a `new_payment` to the order's payment figures and send `payment_recorded`."""
    # The books name the payment by its id: it is written first.
    db.session.flush()
    # The order row is locked (or new), so adding to its figures is exact.
    order.amount_paid += payment.amount
    order.fees += payment.fee
    refresh_payment_status(order)
    events.payment_recorded.send(
        business,
        order=order,
        payment=payment,
        actor=actor,
        amount=payment.amount,
        fee=payment.fee,
        method=payment.method,
    )


def refund_payment(
    business,
    actor,
    order: Order,
    *,
    amount,
    method: str | None = None,
    reference: str | None = None,
    received_on: date | None = None,
    at: datetime | None = None,
) -> Payment:
    """Give money back: never more than was paid. Fees are reversed in proportion."""
    order = lock_order(order)
    amount = _money(business, amount, "amount")
    if order.amount_paid <= 0:
        raise ValidationFailed(
            {"amount": _("Nothing was paid on this order, so there is nothing to refund.")}
        )
    if amount > order.amount_paid:
        raise ValidationFailed(
            {
                "amount": _(
                    "You can refund at most %(paid)s, what was paid.",
                    paid=_locale_money(order.amount_paid, business.currency),
                )
            }
        )
    kind = method or db.session.scalar(
        sa.select(Payment.method)
        .where(Payment.order_id == order.id, Payment.kind == "payment")
        .order_by(Payment.id.desc())
        .limit(1)
    )
    if kind not in {config.kind for config in payment_methods(business)}:
        raise ValidationFailed({"method": _("Choose one of your payment methods.")})
    reversed_fee = refund_fee_reversal(order.fees, order.amount_paid, amount, business.currency)
    refund = Payment(
        business_id=business.id,
        order_id=order.id,
        kind="refund",
        method=kind,
        amount=-amount,
        fee=-reversed_fee,
        reference=_reference(reference),
        received_on=received_on or (at or utcnow()).date(),
        created_by_id=actor.id if actor is not None else None,
        created_at=at or utcnow(),
    )
    db.session.add(refund)
    db.session.flush()
    order.amount_paid -= amount
    order.amount_refunded += amount
    order.fees -= reversed_fee
    refresh_payment_status(order)
    add_event(
        order,
        "refund",
        actor,
        data={"amount": str(amount), "method": kind, "fee": str(reversed_fee)},
        at=at,
    )
    events.payment_refunded.send(
        business,
        order=order,
        payment=refund,
        actor=actor,
        amount=amount,
        fee_reversed=reversed_fee,
        method=kind,
    )
    refresh_customer_stats(business, order.customer_id)
    return refund
