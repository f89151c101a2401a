"""The ledger's tables: accounts, journal entries and lines, the daily rollup,
expenses and recurring expenses.

Line amounts are signed: a debit is positive, a credit negative, so an entry
balances when its lines sum to zero and an account's balance is the sum of its
lines. `DailyBalance` keeps that sum per (business, account, day, entry kind),
written in the same transaction as each entry, so reports add up a few hundred
rollup rows instead of every line.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kyora.accounts.models import User
from kyora.core.db import Base, Money, TimestampMixin, UTCDateTime, utcnow

ASSET, LIABILITY, EQUITY, INCOME, EXPENSE = "asset", "liability", "equity", "income", "expense"
ACCOUNT_TYPES = (ASSET, LIABILITY, EQUITY, INCOME, EXPENSE)
PAID_FROM = ("cash", "bank")
FREQUENCIES = ("daily", "weekly", "monthly", "yearly")


class LedgerAccount(Base):
    """One account of a business's chart, keyed by a stable code ("cash", "sales",
    "exp_rent"); built-in names are translated at display time, custom expense
    categories carry their own name."""

    __tablename__ = "ledger_account"
    __table_args__ = (
        sa.UniqueConstraint("business_id", "code"),
        sa.CheckConstraint(f"type IN {ACCOUNT_TYPES!r}", name="type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(40))
    type: Mapped[str] = mapped_column(sa.String(10))
    # Only custom expense categories have a name of their own.
    name: Mapped[str | None] = mapped_column(sa.String(80))
    # True for the accounts the expense form offers as categories.
    is_category: Mapped[bool] = mapped_column(default=False)
    archived: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)


class JournalEntry(Base):
    """One business event in the books. Never changed: a correction is a new entry
    that reverses it (`reverses_id`)."""

    __tablename__ = "journal_entry"
    __table_args__ = (
        sa.CheckConstraint("line_count >= 2", name="line_count"),
        sa.CheckConstraint("total > 0", name="total_positive"),
        sa.Index("ix_journal_entry_business_newest", "business_id", "entry_date", "id"),
        # The newest entry of a kind (the starting point in force).
        sa.Index("ix_journal_entry_business_kind", "business_id", "kind", "id"),
        sa.Index("ix_journal_entry_source", "business_id", "source_type", "source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(sa.ForeignKey("business.id", ondelete="CASCADE"))
    # The business date (in the business's time zone) the event belongs to.
    entry_date: Mapped[date] = mapped_column(sa.Date())
    kind: Mapped[str] = mapped_column(sa.String(24))
    source_type: Mapped[str | None] = mapped_column(sa.String(20))
    source_id: Mapped[int | None] = mapped_column()
    memo: Mapped[str | None] = mapped_column(sa.String(300))
    # Words for the activity list (customer name, order number, category...).
    data: Mapped[dict | None] = mapped_column(sa.JSON())
    # Σ debits (= Σ credits) and the number of lines: the database checks both.
    total: Mapped[Decimal] = mapped_column(Money())
    line_count: Mapped[int] = mapped_column()
    reverses_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("journal_entry.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship()
    lines: Mapped[list[JournalLine]] = relationship(
        back_populates="entry", order_by="JournalLine.id", passive_deletes=True
    )


class JournalLine(Base):
    """One side of an entry: a signed amount on one account (debit > 0 > credit)."""

    __tablename__ = "journal_line"
    __table_args__ = (
        sa.CheckConstraint("amount <> 0", name="amount_nonzero"),
        sa.Index("ix_journal_line_entry", "entry_id"),
        sa.Index("ix_journal_line_business_account_day", "business_id", "account_id", "entry_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(sa.ForeignKey("business.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("journal_entry.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("ledger_account.id", ondelete="CASCADE"), index=True
    )
    entry_date: Mapped[date] = mapped_column(sa.Date())
    amount: Mapped[Decimal] = mapped_column(Money())

    entry: Mapped[JournalEntry] = relationship(back_populates="lines")


class DailyBalance(Base):
    """Σ line amounts per business, account, day and entry kind."""

    __tablename__ = "daily_balance"
    # Stored in primary-key order on SQLite, like the sales rollup.
    __table_args__ = {"sqlite_with_rowid": False}

    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(
        sa.ForeignKey("ledger_account.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(sa.Date(), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(24), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))


class RecurringExpense(TimestampMixin, Base):
    """An expense booked on its own every day, week, month or year from `start_on`."""

    __tablename__ = "recurring_expense"
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint(f"frequency IN {FREQUENCIES!r}", name="frequency"),
        sa.CheckConstraint(f"paid_from IN {PAID_FROM!r}", name="paid_from"),
        sa.CheckConstraint("end_on IS NULL OR end_on >= start_on", name="end_after_start"),
        sa.Index("ix_recurring_expense_due", "business_id", "next_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("ledger_account.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    paid_from: Mapped[str] = mapped_column(sa.String(8), default="cash")
    note: Mapped[str | None] = mapped_column(sa.String(300))
    frequency: Mapped[str] = mapped_column(sa.String(8))
    start_on: Mapped[date] = mapped_column(sa.Date())
    end_on: Mapped[date | None] = mapped_column(sa.Date())
    # The next date to book (None once it has ended).
    next_on: Mapped[date | None] = mapped_column(sa.Date())
    # How many times it has been booked: the next date is start + count periods.
    booked_count: Mapped[int] = mapped_column(default=0)
    paused: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    account: Mapped[LedgerAccount] = relationship()


class Expense(TimestampMixin, Base):
    """Money spent on running the business; its entry is reversed when it is
    edited or deleted (a deleted expense stays, marked, so past reports explain)."""

    __tablename__ = "expense"
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint(f"paid_from IN {PAID_FROM!r}", name="paid_from"),
        sa.UniqueConstraint("recurring_id", "occurrence"),
        sa.Index("ix_expense_business_spent", "business_id", "spent_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("ledger_account.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    spent_on: Mapped[date] = mapped_column(sa.Date())
    paid_from: Mapped[str] = mapped_column(sa.String(8), default="cash")
    note: Mapped[str | None] = mapped_column(sa.String(300))
    receipt_key: Mapped[str | None] = mapped_column(sa.String(200))
    # Delivery paid for one order: counted in that order's profit.
    order_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("sales_order.id", ondelete="SET NULL"), index=True
    )
    recurring_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("recurring_expense.id", ondelete="SET NULL")
    )
    # Which booking of its recurring expense this is (unique: catch-up books once).
    occurrence: Mapped[int | None] = mapped_column()
    entry_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("journal_entry.id", ondelete="SET NULL")
    )
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )

    account: Mapped[LedgerAccount] = relationship()
