"""Posting a business's order, payment and stock history after the fact.

Used by `rebuild_books` when books start after the history did. Each order's
events are replayed in time order with the same posting rules the live
receivers use. Cost changes leave no trace of the old cost, so `rebuild_books`
ends with a "stock value brought in line" entry when the stock ledger differs.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from kyora.accounting import chart as c
from kyora.accounting.ledger import business_day, post
from kyora.accounting.receivers import money_account, payment_day, sale_lines
from kyora.core.money import ZERO, quantize
from kyora.extensions import db
from kyora.inventory.models import StockMovement
from kyora.orders.events import OrderAmounts
from kyora.orders.models import Order, OrderEvent, Payment

CONFIRM, PAY, UNSELL = 0, 1, 2
STOCK_KINDS = ("purchase", "initial", "found", "correction", "damaged", "lost")


def _returns(business) -> dict[int, bool]:
    rows = db.session.execute(
        sa.select(OrderEvent.order_id, OrderEvent.data).where(
            OrderEvent.business_id == business.id,
            OrderEvent.kind == "status",
            OrderEvent.to_status == "returned",
        )
    ).all()
    return {order_id: bool((data or {}).get("resellable")) for order_id, data in rows}


def _replay_order(business, order: Order, payments: list[Payment], resellable: bool) -> int:
    data = {"number": order.number, "customer": order.customer.name if order.customer else None}
    amounts = OrderAmounts.of(order)
    steps = []
    if order.confirmed_at is not None:
        steps.append((order.confirmed_at, CONFIRM, "sale", None))
        if order.cancelled_at is not None:
            steps.append((order.cancelled_at, UNSELL, "cancel", None))
        if order.returned_at is not None:
            steps.append((order.returned_at, UNSELL, "return", None))
    for payment in payments:
        steps.append((payment.created_at, PAY, payment.kind, payment))
    steps.sort(key=lambda step: (step[0], step[1]))
    paid, is_sale, posted = ZERO, False, 0
    for moment, _priority, kind, payment in steps:
        if payment is not None:
            kept = money_account(payment.method)
            holding = c.RECEIVABLE if is_sale else c.CUSTOMER_CREDIT
            lines = [
                (kept, payment.amount - payment.fee),
                (holding, -payment.amount),
                (c.FEES, payment.fee),
            ]
            day, source = payment_day(business, payment), ("payment", payment.id)
            entry_kind = "payment" if kind == "payment" else "refund"
            paid += payment.amount
            posted += (
                post(
                    business,
                    entry_kind,
                    day,
                    lines,
                    source=source,
                    data={
                        **data,
                        "amount": str(abs(payment.amount)),
                        "method": payment.method,
                        "order_id": order.id,
                    },
                )
                is not None
            )
            continue
        if kind == "sale":
            lines = sale_lines(amounts) + [(c.CUSTOMER_CREDIT, paid), (c.RECEIVABLE, -paid)]
            is_sale = True
        else:
            lines = sale_lines(amounts, -1)
            if kind == "return" and not resellable:
                lines += [(c.INVENTORY, -amounts.cost_total), (c.STOCK_LOSSES, amounts.cost_total)]
            lines += [(c.RECEIVABLE, paid), (c.CUSTOMER_CREDIT, -paid)]
            is_sale = False
        posted += (
            post(
                business,
                kind,
                business_day(business, moment),
                lines,
                source=("order", order.id),
                data={**data, "amount": str(amounts.total)},
            )
            is not None
        )
    return posted


def _replay_stock(business) -> int:
    posted = 0
    movements = db.session.scalars(
        sa.select(StockMovement)
        .where(StockMovement.business_id == business.id, StockMovement.kind.in_(STOCK_KINDS))
        .order_by(StockMovement.id)
    )
    for movement in movements:
        amount = quantize(
            Decimal(movement.quantity) * (movement.unit_cost or ZERO), business.currency
        )
        if amount == 0:
            continue
        if movement.kind == "purchase":
            kind, lines = "stock_purchase", [(c.INVENTORY, amount), (c.CASH, -amount)]
        else:
            other = c.CAPITAL if amount > 0 else c.STOCK_LOSSES
            kind = "stock_in" if amount > 0 else "stock_loss"
            lines = [(c.INVENTORY, amount), (other, -amount)]
        posted += (
            post(
                business,
                kind,
                business_day(business, movement.created_at),
                lines,
                source=("movement", movement.id),
                data={"movement": movement.kind},
            )
            is not None
        )
    return posted


def replay_history(business) -> int:
    """Post every order, payment and stock event of `business`; returns entries posted."""
    payments: dict[int, list[Payment]] = {}
    for payment in db.session.scalars(
        sa.select(Payment).where(Payment.business_id == business.id).order_by(Payment.id)
    ):
        payments.setdefault(payment.order_id, []).append(payment)
    returns = _returns(business)
    orders = db.session.scalars(
        sa.select(Order)
        .where(Order.business_id == business.id)
        .options(selectinload(Order.customer))
        .order_by(Order.id)
    )
    posted = 0
    for order in orders:
        posted += _replay_order(
            business, order, payments.get(order.id, []), returns.get(order.id, False)
        )
    return posted + _replay_stock(business)
