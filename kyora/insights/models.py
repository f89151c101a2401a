"""The insights rollups: what was sold per business day, kept as running sums.

`SalesDay` holds one row per (business, dimension, day, key). The dimension says what
the row breaks sales down by:

- `all` (key ""): every sale of the day, plus the customers who bought for the first
  and for the second time that day;
- `channel` (key: the channel), `country` (the customer's country), `city` (the
  delivery city as typed);
- `product` and `variant` (key: the id).

An order counts on the business day it became a sale (`confirmed_at` in the
business's time zone). When it stops being a sale (cancelled, returned) or changes
(edited), that same day is corrected, so these figures always describe the orders as
they are now. (The books count a cancel or return on its own day instead, so a
closed month's profit never changes; profit is always read from the books.)

`CustomerFirsts` remembers, per customer, the days of their first and second sale, so
new and returning customers can be counted per day and moved when an order goes away.
Both tables are rebuilt from the orders by `flask kyora insights rebuild`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kyora.core.db import Base, Money

DIMENSIONS = ("all", "channel", "country", "city", "product", "variant")
KEY_MAX = 100


class SalesDay(Base):
    __tablename__ = "sales_day"
    # Stored in primary-key order on SQLite: a business's days of one dimension are
    # read from one place (see the migration "rollups clustered on their key").
    __table_args__ = {"sqlite_with_rowid": False}

    # The primary key leads with business_id: no separate index is needed.
    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), primary_key=True
    )
    dimension: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date(), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(KEY_MAX), primary_key=True)
    orders: Mapped[int] = mapped_column(default=0)
    units: Mapped[int] = mapped_column(default=0)
    # Net sales: what was sold after discounts, without VAT or delivery fees.
    sales: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    # Cost of the goods sold (their cost when sold).
    cost: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    new_customers: Mapped[int] = mapped_column(default=0)
    returning_customers: Mapped[int] = mapped_column(default=0)


class CustomerFirsts(Base):
    __tablename__ = "customer_firsts"

    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customer.id", ondelete="CASCADE"), primary_key=True
    )
    first_day: Mapped[date | None] = mapped_column(sa.Date())
    second_day: Mapped[date | None] = mapped_column(sa.Date())


class WeeklySummary(Base):
    """A user's weekly summary email: whether they want it and the last week sent
    (the Monday it covers up to), so a restart never sends a week twice."""

    __tablename__ = "weekly_summary"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(default=True)
    last_week: Mapped[date | None] = mapped_column(sa.Date())
