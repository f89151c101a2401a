"""Figures of the cash movement, VAT and profit-per-order reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from kyora.accounting import chart as c
from kyora.accounting import queries
from kyora.accounting.models import Expense
from kyora.core.db import money_expr
from kyora.core.money import ZERO
from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.orders import status as st
from kyora.orders.models import Order

# Which entry kinds make up each line of the cash movement report.
CASH_GROUPS = (
    ("customers", _l("Customers paid you"), ("payment", "refund")),
    ("owner_in", _l("You put in"), ("owner_in",)),
    ("opening", _l("You started with"), ("opening", "opening_reversal")),
    ("stock", _l("You bought stock"), ("stock_purchase",)),
    ("expenses", _l("You paid expenses"), ("expense", "expense_reversal")),
    ("equipment", _l("You bought equipment"), ("equipment",)),
    ("owner_out", _l("You took out"), ("owner_out",)),
)


@dataclass
class CashMovement:
    opening: Decimal
    closing: Decimal
    lines: list = field(default_factory=list)  # [(key, label, amount)], fees split out
    fees: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.closing - self.opening

    @property
    def money_in(self) -> Decimal:
        return sum((a for _k, _l, a in self.lines if a > 0), ZERO)

    @property
    def money_out(self) -> Decimal:
        return -sum((a for _k, _l, a in self.lines if a < 0), ZERO) + self.fees


def cash_movement(business, start: date, end: date) -> CashMovement:
    """Money in and out of cash and bank by kind; lines add up to the change in cash."""
    moved = queries.period_by_kind(business, start, end, (*c.CASH_ACCOUNTS, c.FEES))
    before = queries.balances(business, start - timedelta(days=1))
    after = queries.balances(business, end)
    totals: dict[str, Decimal] = {}
    for (code, kind), amount in moved.items():
        if code in c.CASH_ACCOUNTS:
            totals[kind] = totals.get(kind, ZERO) + amount
    # Payment fees come out of what customers paid: shown apart so both are visible.
    fees = moved[(c.FEES, "payment")] + moved[(c.FEES, "refund")]
    lines, grouped = [], set()
    for key, label, kinds in CASH_GROUPS:
        amount = sum((totals.get(kind, ZERO) for kind in kinds), ZERO)
        if key == "customers":
            amount += fees
        grouped.update(kinds)
        if amount:
            lines.append((key, label, amount))
    other = sum((amount for kind, amount in totals.items() if kind not in grouped), ZERO)
    if other:
        lines.append(("other", _l("Other"), other))
    return CashMovement(
        opening=before[c.CASH] + before[c.BANK],
        closing=after[c.CASH] + after[c.BANK],
        lines=lines,
        fees=fees,
    )


@dataclass
class Vat:
    collected: Decimal
    owed: Decimal


def vat(business, start: date, end: date) -> Vat:
    """VAT on the period's sales (net of cancellations and returns) and VAT owed at its end."""
    moved = queries.period_sums(business, start, end)
    return Vat(collected=-moved[c.VAT], owed=-queries.balances(business, end)[c.VAT])


def _utc_bounds(business, start: date, end: date) -> tuple[datetime, datetime]:
    try:
        zone = ZoneInfo(business.timezone or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return (
        datetime.combine(start, time.min, zone),
        datetime.combine(end + timedelta(days=1), time.min, zone),
    )


def order_profits(business, start: date, end: date, limit: int = 10):
    """(least profitable, most profitable) sales confirmed in the period: each row has
    the order id, number, customer, sale, cost, fees, delivery paid and profit."""
    low, high = _utc_bounds(business, start, end)
    delivery = (
        sa.select(sa.func.coalesce(sa.func.sum(Expense.amount), 0))
        .where(
            Expense.business_id == business.id,
            Expense.order_id == Order.id,
            Expense.deleted_at.is_(None),
        )
        .correlate(Order)
        .scalar_subquery()
    )
    # Without VAT, whether it was added on top or inside the prices; delivery included.
    sale = Order.total - Order.vat
    profit = sale - Order.cost_total - Order.fees - delivery
    base = (
        sa.select(
            Order.id,
            Order.number,
            Customer.name.label("customer"),
            money_expr(sale).label("sale"),
            Order.cost_total.label("cost"),
            Order.fees.label("fees"),
            money_expr(delivery).label("delivery"),
            money_expr(profit).label("profit"),
        )
        .outerjoin(Customer, Customer.id == Order.customer_id)
        .where(
            Order.business_id == business.id,
            Order.status.in_(st.SALE_STATUSES),
            Order.confirmed_at >= low,
            Order.confirmed_at < high,
        )
    )
    least = db.session.execute(base.order_by(profit.asc(), Order.id).limit(limit)).all()
    most = db.session.execute(base.order_by(profit.desc(), Order.id).limit(limit)).all()
    return least, most
