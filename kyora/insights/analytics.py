"""The figures of the analytics pages: sales, customers and stock for a period.

Everything is read from the sales rollup (`sales_day`), the books' daily balances and
the catalog, never from the orders, so each page costs the same few queries whether
the business has ten orders or a million (the tests count them). Charts get one point
per day, week or month of the period (see periods.py), summed here from daily rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from kyora.accounting.periods import Period
from kyora.core.money import ZERO
from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.insights import queries
from kyora.insights.home import low_product_count, named_products
from kyora.insights.models import SalesDay
from kyora.insights.periods import Bucket, bucket_index, buckets, previous
from kyora.insights.rollup import Delta
from kyora.inventory.models import Product, Variant

TOP = 10
PACE_DAYS = 30  # days of stock left are read at the pace of the last 30 days
SLOW_DAYS = 60  # in stock and nothing sold for this long: a slow mover
URGENT_ROWS = 20
SELL_THROUGH_ROWS = 20


@dataclass
class Point:
    """One bucket of a chart: what sold in it and, for those who may see it, the profit."""

    bucket: Bucket
    sold: Delta
    profit: Decimal | None = None


def change(now: Decimal | int, before: Decimal | int) -> Decimal | None:
    """How far `now` moved from `before`, as a share of it (None: nothing to compare)."""
    if not before:
        return None
    return (Decimal(now) - Decimal(before)) / abs(Decimal(before))


def ratio(part, whole) -> Decimal | None:
    """part ÷ whole, or None when the whole is nothing."""
    if not whole or whole <= 0:
        return None
    return Decimal(part) / Decimal(whole)


def points(business, period: Period, *, with_profit: bool) -> list[Point]:
    """The period in buckets: the rollup's days (and the books' profit) summed into each."""
    found = buckets(period)
    index = bucket_index(found)
    result = [Point(bucket, Delta(), ZERO if with_profit else None) for bucket in found]
    for day, sold in queries.by_day(business, period.start, period.end).items():
        result[index(day)].sold.add(sold)
    if with_profit:
        for day, amount in queries.profit_by_day(business, period.start, period.end).items():
            result[index(day)].profit += amount
    return result


def _sold(items) -> list[tuple[str, Delta]]:
    """Rows that still hold a sale (a cancelled day can leave a row of zeros)."""
    return [(key, delta) for key, delta in items if delta.orders > 0 or delta.sales]


# ---- Sales ---------------------------------------------------------------------


@dataclass
class SalesFigures:
    period: Period
    before: Period
    now: Delta
    then: Delta
    points: list[Point]
    profit_now: Decimal | None = None
    profit_then: Decimal | None = None
    channels: list = field(default_factory=list)  # [(channel, Delta)], most sales first
    products: list = field(default_factory=list)  # [(product with id and name, Delta)]
    countries: list = field(default_factory=list)  # [(country code, Delta)]
    cities: list = field(default_factory=list)  # [(city, Delta)]

    @property
    def average(self) -> Decimal | None:
        return None if self.now.orders <= 0 else self.now.sales / self.now.orders

    @property
    def average_before(self) -> Decimal | None:
        return None if self.then.orders <= 0 else self.then.sales / self.then.orders


def sales(business, period: Period, *, with_profit: bool) -> SalesFigures:
    """Sales of the period against the same number of days before it, over time, and by
    channel, product (the top ten by sales), country and city."""
    before = previous(period)
    ranges = {"now": (period.start, period.end), "before": (before.start, before.end)}
    totals = queries.totals(business, ranges)
    profits = queries.profits(business, ranges) if with_profit else {}
    start, end = period.start, period.end
    channels = _sold(queries.by_key(business, "channel", start, end).items())
    return SalesFigures(
        period=period,
        before=before,
        now=totals["now"],
        then=totals["before"],
        points=points(business, period, with_profit=with_profit),
        profit_now=profits.get("now"),
        profit_then=profits.get("before"),
        channels=sorted(channels, key=lambda item: (-item[1].sales, -item[1].orders, item[0])),
        products=named_products(
            business, queries.top(business, "product", start, end, by="sales", limit=TOP)
        ),
        countries=queries.top(business, "country", start, end, limit=TOP),
        cities=queries.top(business, "city", start, end, limit=TOP),
    )


# ---- Customers -----------------------------------------------------------------


@dataclass
class CustomerFigures:
    period: Period
    points: list[Point]
    buyers: int  # customers who ever bought
    repeaters: int  # of them, those who came back for a second order
    lifetime_sales: Decimal
    top: list = field(default_factory=list)  # [Customer], most spent first

    @property
    def new(self) -> int:
        return sum(point.sold.new_customers for point in self.points)

    @property
    def returning(self) -> int:
        return sum(point.sold.returning_customers for point in self.points)

    @property
    def repeat_rate(self) -> Decimal | None:
        return ratio(self.repeaters, self.buyers)

    @property
    def lifetime_value(self) -> Decimal | None:
        """What a customer has bought on average, all time (net sales ÷ buyers)."""
        return None if self.buyers <= 0 else self.lifetime_sales / self.buyers


def top_customers(business, limit: int = TOP) -> list[Customer]:
    """The customers who spent most, by their kept totals (an index answers it)."""
    return list(
        db.session.scalars(
            sa.select(Customer)
            .where(Customer.business_id == business.id, Customer.total_spent > 0)
            .order_by(Customer.total_spent.desc(), Customer.id)
            .limit(limit)
        )
    )


def customers(business, period: Period) -> CustomerFigures:
    """New and returning customers of the period; repeat rate, lifetime value and the
    best customers of all time."""
    life = queries.lifetime(business)
    return CustomerFigures(
        period=period,
        points=points(business, period, with_profit=False),
        buyers=max(0, life.new_customers),
        repeaters=max(0, life.returning_customers),
        lifetime_sales=life.sales,
        top=top_customers(business),
    )


# ---- Stock ---------------------------------------------------------------------


@dataclass
class StockValue:
    units: int
    cost: Decimal  # units × average cost
    retail: Decimal  # units × selling price


@dataclass
class SellThrough:
    product: Product
    sold: int
    on_hand: int

    @property
    def rate(self) -> Decimal | None:
        return ratio(self.sold, self.sold + self.on_hand)


@dataclass
class SlowMover:
    variant: Variant
    value: Decimal  # what its stock cost


@dataclass
class Pace:
    """A variant's stock against what it sold in the last PACE_DAYS days."""

    variant: Variant
    sold: int

    @property
    def days_left(self) -> int | None:
        """Whole days the stock lasts at the recent pace (None: no recent sales)."""
        if self.sold <= 0:
            return None
        return max(0, self.variant.stock) * PACE_DAYS // self.sold

    @property
    def reorder(self) -> int:
        """Enough for the next PACE_DAYS days at the same pace, minus the stock."""
        return max(0, self.sold - max(0, self.variant.stock))


@dataclass
class StockFigures:
    period: Period
    today: date
    value: StockValue
    low_products: int
    slow_count: int
    sell_through: list[SellThrough] = field(default_factory=list)
    slow: list[SlowMover] = field(default_factory=list)
    paces: list[Pace] = field(default_factory=list)


def _active(business):
    return sa.and_(
        Variant.business_id == business.id,
        Variant.archived_at.is_(None),
        Product.archived_at.is_(None),
    )


def _cost_of(expr):
    return sa.type_coerce(sa.func.coalesce(sa.func.sum(expr), 0), Variant.avg_cost.type)


def stock_value(business) -> StockValue:
    """Units on hand of the active catalog, at average cost and at selling price."""
    units, cost, retail = db.session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(Variant.stock), 0),
            _cost_of(Variant.stock * Variant.avg_cost),
            sa.type_coerce(
                sa.func.coalesce(sa.func.sum(Variant.stock * Variant.price), 0), Variant.price.type
            ),
        )
        .join(Product, Product.id == Variant.product_id)
        .where(_active(business))
    ).one()
    return StockValue(int(units or 0), cost or ZERO, retail or ZERO)


def _units_by_key(business, dimension: str, start: date, end: date):
    """Subquery: units sold per key of a rollup dimension over some days."""
    units = sa.func.sum(SalesDay.units)
    return (
        sa.select(SalesDay.key.label("key"), units.label("units"))
        .where(
            SalesDay.business_id == business.id,
            SalesDay.dimension == dimension,
            SalesDay.day >= start,
            SalesDay.day <= end,
        )
        .group_by(SalesDay.key)
        .having(units > 0)
        .subquery()
    )


def sell_through(business, period: Period) -> list[SellThrough]:
    """Products that sold in the period: units sold ÷ (sold + on hand now), highest
    first (the products selling out fastest)."""
    sold = _units_by_key(business, "product", period.start, period.end)
    on_hand = (
        sa.select(Variant.product_id.label("product_id"), sa.func.sum(Variant.stock).label("units"))
        .where(Variant.business_id == business.id, Variant.archived_at.is_(None))
        .group_by(Variant.product_id)
        .subquery()
    )
    stock = sa.func.coalesce(on_hand.c.units, 0)
    rate = sa.cast(sold.c.units, sa.Float) / (sold.c.units + stock)
    rows = db.session.execute(
        sa.select(Product, sold.c.units, stock)
        .join(sold, sold.c.key == sa.cast(Product.id, sa.String))
        .outerjoin(on_hand, on_hand.c.product_id == Product.id)
        .where(Product.business_id == business.id)
        .order_by(rate.desc(), sold.c.units.desc(), Product.id)
        .limit(SELL_THROUGH_ROWS)
    ).all()
    return [SellThrough(product, int(units), max(0, int(left))) for product, units, left in rows]


def _variants(business):
    return (
        sa.select(Variant)
        .join(Product, Product.id == Variant.product_id)
        .options(contains_eager(Variant.product))
        .where(_active(business))
    )


def slow_movers(business, today: date) -> tuple[list[SlowMover], int]:
    """Variants in stock that sold nothing in the last SLOW_DAYS days, the ones holding
    the most money first, and how many there are in all."""
    start = today - timedelta(days=SLOW_DAYS - 1)
    recent = _units_by_key(business, "variant", start, today)
    value = sa.type_coerce(Variant.stock * Variant.avg_cost, Variant.avg_cost.type)
    rows = db.session.execute(
        _variants(business)
        .add_columns(value, sa.func.count().over())
        .where(
            Variant.stock > 0,
            sa.cast(Variant.id, sa.String).not_in(sa.select(recent.c.key)),
        )
        .order_by(value.desc(), Variant.stock.desc(), Variant.id)
        .limit(TOP)
    ).all()
    movers = [SlowMover(variant, amount) for variant, amount, _count in rows]
    return movers, (rows[0][2] if rows else 0)


def paces(business, today: date) -> list[Pace]:
    """Days of stock left per variant at the last PACE_DAYS days' pace, the most urgent
    first; variants without recent sales come after, emptiest first."""
    start = today - timedelta(days=PACE_DAYS - 1)
    recent = _units_by_key(business, "variant", start, today)
    sold = sa.func.coalesce(recent.c.units, 0)
    rows = db.session.execute(
        _variants(business)
        .add_columns(sold)
        .outerjoin(recent, recent.c.key == sa.cast(Variant.id, sa.String))
        .order_by(
            sa.case((sold > 0, 0), else_=1),
            sa.cast(Variant.stock, sa.Float) / sa.case((sold > 0, sold), else_=1),
            Variant.stock,
            Product.name,
            Variant.id,
        )
        .limit(URGENT_ROWS)
    ).all()
    return [Pace(variant, int(units)) for variant, units in rows]


def stock(business, period: Period, today: date) -> StockFigures:
    """What the stock is worth, what sells through, what sits, and what runs out when."""
    slow, slow_count = slow_movers(business, today)
    return StockFigures(
        period=period,
        today=today,
        value=stock_value(business),
        low_products=low_product_count(business),
        slow_count=slow_count,
        sell_through=sell_through(business, period),
        slow=slow,
        paces=paces(business, today),
    )
