"""Signals of the orders domain (accounting and insights listen).

Receivers run synchronously, in the same transaction as the change. Every signal is
sent with the business as sender and these keyword arguments:

- `order_confirmed(business, order=, actor=, amounts=, items=)`: the order became a
  sale (created confirmed, or pending → confirmed). `amounts` is an `OrderAmounts`;
  `items` a list of `ItemSnapshot` (quantity, unit price and unit cost at the sale).
- `order_cancelled(business, order=, actor=, was_sale=, amounts=, items=)`: stock is
  back on the shelf; `was_sale` tells whether it had been confirmed (revenue to reverse).
- `order_returned(business, order=, actor=, resellable=, amounts=, items=)`: the sale is
  reversed; stock came back only when `resellable`.
- `order_edited(business, order=, actor=, was_sale=, before=, after=, before_items=,
  after_items=, before_place=)`: items, discount, customer, channel or delivery
  changed; `before`/`after` are `OrderAmounts`, so a confirmed order's entry can be
  reversed and posted again; `before_place` is the `OrderPlace` it had before.
- `payment_recorded(business, order=, payment=, actor=, amount=, fee=, method=)`.
- `payment_refunded(business, order=, payment=, actor=, amount=, fee_reversed=, method=)`:
  `amount` and `fee_reversed` are positive.
- `order_deleted(business, order_id=, number=, actor=)`: a pending or cancelled order was
  removed (it never counted as a sale, or its sale was already reversed).

`order_limit_check(business, actor=)` is asked before a new order is saved, whatever
the way in (order entry, import, storefront): a receiver (billing) refuses by raising
PlanLimitReached when the workspace's plan has no room for another order this month.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from blinker import Namespace

_signals = Namespace()

order_confirmed = _signals.signal("order-confirmed")
order_cancelled = _signals.signal("order-cancelled")
order_returned = _signals.signal("order-returned")
order_edited = _signals.signal("order-edited")
payment_recorded = _signals.signal("payment-recorded")
payment_refunded = _signals.signal("payment-refunded")
order_deleted = _signals.signal("order-deleted")
order_limit_check = _signals.signal("order-limit-check")


@dataclass(frozen=True)
class OrderAmounts:
    """An order's money at one moment (all rounded to the currency), as the books see it.

    The amounts always balance as `total = subtotal − discount + vat + shipping`, and
    `net_sales = subtotal − discount` is what was sold without VAT. When the prices
    included VAT, `subtotal` is the lines' value with that VAT taken out (the order's
    own `subtotal` still contains it), so the books credit sales without the VAT and
    owe the VAT once.
    """

    subtotal: Decimal
    discount: Decimal
    net_sales: Decimal
    vat: Decimal
    shipping: Decimal
    total: Decimal
    cost_total: Decimal

    @classmethod
    def of(cls, order) -> OrderAmounts:
        inside = order.vat if order.vat_included else 0
        return cls(
            subtotal=order.subtotal - inside,
            discount=order.discount,
            net_sales=order.subtotal - inside - order.discount,
            vat=order.vat,
            shipping=order.shipping,
            total=order.total,
            cost_total=order.cost_total,
        )


@dataclass(frozen=True)
class ItemSnapshot:
    variant_id: int | None
    quantity: int
    unit_price: Decimal
    unit_cost: Decimal

    @classmethod
    def of(cls, item) -> ItemSnapshot:
        return cls(item.variant_id, item.quantity, item.unit_price, item.unit_cost)


@dataclass(frozen=True)
class OrderPlace:
    """Who an order is for and where it came from and goes (what an edit may change
    besides its amounts)."""

    customer_id: int | None
    channel: str
    city: str | None

    @classmethod
    def of(cls, order) -> OrderPlace:
        return cls(order.customer_id, order.channel, order.delivery_city)
