"""The business home's figures: today, this week and this month, what needs doing,
and the best sellers and customers. A fixed number of queries whatever the size of
the business (the tests count them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

import sqlalchemy as sa

from kyora.accounting import figures
from kyora.accounting.ledger import business_day
from kyora.core.db import read_columns
from kyora.core.money import ZERO
from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.insights import queries
from kyora.insights.rollup import Delta
from kyora.inventory.models import Product, Variant
from kyora.orders import status as st
from kyora.orders.models import Order, OrderCount
from kyora.orders.totals import DUE_PAYMENT_STATUSES

EVER = date(2000, 1, 1)
CHART_DAYS = 30
KPI_PERIODS = ("today", "week", "month")


def home_periods(today: date) -> dict[str, tuple[date, date]]:
    """Today, this week (from Monday), this month, the same days of last month, the
    last seven days and all time."""
    month_start = today.replace(day=1)
    last_month_end = month_start - timedelta(days=1)
    last_month_start = last_month_end.replace(day=1)
    same_day_last_month = min(today.day, last_month_end.day)
    return {
        "today": (today, today),
        "week": (today - timedelta(days=today.weekday()), today),
        "month": (month_start, today),
        "last_month_so_far": (last_month_start, last_month_start.replace(day=same_day_last_month)),
        "ever": (EVER, today),
    }


@dataclass
class Home:
    today: date
    sales: dict[str, Delta]
    profit: dict[str, Decimal]
    money: figures.Home | None
    to_ship: int
    owed_orders: int
    low_products: int
    top_products: list = field(default_factory=list)  # [((id, name), Delta)]
    top_customers: list = field(default_factory=list)  # [(id, name, total_spent)]
    channels: list = field(default_factory=list)  # [(channel, Delta)]
    low_stock: list = field(default_factory=list)  # [(product_id, product, options, stock)]
    ship_next: list = field(default_factory=list)  # [(id, number, total, customer)]
    chart_days: list = field(default_factory=list)  # [(day, Delta, profit)]

    @property
    def is_new(self) -> bool:
        """Nothing sold yet: the home shows first steps instead of empty figures."""
        return self.sales["ever"].orders <= 0

    def average(self, period: str) -> Decimal | None:
        delta = self.sales[period]
        return None if delta.orders <= 0 else delta.sales / delta.orders


def _kept(condition):
    """Orders counted in `order_count` (kept by the orders domain) under `condition`."""
    return (
        sa.select(sa.func.coalesce(sa.func.sum(OrderCount.count), 0))
        .where(OrderCount.business_id == sa.bindparam("business"), condition)
        .scalar_subquery()
    )


def _low_products():
    threshold = sa.func.coalesce(Variant.low_stock_threshold, sa.bindparam("threshold"))
    return (
        sa.select(sa.func.count(sa.distinct(Variant.product_id)))
        .join(Product, Product.id == Variant.product_id)
        .where(
            Variant.business_id == sa.bindparam("business"),
            Variant.archived_at.is_(None),
            Product.archived_at.is_(None),
            Variant.stock <= threshold,
        )
        .scalar_subquery()
    )


@lru_cache(maxsize=1)
def _counts_statement():
    to_ship = _kept(OrderCount.status.in_(st.TO_SHIP_STATUSES))
    owed = _kept(
        sa.and_(
            OrderCount.status.in_(st.SALE_STATUSES),
            OrderCount.payment_status.in_(DUE_PAYMENT_STATUSES),
        )
    )
    return sa.select(to_ship, owed, _low_products())


@lru_cache(maxsize=1)
def _low_statement():
    return sa.select(_low_products())


def _params(business) -> dict:
    return {"business": business.id, "threshold": business.low_stock_threshold}


def counts(business) -> tuple[int, int, int]:
    """(orders to ship, sales waiting for payment, products running low), in one
    statement: the orders from the kept counts, the products by index."""
    row = read_columns(db.session, _counts_statement(), _params(business)).one()
    return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)


def low_product_count(business) -> int:
    """How many products have a variant at or below its low-stock level."""
    return int(read_columns(db.session, _low_statement(), _params(business)).scalar() or 0)


@lru_cache(maxsize=1)
def _named_statement():
    return sa.select(Product.id, Product.name).where(
        Product.business_id == sa.bindparam("business"),
        Product.id.in_(sa.bindparam("ids", expanding=True)),
    )


def named_products(business, rows) -> list:
    """[(product row (id, name), Delta)] for rollup rows keyed by product id (one query)."""
    ids = [int(key) for key, _delta in rows]
    if not ids:
        return []
    found = read_columns(db.session, _named_statement(), {"business": business.id, "ids": ids})
    products = {product.id: product for product in found}
    return [(products[int(key)], delta) for key, delta in rows if int(key) in products]


# The lists below are built once (bound parameters), so a request only binds values:
# the home issues a dozen small statements and their construction would otherwise
# cost as much as running them.
@lru_cache(maxsize=1)
def _top_customers_statement():
    return (
        sa.select(Customer.id, Customer.name, Customer.total_spent)
        .where(Customer.business_id == sa.bindparam("business"), Customer.total_spent > 0)
        .order_by(Customer.total_spent.desc(), Customer.id)
        .limit(sa.bindparam("limit"))
    )


def top_customers(business, limit: int = 5) -> list:
    """The customers who spent most with the business (their kept totals, by index):
    rows of (id, name, total_spent)."""
    return read_columns(
        db.session, _top_customers_statement(), {"business": business.id, "limit": limit}
    ).all()


@lru_cache(maxsize=1)
def _to_ship_statement():
    return (
        sa.select(Order.id, Order.number, Order.total, Customer.name.label("customer"))
        .outerjoin(Customer, Customer.id == Order.customer_id)
        .where(
            Order.business_id == sa.bindparam("business"),
            Order.status.in_(st.TO_SHIP_STATUSES),
        )
        .order_by(Order.created_at, Order.id)
        .limit(sa.bindparam("limit"))
    )


def orders_to_ship(business, limit: int = 5) -> list:
    """The oldest sales still waiting to leave: rows of (id, number, total, customer)."""
    return read_columns(
        db.session, _to_ship_statement(), {"business": business.id, "limit": limit}
    ).all()


@lru_cache(maxsize=1)
def _low_stock_statement():
    return (
        sa.select(
            Variant.product_id,
            Product.name.label("product"),
            Variant.options_label.label("options"),
            Variant.stock,
        )
        .join(Product, Product.id == Variant.product_id)
        .where(
            Variant.business_id == sa.bindparam("business"),
            Variant.archived_at.is_(None),
            Product.archived_at.is_(None),
            Variant.stock
            <= sa.func.coalesce(Variant.low_stock_threshold, sa.bindparam("threshold")),
        )
        .order_by(Variant.stock, Product.name, Variant.id)
        .limit(sa.bindparam("limit"))
    )


def low_stock(business, limit: int = 5) -> list:
    """Active variants at or below their low-stock level, emptiest first: rows of
    (product_id, product, options, stock)."""
    return read_columns(
        db.session, _low_stock_statement(), {**_params(business), "limit": limit}
    ).all()


def chart_days(business, today: date, with_profit: bool) -> list:
    """[(day, Delta, profit or None)] for the last CHART_DAYS days, oldest first."""
    start = today - timedelta(days=CHART_DAYS - 1)
    sales = queries.by_day(business, start, today)
    profit = queries.profit_by_day(business, start, today) if with_profit else {}
    days = [start + timedelta(days=offset) for offset in range(CHART_DAYS)]
    return [
        (day, sales.get(day) or Delta(), profit.get(day, ZERO) if with_profit else None)
        for day in days
    ]


def build_home(business, *, with_money: bool, today: date | None = None) -> Home:
    """Everything the business home shows. `with_money` adds profit, cash and what
    customers owe (from the books): never for members."""
    today = today or business_day(business)
    periods = home_periods(today)
    sales = queries.totals(business, periods)
    profit = queries.profits(business, periods) if with_money else {}
    to_ship, owed, low = counts(business)
    month_start, _end = periods["month"]
    return Home(
        today=today,
        sales=sales,
        profit=profit,
        money=figures.home(business, today) if with_money else None,
        to_ship=to_ship,
        owed_orders=owed,
        low_products=low,
        top_products=named_products(
            business, queries.top(business, "product", month_start, today, by="units")
        ),
        top_customers=top_customers(business),
        channels=sorted(
            queries.by_key(business, "channel", month_start, today).items(),
            key=lambda item: (-item[1].sales, item[0]),
        ),
        low_stock=low_stock(business),
        ship_next=orders_to_ship(business),
        chart_days=chart_days(business, today, with_money),
    )
