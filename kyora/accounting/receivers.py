"""Posting rules for what other domains do: orders, payments and stock.

Each receiver runs inside the sender's transaction and posts one entry, per
PRODUCT.md's table. Money received for an order that is not (or no longer) a
sale sits in "Paid before confirmation" (customer credit); confirming moves it
onto the order's receivable, cancelling or returning moves it back.
"""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

from kyora.accounting import chart as c
from kyora.accounting.ledger import business_day, post
from kyora.core.db import utcnow
from kyora.core.money import ZERO
from kyora.inventory import events as stock_events
from kyora.orders import events as order_events
from kyora.orders import status as st

# Payment methods whose money lands in the bank; the rest is cash in hand.
BANK_METHODS = ("bank_transfer", "card", "wallet", "bnpl")
# Stock value that appears without being paid for comes from the owner.
OWNER_STOCK_KINDS = ("initial", "found", "correction", "cost_change")


def money_account(method: str | None) -> str:
    """Where a payment by `method` is kept: the bank or cash in hand."""
    return c.BANK if method in BANK_METHODS else c.CASH


def sale_lines(amounts, sign: int = 1) -> list[tuple[str, Decimal]]:
    """The lines of a confirmed sale (`sign=-1` gives its reversal)."""
    lines = [
        (c.RECEIVABLE, amounts.total),
        (c.SALES, -amounts.subtotal),
        (c.DISCOUNTS, amounts.discount),
        (c.SHIPPING_INCOME, -amounts.shipping),
        (c.VAT, -amounts.vat),
        (c.COGS, amounts.cost_total),
        (c.INVENTORY, -amounts.cost_total),
    ]
    return [(code, sign * amount) for code, amount in lines]


def _order_data(order, amount=None) -> dict:
    customer = order.customer
    data = {"number": order.number, "customer": customer.name if customer is not None else None}
    if amount is not None:
        data["amount"] = str(amount)
    return data


def _day(business, moment):
    return business_day(business, moment or utcnow())


def on_order_confirmed(business, order, actor=None, amounts=None, items=None, **_):
    """Revenue, VAT owed and cost of goods; prepayments move onto the receivable."""
    lines = sale_lines(amounts)
    lines += [(c.CUSTOMER_CREDIT, order.amount_paid), (c.RECEIVABLE, -order.amount_paid)]
    post(
        business,
        "sale",
        _day(business, order.confirmed_at),
        lines,
        source=("order", order.id),
        actor=actor,
        data=_order_data(order, amounts.total),
    )


def _unsell(business, order, actor, amounts, kind, moment, *, goods_back: bool):
    lines = sale_lines(amounts, -1)
    if not goods_back:
        # The goods did not come back to the shelf: their cost is a loss, not a sale cost.
        lines += [(c.INVENTORY, -amounts.cost_total), (c.STOCK_LOSSES, amounts.cost_total)]
    lines += [(c.RECEIVABLE, order.amount_paid), (c.CUSTOMER_CREDIT, -order.amount_paid)]
    post(
        business,
        kind,
        _day(business, moment),
        lines,
        source=("order", order.id),
        actor=actor,
        data=_order_data(order, amounts.total),
    )


def on_order_cancelled(business, order, actor=None, was_sale=False, amounts=None, **_):
    """A cancelled sale is reversed (its stock is already back on the shelf)."""
    if was_sale:
        _unsell(business, order, actor, amounts, "cancel", order.cancelled_at, goods_back=True)


def on_order_returned(business, order, actor=None, resellable=False, amounts=None, **_):
    """A return reverses the sale; goods that can't be sold again are a stock loss."""
    _unsell(business, order, actor, amounts, "return", order.returned_at, goods_back=resellable)


def on_order_edited(business, order, actor=None, was_sale=False, before=None, after=None, **_):
    """A confirmed order's changed figures: its old sale reversed and the new one
    posted, as one entry holding the difference."""
    if not was_sale:
        return
    post(
        business,
        "order_edit",
        _day(business, order.updated_at),
        sale_lines(before, -1) + sale_lines(after),
        source=("order", order.id),
        actor=actor,
        data=_order_data(order, after.total),
    )


def payment_day(business, payment):
    """The business date of a payment: the date the seller gave, or (when it is just
    the server's date of recording) the day in the business's time zone."""
    created = payment.created_at
    if created is not None and payment.received_on == created.astimezone(UTC).date():
        return business_day(business, created)
    return payment.received_on


def _holding_account(order) -> str:
    return c.RECEIVABLE if order.status in st.SALE_STATUSES else c.CUSTOMER_CREDIT


def on_payment_recorded(
    business, order, payment, actor=None, amount=None, fee=None, method=None, **_
):
    """Money in, off the order's balance (or held until confirmation); its fee is an expense."""
    kept = money_account(method)
    fee = fee or ZERO
    post(
        business,
        "payment",
        payment_day(business, payment),
        [(kept, amount), (_holding_account(order), -amount), (c.FEES, fee), (kept, -fee)],
        source=("payment", payment.id),
        actor=actor,
        data={**_order_data(order, amount), "method": method, "order_id": order.id},
    )


def on_payment_refunded(
    business, order, payment, actor=None, amount=None, fee_reversed=None, method=None, **_
):
    """The reverse of a payment and of its share of the fee."""
    kept = money_account(method)
    fee = fee_reversed or ZERO
    post(
        business,
        "refund",
        payment_day(business, payment),
        [(kept, -amount), (_holding_account(order), amount), (c.FEES, -fee), (kept, fee)],
        source=("payment", payment.id),
        actor=actor,
        data={**_order_data(order, amount), "method": method, "order_id": order.id},
    )


def _movement_data(movement) -> dict:
    variant = getattr(movement, "variant", None)
    title = getattr(variant, "title", None) if variant is not None else None
    return {"movement": movement.kind, "item": title}


def on_stock_purchased(business, movement=None, amount=None, **_):
    """Stock bought now: it is paid from cash."""
    post(
        business,
        "stock_purchase",
        _day(business, movement.created_at),
        [(c.INVENTORY, amount), (c.CASH, -amount)],
        source=("movement", movement.id),
        data=_movement_data(movement),
    )


def on_stock_adjusted(business, movement=None, amount=None, **_):
    """Stock value that appears unpaid (opening, found, recount up, cost raised) comes
    from the owner; value that disappears (damage, loss, recount down) is a loss."""
    if amount is None or amount == 0:
        return
    other = c.CAPITAL if amount > 0 else c.STOCK_LOSSES
    post(
        business,
        "stock_in" if amount > 0 else "stock_loss",
        _day(business, movement.created_at),
        [(c.INVENTORY, amount), (other, -amount)],
        source=("movement", movement.id),
        data=_movement_data(movement),
    )


def on_variants_deleted(business, variant_ids=None, value=None, **_):
    """The stock value that left with deleted variants is a loss."""
    if not value:
        return
    post(
        business,
        "stock_loss",
        _day(business, None),
        [(c.INVENTORY, -value), (c.STOCK_LOSSES, value)],
        data={"movement": "deleted"},
    )


def on_business_created(business, **_):
    """Every business starts with its chart of accounts."""
    c.ensure_chart(business)


def connect() -> None:
    """Listen to the orders, inventory and businesses signals."""
    from kyora.businesses import events as business_events

    business_events.business_created.connect(on_business_created)
    order_events.order_confirmed.connect(on_order_confirmed)
    order_events.order_cancelled.connect(on_order_cancelled)
    order_events.order_returned.connect(on_order_returned)
    order_events.order_edited.connect(on_order_edited)
    order_events.payment_recorded.connect(on_payment_recorded)
    order_events.payment_refunded.connect(on_payment_refunded)
    stock_events.stock_purchased.connect(on_stock_purchased)
    stock_events.stock_adjusted.connect(on_stock_adjusted)
    stock_events.variants_deleted.connect(on_variants_deleted)
