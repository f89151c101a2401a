"""Rebuilding the rollups of a business from its orders.

Used after orders were inserted in bulk (the large demo, an import) and by
`flask kyora insights rebuild`; the tests compare it with the rollup the signals
kept, so the two ways can never drift apart unnoticed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.insights import rollup
from kyora.insights.models import CustomerFirsts, SalesDay
from kyora.inventory.models import Variant
from kyora.orders import status as st
from kyora.orders.events import ItemSnapshot, OrderAmounts
from kyora.orders.models import Order, OrderItem

BATCH = 20_000


class _Days:
    """UTC moments → business days, remembering each hour it has already converted."""

    def __init__(self, business):
        try:
            self.zone = ZoneInfo(business.timezone or "UTC")
        except (KeyError, ValueError):
            self.zone = ZoneInfo("UTC")
        self.hours: dict = {}

    def __call__(self, moment: datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        hour = moment.replace(minute=0, second=0, microsecond=0)
        day = self.hours.get(hour)
        if day is None:
            day = self.hours[hour] = hour.astimezone(self.zone).date()
        return day


def _sales(business):
    return sa.and_(Order.business_id == business.id, Order.status.in_(st.SALE_STATUSES))


def rebuild(business) -> int:
    """Recompute `sales_day` and `customer_firsts` of `business` from its orders.
    Returns the number of sales counted."""
    db.session.execute(sa.delete(SalesDay).where(SalesDay.business_id == business.id))
    db.session.execute(sa.delete(CustomerFirsts).where(CustomerFirsts.business_id == business.id))
    days = _Days(business)
    products = dict(
        db.session.execute(
            sa.select(Variant.id, Variant.product_id).where(Variant.business_id == business.id)
        ).all()
    )
    items_by_order: dict[int, list[ItemSnapshot]] = {}
    item_rows = db.session.execute(
        sa.select(
            OrderItem.order_id,
            OrderItem.variant_id,
            OrderItem.quantity,
            OrderItem.unit_price,
            OrderItem.unit_cost,
        )
        .join(Order, Order.id == OrderItem.order_id)
        .where(_sales(business))
        .execution_options(yield_per=BATCH)
    )
    for order_id, variant_id, quantity, price, cost in item_rows:
        items_by_order.setdefault(order_id, []).append(
            ItemSnapshot(variant_id, quantity, price, cost)
        )
    changes: rollup.Changes = {}
    firsts: dict[int, list] = {}
    orders = db.session.execute(
        sa.select(
            Order.id,
            Order.customer_id,
            Order.channel,
            Order.delivery_city,
            Order.confirmed_at,
            Order.created_at,
            Order.subtotal,
            Order.discount,
            Order.vat,
            Order.vat_rate,
            Order.vat_included,
            Order.shipping,
            Order.total,
            Order.cost_total,
            Customer.country,
        )
        .outerjoin(Customer, Customer.id == Order.customer_id)
        .where(_sales(business))
        .order_by(Order.confirmed_at, Order.id)
        .execution_options(yield_per=BATCH)
    )
    count = 0
    for order in orders:
        day = days(order.confirmed_at or order.created_at)
        rollup.order_changes(
            changes,
            day,
            rollup.Place.of(order, order.country),
            OrderAmounts.of(order),
            items_by_order.get(order.id, []),
            products,
            vat_rate=order.vat_rate,
            vat_included=order.vat_included,
            currency=business.currency,
        )
        if order.customer_id and order.confirmed_at is not None:
            seen = firsts.setdefault(order.customer_id, [])
            if len(seen) < 2:
                seen.append(day)
        count += 1
    for seen in firsts.values():
        changes.setdefault(("all", seen[0], ""), rollup.Delta()).new_customers += 1
        if len(seen) > 1:
            changes.setdefault(("all", seen[1], ""), rollup.Delta()).returning_customers += 1
    _insert(
        CustomerFirsts,
        [
            {
                "business_id": business.id,
                "customer_id": customer_id,
                "first_day": seen[0],
                "second_day": seen[1] if len(seen) > 1 else None,
            }
            for customer_id, seen in firsts.items()
        ],
    )
    rows = [
        {
            "business_id": business.id,
            "dimension": dimension,
            "day": day,
            "key": key,
            **{name: getattr(delta, name) for name in rollup.COUNTERS},
        }
        for (dimension, day, key), delta in changes.items()
        if not delta.is_zero()
    ]
    _insert(SalesDay, rows)
    db.session.flush()
    return count


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(model), rows[start : start + BATCH])


def snapshot(business) -> dict:
    """The rollup as {(dimension, day, key): counters} (rows of all zeros left out),
    plus each customer's first two sale days under the key "firsts"."""
    rows = db.session.execute(
        sa.select(SalesDay).where(SalesDay.business_id == business.id)
    ).scalars()
    result: dict = {}
    for row in rows:
        values = tuple(getattr(row, name) for name in rollup.COUNTERS)
        if any(values):
            result[(row.dimension, row.day, row.key)] = values
    firsts = db.session.execute(
        sa.select(
            CustomerFirsts.customer_id, CustomerFirsts.first_day, CustomerFirsts.second_day
        ).where(CustomerFirsts.business_id == business.id, CustomerFirsts.first_day.is_not(None))
    )
    result["firsts"] = {row[0]: (row[1], row[2]) for row in firsts}
    return result


def differences(business) -> list[str]:
    """Where the kept rollup differs from one rebuilt from the orders (nothing is
    changed: the rebuild happens in a savepoint that is rolled back)."""
    kept = snapshot(business)
    savepoint = db.session.begin_nested()
    rebuild(business)
    fresh = snapshot(business)
    savepoint.rollback()
    db.session.expire_all()
    problems = []
    for key in sorted(set(kept) | set(fresh), key=str):
        if kept.get(key) != fresh.get(key):
            problems.append(
                f"{business.handle}: {key} is {kept.get(key)}, the orders say {fresh.get(key)}"
            )
    return problems
