"""Ledger reads: balances and period sums, all from the daily rollup.

Every function here is one or two SQL aggregates over `daily_balance` for one
business, so its cost follows the number of (account, day, kind) rows, not the
number of orders or journal lines.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import lru_cache

import sqlalchemy as sa

from kyora.accounting.models import DailyBalance, JournalEntry, LedgerAccount
from kyora.core.db import money_expr, read_columns
from kyora.core.money import ZERO
from kyora.extensions import db


def _sum(expr=None):
    return money_expr(
        sa.func.coalesce(sa.func.sum(expr if expr is not None else DailyBalance.amount), 0)
    )


def _by_account(business, *conditions) -> dict[str, Decimal]:
    rows = db.session.execute(
        sa.select(LedgerAccount.code, _sum())
        .join(LedgerAccount, LedgerAccount.id == DailyBalance.account_id)
        .where(DailyBalance.business_id == business.id, *conditions)
        .group_by(LedgerAccount.code)
    ).all()
    return defaultdict(lambda: ZERO, {code: amount for code, amount in rows})


def balances(business, as_of: date) -> dict[str, Decimal]:
    """Each account's balance at the end of `as_of` (debit > 0 > credit), by code."""
    return _by_account(business, DailyBalance.day <= as_of)


def period_sums(business, start: date, end: date) -> dict[str, Decimal]:
    """Each account's movement from `start` to `end` inclusive, by code."""
    return _by_account(business, DailyBalance.day >= start, DailyBalance.day <= end)


def period_by_kind(business, start: date, end: date, codes) -> dict[tuple[str, str], Decimal]:
    """Movement of the accounts `codes` per entry kind from `start` to `end`."""
    rows = db.session.execute(
        sa.select(LedgerAccount.code, DailyBalance.kind, _sum())
        .join(LedgerAccount, LedgerAccount.id == DailyBalance.account_id)
        .where(
            DailyBalance.business_id == business.id,
            DailyBalance.day >= start,
            DailyBalance.day <= end,
            LedgerAccount.code.in_(list(codes)),
        )
        .group_by(LedgerAccount.code, DailyBalance.kind)
    ).all()
    return defaultdict(lambda: ZERO, {(code, kind): amount for code, kind, amount in rows})


def expense_sums(business, start: date, end: date) -> list[tuple[LedgerAccount, Decimal]]:
    """Expense accounts with their movement from `start` to `end` (non-zero only)."""
    rows = db.session.execute(
        sa.select(LedgerAccount, _sum())
        .join(LedgerAccount, LedgerAccount.id == DailyBalance.account_id)
        .where(
            DailyBalance.business_id == business.id,
            DailyBalance.day >= start,
            DailyBalance.day <= end,
            LedgerAccount.type == "expense",
        )
        .group_by(LedgerAccount.id)
        .order_by(LedgerAccount.position, LedgerAccount.id)
    ).all()
    return [(account, amount) for account, amount in rows if amount != ZERO]


@lru_cache(maxsize=4)
def _home_sums_statement(spent_codes: tuple[str, ...]):
    """Built once per set of codes; the business and the days are bound parameters."""
    month = sa.case((DailyBalance.day >= sa.bindparam("month_start"), DailyBalance.amount), else_=0)
    recent = sa.case(
        (
            sa.and_(
                DailyBalance.day >= sa.bindparam("buffer_start"),
                LedgerAccount.type == "expense",
                LedgerAccount.code.not_in(spent_codes),
            ),
            DailyBalance.amount,
        ),
        else_=0,
    )
    return (
        sa.select(LedgerAccount.code, _sum(), _sum(month), _sum(recent))
        .join(LedgerAccount, LedgerAccount.id == DailyBalance.account_id)
        .where(
            DailyBalance.business_id == sa.bindparam("business"),
            DailyBalance.day <= sa.bindparam("today"),
        )
        .group_by(LedgerAccount.code)
    )


def home_sums(
    business, today: date, month_start: date, buffer_start: date, spent_codes
) -> tuple[dict[str, Decimal], dict[str, Decimal], Decimal]:
    """One pass for the money home: balances today, this month's movement per
    account, and what was spent (on `spent_codes`' complement of expenses) since
    `buffer_start`."""
    rows = read_columns(
        db.session,
        _home_sums_statement(tuple(sorted(spent_codes))),
        {
            "business": business.id,
            "today": today,
            "month_start": month_start,
            "buffer_start": buffer_start,
        },
    ).all()
    totals = defaultdict(lambda: ZERO)
    months = defaultdict(lambda: ZERO)
    spent = ZERO
    for code, total, this_month, recent_spent in rows:
        totals[code], months[code] = total, this_month
        spent += recent_spent
    return totals, months, spent


def recent_entries(business, limit: int = 10) -> list[JournalEntry]:
    """The latest entries by business date (what happened lately, for the activity list)."""
    return list(
        db.session.scalars(
            sa.select(JournalEntry)
            .where(JournalEntry.business_id == business.id)
            .order_by(JournalEntry.entry_date.desc(), JournalEntry.id.desc())
            .limit(limit)
        )
    )
