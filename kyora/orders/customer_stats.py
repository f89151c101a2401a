"""A customer's order figures (orders, spent, owed, last order), kept on their record."""

from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from kyora.core.db import Money, money_expr
from kyora.customers import services as customers
from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.orders import status as st
from kyora.orders.models import Order


@lru_cache(maxsize=1)
def _stats_statement() -> sa.Select:
    """The one aggregate query over a customer's orders, built once: the business and
    the customer are bound parameters (a save runs it every time)."""
    business_id = sa.bindparam("stats_business")
    customer_id = sa.bindparam("stats_customer")
    sale = Order.status.in_(st.SALE_STATUSES)
    zero = sa.literal(0, Money())
    due = sa.case(
        (sa.and_(sale, Order.total > Order.amount_paid), Order.total - Order.amount_paid),
        else_=zero,
    )
    live = Order.status != st.CANCELLED
    mine = sa.and_(Order.business_id == business_id, Order.customer_id == customer_id)
    newest = aliased(Order)
    last_channel = (
        sa.select(newest.channel)
        .where(
            newest.business_id == business_id,
            newest.customer_id == customer_id,
            newest.status != st.CANCELLED,
        )
        .order_by(newest.created_at.desc(), newest.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return sa.select(
        sa.func.count(sa.case((sale, Order.id))),
        money_expr(sa.func.coalesce(sa.func.sum(sa.case((sale, Order.total), else_=zero)), zero)),
        money_expr(sa.func.coalesce(sa.func.sum(due), zero)),
        sa.func.max(sa.case((live, Order.created_at))),
        last_channel,
    ).where(mine)


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
    row = db.session.execute(
        _stats_statement(), {"stats_business": business.id, "stats_customer": customer_id}
    ).one()
    customers.apply_order_stats(
        customer,
        orders_count=row[0] or 0,
        total_spent=row[1],
        amount_due=row[2],
        last_order_at=row[3],
        last_channel=row[4],
    )
