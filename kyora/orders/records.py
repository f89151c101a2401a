"""Pieces every order operation shares: the timeline, row locks, customer figures."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from kyora.core.db import Money, money_expr, utcnow
from kyora.customers import services as customers
from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.orders import status as st
from kyora.orders.events import ItemSnapshot
from kyora.orders.models import Order, OrderEvent, OrderItem


def add_event(
    order: Order,
    kind: str,
    actor=None,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    body: str | None = None,
    data: dict | None = None,
    at: datetime | None = None,
) -> OrderEvent:
    """Write one timeline entry (who and when) for `order`."""
    event = OrderEvent(
        business_id=order.business_id,
        order_id=order.id,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        body=body,
        data=data,
        actor_id=actor.id if actor is not None else None,
        created_at=at or utcnow(),
    )
    db.session.add(event)
    return event


def lock_order(order: Order) -> Order:
    """Re-read `order` holding its row lock until the transaction ends.

    On PostgreSQL two sellers acting on one order at once then take turns, and the
    second sees what the first did (SQLite already serialises writing requests).
    """
    return db.session.scalar(
        sa.select(Order)
        .where(Order.id == order.id, Order.business_id == order.business_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def order_items(order: Order) -> list[OrderItem]:
    return list(
        db.session.scalars(
            sa.select(OrderItem)
            .where(OrderItem.order_id == order.id, OrderItem.business_id == order.business_id)
            .order_by(OrderItem.position, OrderItem.id)
        )
    )


def item_snapshots(items: list[OrderItem]) -> list[ItemSnapshot]:
    return [ItemSnapshot.of(item) for item in items]


def refresh_customer_stats(business, customer_id: int | None) -> None:
    """Recompute a customer's order figures from their orders (one aggregate query).

    Orders count, total spent and what they owe cover sales (confirmed onwards, not
    cancelled or returned); the last order is their newest order that was not cancelled.
    """
    if not customer_id:
        return
    customer = db.session.get(Customer, customer_id)
    if customer is None or customer.business_id != business.id:
        return
    sale = Order.status.in_(st.SALE_STATUSES)
    zero = sa.literal(0, Money())
    due = sa.case(
        (sa.and_(sale, Order.total > Order.amount_paid), Order.total - Order.amount_paid),
        else_=zero,
    )
    live = Order.status != st.CANCELLED
    mine = sa.and_(Order.business_id == business.id, Order.customer_id == customer_id)
    newest = aliased(Order)
    last_channel = (
        sa.select(newest.channel)
        .where(
            newest.business_id == business.id,
            newest.customer_id == customer_id,
            newest.status != st.CANCELLED,
        )
        .order_by(newest.created_at.desc(), newest.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    row = db.session.execute(
        sa.select(
            sa.func.count(sa.case((sale, Order.id))),
            money_expr(
                sa.func.coalesce(sa.func.sum(sa.case((sale, Order.total), else_=zero)), zero)
            ),
            money_expr(sa.func.coalesce(sa.func.sum(due), zero)),
            sa.func.max(sa.case((live, Order.created_at))),
            last_channel,
        ).where(mine)
    ).one()
    customers.apply_order_stats(
        customer,
        orders_count=row[0] or 0,
        total_spent=row[1],
        amount_due=row[2],
        last_order_at=row[3],
        last_channel=row[4],
    )
