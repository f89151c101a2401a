"""Orders per (status, payment status) for each business, kept as running counts.

Every flush that adds, deletes or moves an order between statuses or payment statuses
adds its differences to `order_count` in the same transaction (an SQLAlchemy
`after_flush` hook, so every way an order changes through the session is counted
without each service remembering to). Orders written in bulk around the session (the
large demo, benchmark data) are counted again with `recount()`; `differences()` says
where the kept counts and the orders disagree.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kyora.core.db import add_to_sums
from kyora.extensions import db
from kyora.orders.models import Order, OrderCount

Key = tuple[int, str, str]  # (business id, status, payment status)


def _before(order: Order, name: str):
    """The value the column had when the order was loaded (its current one if unchanged)."""
    history = sa.inspect(order).attrs[name].history
    if history.deleted:
        return history.deleted[0]
    return getattr(order, name)


def _changes(session: Session) -> Counter:
    changes: Counter = Counter()
    for order in session.new:
        if isinstance(order, Order):
            changes[(order.business_id, order.status, order.payment_status)] += 1
    for order in session.deleted:
        if isinstance(order, Order):
            changes[
                (order.business_id, _before(order, "status"), _before(order, "payment_status"))
            ] -= 1
    for order in session.dirty:
        if not isinstance(order, Order) or order in session.deleted:
            continue
        old = (order.business_id, _before(order, "status"), _before(order, "payment_status"))
        new = (order.business_id, order.status, order.payment_status)
        if old != new:
            changes[old] -= 1
            changes[new] += 1
    return changes


COUNT_KEY = ("business_id", "status", "payment_status")


def _apply(session: Session, changes: Counter) -> None:
    rows = [
        {"business_id": key[0], "status": key[1], "payment_status": key[2], "count": delta}
        for key, delta in changes.items()
        if delta
    ]
    if not rows:
        return
    add_to_sums(session.connection(), OrderCount, COUNT_KEY, ("count",), rows)


@sa.event.listens_for(Session, "after_flush")
def _count_order_changes(session: Session, _context) -> None:
    # The session still shows what was flushed (new, dirty, deleted, history).
    changes = _changes(session)
    if changes:
        _apply(session, changes)


def counts(business) -> dict[tuple[str, str], int]:
    """{(status, payment status): orders} of a business (one small read)."""
    rows = db.session.execute(
        sa.select(OrderCount.status, OrderCount.payment_status, OrderCount.count).where(
            OrderCount.business_id == business.id
        )
    )
    return {(status, payment): count for status, payment, count in rows}


def _from_orders(business) -> dict[tuple[str, str], int]:
    rows = db.session.execute(
        sa.select(Order.status, Order.payment_status, sa.func.count(Order.id))
        .where(Order.business_id == business.id)
        .group_by(Order.status, Order.payment_status)
    )
    return {(status, payment): count for status, payment, count in rows}


def recount(business) -> None:
    """Count the business's orders again from the orders themselves."""
    db.session.execute(sa.delete(OrderCount).where(OrderCount.business_id == business.id))
    rows = [
        {"business_id": business.id, "status": status, "payment_status": payment, "count": n}
        for (status, payment), n in _from_orders(business).items()
    ]
    if rows:
        db.session.execute(sa.insert(OrderCount), rows)
    db.session.flush()


def differences(business) -> list[str]:
    """Where the kept counts differ from the orders (empty when they agree)."""
    kept = {key: n for key, n in counts(business).items() if n}
    actual = _from_orders(business)
    return [
        f"{business.handle}: {key} is {kept.get(key, 0)}, the orders say {actual.get(key, 0)}"
        for key in sorted(set(kept) | set(actual))
        if kept.get(key, 0) != actual.get(key, 0)
    ]
