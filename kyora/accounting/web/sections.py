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


def order_profit(*, business, order):
    """Sale − cost of goods − payment fees − delivery the seller paid, for a sale."""
    if order.status not in st.SALE_STATUSES:
        return None
    delivery = db.session.scalar(
        sa.select(money_expr(sa.func.coalesce(sa.func.sum(Expense.amount), 0))).where(
            Expense.business_id == business.id,
            Expense.order_id == order.id,
            Expense.deleted_at.is_(None),
        )
    )
    delivery = delivery or ZERO
    sold = OrderAmounts.of(order).net_sales
    return {
        "sold": sold,
        "shipping": order.shipping,
        "cost": order.cost_total,
        "fees": order.fees,
        "delivery": delivery,
        "profit": sold + order.shipping - order.cost_total - order.fees - delivery,
    }


def starting_point_prompt(*, business):
    """Ask once for what the business has today (hidden once it is entered)."""
    if current_opening(business) is not None:
        return None
    return {}
