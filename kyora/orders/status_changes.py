"""Moving an order along its statuses (one or many at once), with the stock and money
that follow: stock goes back on cancel and on a resellable return, and the signals tell
accounting. Which moves are allowed is `status.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.core.db import utcnow
from kyora.core.errors import DomainError, InvalidTransition
from kyora.extensions import db
from kyora.orders import events
from kyora.orders import status as st
from kyora.orders.customer_stats import refresh_customer_stats
from kyora.orders.models import Order
from kyora.orders.order_rows import add_event, item_snapshots, lock_order
from kyora.orders.payments import refresh_payment_status
from kyora.orders.queries import order_items
from kyora.orders.stock import put_back_items

BULK_MAX = 200


def change_status(
    business,
    actor,
    order: Order,
    target: str,
    *,
    resellable: bool = False,
    at: datetime | None = None,
) -> Order:
    """Move `order` to `target` if that is a valid next step; stamp the time, write the
    timeline, put stock back on cancel (and on a resellable return), tell accounting."""
    order = lock_order(order)
    current = order.status
    if not st.can_move(current, target):
        raise InvalidTransition(
            _(
                "An order that is %(current)s can't be marked %(target)s.",
                current=str(st.LABELS.get(current, current)).lower(),
                target=str(st.LABELS.get(target, target)).lower(),
            ),
            field="status",
        )
    now = at or utcnow()
    order.status = target
    setattr(order, st.STAMP_COLUMNS[target], now)
    order.updated_at = now
    items = order_items(order)
    data = {"resellable": resellable} if target == st.RETURNED else None
    add_event(order, "status", actor, from_status=current, to_status=target, data=data, at=now)
    if target == st.CANCELLED:
        put_back_items(business, actor, order, items, "cancel")
    elif target == st.RETURNED and resellable:
        put_back_items(business, actor, order, items, "return")
    db.session.flush()
    refresh_payment_status(order)
    amounts = events.OrderAmounts.of(order)
    snapshots = item_snapshots(items)
    if target == st.CONFIRMED:
        events.order_confirmed.send(
            business, order=order, actor=actor, amounts=amounts, items=snapshots
        )
    elif target == st.CANCELLED:
        events.order_cancelled.send(
            business,
            order=order,
            actor=actor,
            was_sale=st.is_sale(current),
            amounts=amounts,
            items=snapshots,
        )
    elif target == st.RETURNED:
        events.order_returned.send(
            business,
            order=order,
            actor=actor,
            resellable=resellable,
            amounts=amounts,
            items=snapshots,
        )
    refresh_customer_stats(business, order.customer_id)
    return order


@dataclass
class BulkResult:
    changed: list[int] = field(default_factory=list)
    # (order number, why it was left as it was)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def bulk_change_status(business, actor, order_ids, target: str) -> BulkResult:
    """Move many orders to `target`; orders for which that is not a valid step are
    left unchanged and listed with the reason."""
    if target not in st.STATUSES:
        raise InvalidTransition(_("Choose a status from the list."), field="status")
    ids = sorted({int(i) for i in order_ids})[:BULK_MAX]
    orders = list(
        db.session.scalars(
            sa.select(Order)
            .where(Order.business_id == business.id, Order.id.in_(ids))
            .order_by(Order.number)
        )
    )
    result = BulkResult()
    for order in orders:
        try:
            with db.session.begin_nested():
                change_status(business, actor, order, target)
        except DomainError as error:
            result.skipped.append((order.number, error.message))
        else:
            result.changed.append(order.number)
    return result
