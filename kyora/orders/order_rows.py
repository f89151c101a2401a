"""What every order operation shares: the order's row lock, its timeline entries, its
item rows, and the item snapshots its signals carry.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from kyora.core.db import utcnow
from kyora.extensions import db
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


def item_snapshots(items: list[OrderItem]) -> list[ItemSnapshot]:
    """The items as the order signals carry them (plain values, no rows)."""
    return [ItemSnapshot.of(item) for item in items]


def add_item(business, order: Order, line, unit_cost) -> OrderItem:
    """Write the order's row for one priced line (`pricing.PricedLine`), snapshotting the
    product's name, options and SKU as sold and the unit cost at the sale."""
    variant = line.variant
    item = OrderItem(
        business_id=business.id,
        order_id=order.id,
        variant_id=variant.id,
        position=line.index,
        product_name=variant.product.name,
        variant_title=variant.options_label or None,
        sku=variant.sku,
        quantity=line.quantity,
        unit_price=line.unit_price,
        line_total=line.line_total,
        unit_cost=unit_cost,
    )
    db.session.add(item)
    return item
