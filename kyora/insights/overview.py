"""The workspace overview: each business's month in one line (sales, profit, orders to
ship), three grouped queries over the rollups and the kept order counts, whatever the
number of businesses or orders."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from kyora.accounting.ledger import business_day
from kyora.accounting.models import EXPENSE, INCOME, DailyBalance, LedgerAccount
from kyora.core.db import money_expr
from kyora.core.money import ZERO
from kyora.extensions import db
from kyora.insights.models import SalesDay
from kyora.orders import status as st
from kyora.orders.models import OrderCount


@dataclass
class BusinessMonth:
    business: object
    sales: Decimal
    orders: int
    profit: Decimal | None
    to_ship: int


def _month_condition(business_id, day, businesses):
    """Each business's own month so far (their time zones may differ)."""
    parts = []
    for business in businesses:
        today = business_day(business)
        parts.append(sa.and_(business_id == business.id, day >= today.replace(day=1), day <= today))
    return sa.or_(*parts)


def overview(businesses, *, with_money: bool) -> list[BusinessMonth]:
    if not businesses:
        return []
    ids = [business.id for business in businesses]
    sales = {
        row[0]: (row[1], row[2])
        for row in db.session.execute(
            sa.select(
                SalesDay.business_id,
                money_expr(sa.func.coalesce(sa.func.sum(SalesDay.sales), 0)),
                sa.func.coalesce(sa.func.sum(SalesDay.orders), 0),
            )
            .where(
                SalesDay.dimension == "all",
                _month_condition(SalesDay.business_id, SalesDay.day, businesses),
            )
            .group_by(SalesDay.business_id)
        )
    }
    profits = {}
    if with_money:
        profits = dict(
            db.session.execute(
                sa.select(
                    DailyBalance.business_id,
                    money_expr(sa.func.coalesce(sa.func.sum(DailyBalance.amount), 0)),
                )
                .join(LedgerAccount, LedgerAccount.id == DailyBalance.account_id)
                .where(
                    LedgerAccount.type.in_((INCOME, EXPENSE)),
                    _month_condition(DailyBalance.business_id, DailyBalance.day, businesses),
                )
                .group_by(DailyBalance.business_id)
            ).all()
        )
    to_ship = dict(
        db.session.execute(
            sa.select(OrderCount.business_id, sa.func.sum(OrderCount.count))
            .where(OrderCount.business_id.in_(ids), OrderCount.status.in_(st.TO_SHIP_STATUSES))
            .group_by(OrderCount.business_id)
        ).all()
    )
    return [
        BusinessMonth(
            business=business,
            sales=sales.get(business.id, (ZERO, 0))[0],
            orders=sales.get(business.id, (ZERO, 0))[1],
            profit=-(profits.get(business.id) or ZERO) if with_money else None,
            to_ship=to_ship.get(business.id, 0),
        )
        for business in businesses
    ]
