"""Demo orders for `flask kyora demo`.

Small: about 300 orders over the last four months, saved through the real services
(stock, customers, payments, timeline and accounting all follow), across statuses,
channels and payment states. Large (`--size large`): 100,000 orders inserted in bulk
for benchmarks (see `orders_bulk.py`).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from kyora.core.db import utcnow
from kyora.core.money import quantize
from kyora.customers.models import Customer
from kyora.demo.orders_bulk import CHANNEL_WEIGHTS, OUTCOMES, insert_orders, pick
from kyora.extensions import db
from kyora.inventory import services as inventory
from kyora.inventory.models import Product, Variant
from kyora.orders import status as st
from kyora.orders.services import (
    DraftLine,
    OrderDraft,
    change_status,
    create_order,
    record_payment,
    refund_payment,
)

SMALL_ORDERS = 300
LARGE_ORDERS = 100_000
# The statuses an order passes through to reach its final one (after confirmed).
PATHS = {
    st.PENDING: (),
    st.CONFIRMED: (),
    st.READY: (st.READY,),
    st.SHIPPED: (st.SHIPPED,),
    st.DELIVERED: (st.SHIPPED, st.DELIVERED),
    st.CANCELLED: (st.CANCELLED,),
    st.RETURNED: (st.SHIPPED, st.DELIVERED, st.RETURNED),
}


def seed(business, owner, size: str, rng: random.Random) -> None:
    """Add demo orders to the demo business (the catalog and customers come first)."""
    if size == "large":
        insert_orders(business, owner, LARGE_ORDERS, seed=rng.randrange(1_000_000))
    else:
        _seed_small(business, owner, rng)


def _seed_small(business, owner, rng: random.Random) -> None:
    variants = list(
        db.session.execute(
            sa.select(Variant.id, Variant.stock, Variant.price, Variant.avg_cost)
            .join(Product, Product.id == Variant.product_id)
            .where(
                Variant.business_id == business.id,
                Variant.archived_at.is_(None),
                Product.archived_at.is_(None),
            )
            .order_by(Variant.id)
        )
    )
    if not variants:
        return
    stock = {row.id: row.stock for row in variants}
    costs = {row.id: row.avg_cost or quantize(row.price / 2, business.currency) for row in variants}
    customers = list(
        db.session.scalars(
            sa.select(Customer.id).where(Customer.business_id == business.id).order_by(Customer.id)
        )
    )
    now = utcnow()
    moments = sorted(
        now - timedelta(minutes=rng.randrange(5, 120 * 24 * 60)) for _ in range(SMALL_ORDERS)
    )
    for placed_at in moments:
        lines = []
        for variant_id in rng.sample(
            list(stock), k=min(len(stock), rng.choice((1, 1, 1, 2, 2, 3)))
        ):
            quantity = rng.choice((1, 1, 1, 2, 3))
            if stock[variant_id] < quantity:
                # A busy shop restocks what sells (a paid purchase, as the seller would record it).
                inventory.restock(
                    business, owner, variant_id, 24, costs[variant_id], paid=True, note="Restock"
                )
                stock[variant_id] += 24
            stock[variant_id] -= quantity
            lines.append(DraftLine(variant_id, quantity))
        outcome = pick(rng, OUTCOMES)
        draft = OrderDraft(
            lines=lines,
            customer_id=rng.choice(customers) if customers and rng.random() < 0.92 else None,
            channel=pick(rng, CHANNEL_WEIGHTS),
            status=st.PENDING if outcome == st.PENDING or rng.random() < 0.1 else st.CONFIRMED,
            discount_kind="percent" if rng.random() < 0.5 else "amount",
            discount_value=Decimal(rng.choice((5, 10, 15))) if rng.random() < 0.12 else None,
            shipping_mode="manual" if rng.random() < 0.7 else "none",
            shipping_fee=Decimal(rng.choice((15, 20, 25))),
            allow_zero_price=True,
            placed_at=placed_at,
        )
        order = create_order(business, owner, draft).order
        _play_out(business, owner, order, outcome, placed_at, now, rng)
    db.session.flush()


def _play_out(business, owner, order, outcome, placed_at, now, rng) -> None:
    """Move a demo order to its final status, with payments along the way."""
    moment = placed_at
    if order.status == st.PENDING and outcome != st.PENDING:
        moment = min(now, moment + timedelta(hours=rng.randrange(1, 30)))
        change_status(
            business,
            owner,
            order,
            st.CONFIRMED if outcome != st.CANCELLED else st.CANCELLED,
            at=moment,
        )
        if outcome == st.CANCELLED:
            return
    method = rng.choice(("cod", "bank_transfer"))
    if outcome in (st.CONFIRMED, st.READY, st.SHIPPED) and rng.random() < 0.4:
        record_payment(
            business,
            owner,
            order,
            amount=quantize(order.total / 2, business.currency),
            method=method,
            at=moment,
        )
    for target in PATHS[outcome]:
        moment = min(now, moment + timedelta(hours=rng.randrange(4, 72)))
        if target == st.DELIVERED and order.balance > 0:
            record_payment(business, owner, order, amount=order.balance, method=method, at=moment)
        if target == st.RETURNED:
            change_status(business, owner, order, target, resellable=rng.random() < 0.7, at=moment)
            if order.amount_paid > 0:
                refund_payment(
                    business, owner, order, amount=order.amount_paid, method=method, at=moment
                )
        else:
            change_status(business, owner, order, target, at=moment)
