"""What the money domain adds to other pages: the order's profit and the business
home's "what I have today" prompt."""

from __future__ import annotations

import sqlalchemy as sa

from kyora.accounting.models import Expense
from kyora.accounting.owner import current_opening
from kyora.core.db import money_expr
from kyora.core.money import ZERO
from kyora.extensions import db
from kyora.orders import status as st
from kyora.orders.events import OrderAmounts


def _delivery_paid(business, order_ids: list[int]) -> dict:
    """What the seller paid for delivering each order (expenses linked to it): always one
    query, so a page's query count does not depend on what is on it."""
    rows = db.session.execute(
        sa.select(Expense.order_id, money_expr(sa.func.sum(Expense.amount)))
        .where(
            Expense.business_id == business.id,
            Expense.order_id.in_(order_ids),
            Expense.deleted_at.is_(None),
        )
        .group_by(Expense.order_id)
    )
    return dict(rows.all())


def _breakdown(order, delivery) -> dict:
    sold = OrderAmounts.of(order).net_sales
    return {
        "sold": sold,
        "shipping": order.shipping,
        "cost": order.cost_total,
        "fees": order.fees,
        "delivery": delivery,
        "profit": sold + order.shipping - order.cost_total - order.fees - delivery,
    }


def order_profit(*, business, order):
    """Sale − cost of goods − payment fees − delivery the seller paid, for a sale."""
    if order.status not in st.SALE_STATUSES:
        return None
    delivery = _delivery_paid(business, [order.id]).get(order.id) or ZERO
    return _breakdown(order, delivery)


def profits_of_orders(*, business, rows) -> dict:
    """{order id: profit} for the sales among a page of orders (for the orders list)."""
    sales = [order for order in rows if order.status in st.SALE_STATUSES]
    delivery = _delivery_paid(business, [order.id for order in sales])
    return {
        order.id: _breakdown(order, delivery.get(order.id) or ZERO)["profit"] for order in sales
    }


def starting_point_prompt(*, business):
    """Ask once for what the business has today (hidden once it is entered)."""
    if current_opening(business) is not None:
        return None
    return {}
