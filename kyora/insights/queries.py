"""Reads of the sales rollup and of the books for the insights pages.

Each function is one aggregate over `sales_day` (or the ledger's `daily_balance`)
for one business and a range of days, so its cost follows the number of days and
keys in the range, never the number of orders.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from functools import lru_cache

import sqlalchemy as sa

from kyora.accounting.models import EXPENSE, INCOME, DailyBalance, LedgerAccount
from kyora.core.db import money_expr, read_columns
from kyora.core.money import ZERO
from kyora.extensions import db
from kyora.insights.models import SalesDay
from kyora.insights.rollup import COUNTERS, Delta

MONEY = ("sales", "cost")


def _sum(name: str, condition=None):
    column = getattr(SalesDay, name)
    value = column if condition is None else sa.case((condition, column), else_=0)
    total = sa.func.coalesce(sa.func.sum(value), 0)
    return money_expr(total) if name in MONEY else total


def _delta(values) -> Delta:
    return Delta(**dict(zip(COUNTERS, values, strict=True)))


def _in(start: date, end: date):
    return sa.and_(SalesDay.day >= start, SalesDay.day <= end)


@lru_cache(maxsize=32)
def _totals_statement(names: tuple[str, ...]):
    """One SELECT summing every counter for each named period; the periods' bounds are
    bound parameters, so the statement is built (and compiled) once per set of names."""
    columns = [
        _sum(counter, _in(sa.bindparam(f"{name}_start"), sa.bindparam(f"{name}_end")))
        for name in names
        for counter in COUNTERS
    ]
    return sa.select(*columns).where(
        SalesDay.business_id == sa.bindparam("business"),
        SalesDay.dimension == "all",
        _in(sa.bindparam("first"), sa.bindparam("last")),
    )


def _bounds(business, periods: dict[str, tuple[date, date]]) -> dict:
    params = {
        "business": business.id,
        "first": min(start for start, _end in periods.values()),
        "last": max(end for _start, end in periods.values()),
    }
    for name, (start, end) in periods.items():
        params[f"{name}_start"], params[f"{name}_end"] = start, end
    return params


def totals(business, periods: dict[str, tuple[date, date]]) -> dict[str, Delta]:
    """Every sale counter for each named period, in one pass over the days they cover."""
    if not periods:
        return {}
    row = read_columns(
        db.session, _totals_statement(tuple(periods)), _bounds(business, periods)
    ).one()
    size = len(COUNTERS)
    return {
        name: _delta(row[index * size : (index + 1) * size]) for index, name in enumerate(periods)
    }


def lifetime(business) -> Delta:
    """Every sale counter since the business began (buyers = new customers ever)."""
    row = read_columns(
        db.session,
        sa.select(*[_sum(name) for name in COUNTERS]).where(
            SalesDay.business_id == business.id, SalesDay.dimension == "all"
        ),
    ).one()
    return _delta(row)


def _in_range():
    """Rows of one business and dimension between two days (all bound parameters)."""
    return sa.and_(
        SalesDay.business_id == sa.bindparam("business"),
        SalesDay.dimension == sa.bindparam("dimension"),
        _in(sa.bindparam("start"), sa.bindparam("end")),
    )


@lru_cache(maxsize=8)
def _by_day_statement():
    return (
        sa.select(SalesDay.day, SalesDay.key, *[_sum(name) for name in COUNTERS])
        .where(_in_range())
        .group_by(SalesDay.day, SalesDay.key)
    )


@lru_cache(maxsize=8)
def _by_key_statement():
    return (
        sa.select(SalesDay.key, *[_sum(name) for name in COUNTERS])
        .where(_in_range())
        .group_by(SalesDay.key)
    )


@lru_cache(maxsize=16)
def _top_statement(by: str, limit: int):
    measure = _sum(by)
    return (
        _by_key_statement().having(measure > 0).order_by(measure.desc(), SalesDay.key).limit(limit)
    )


def _params(business, dimension: str, start: date, end: date) -> dict:
    return {"business": business.id, "dimension": dimension, "start": start, "end": end}


def by_day(business, start: date, end: date, dimension: str = "all") -> dict:
    """{day: Delta} (dimension "all") or {(day, key): Delta} for another dimension."""
    rows = read_columns(
        db.session, _by_day_statement(), _params(business, dimension, start, end)
    ).all()
    if dimension == "all":
        return {row[0]: _delta(row[2:]) for row in rows}
    return {(row[0], row[1]): _delta(row[2:]) for row in rows}


def by_key(business, dimension: str, start: date, end: date) -> dict[str, Delta]:
    """{key: Delta} of a dimension over a period (every key that sold)."""
    rows = read_columns(
        db.session, _by_key_statement(), _params(business, dimension, start, end)
    ).all()
    return {row[0]: _delta(row[1:]) for row in rows}


def top(business, dimension: str, start: date, end: date, *, by: str = "sales", limit: int = 5):
    """The `limit` keys of a dimension that sold most (by "sales" or "units")."""
    rows = read_columns(
        db.session, _top_statement(by, limit), _params(business, dimension, start, end)
    ).all()
    return [(row[0], _delta(row[1:])) for row in rows]


def _profit_amount(condition):
    value = (
        DailyBalance.amount
        if condition is None
        else sa.case((condition, DailyBalance.amount), else_=0)
    )
    return money_expr(sa.func.coalesce(sa.func.sum(value), 0))


@lru_cache(maxsize=32)
def _profits_statement(names: tuple[str, ...]):
    columns = [
        _profit_amount(
            sa.and_(
                DailyBalance.day >= sa.bindparam(f"{name}_start"),
                DailyBalance.day <= sa.bindparam(f"{name}_end"),
            )
        )
        for name in names
    ]
    return (
        sa.select(*columns)
        .join(LedgerAccount, LedgerAccount.id == DailyBalance.account_id)
        .where(
            DailyBalance.business_id == sa.bindparam("business"),
            LedgerAccount.type.in_((INCOME, EXPENSE)),
            DailyBalance.day >= sa.bindparam("first"),
            DailyBalance.day <= sa.bindparam("last"),
        )
    )


def profits(business, periods: dict[str, tuple[date, date]]):
    """Profit (income − costs and expenses, from the books) for each named period, in
    one pass: the negated movement of every income and expense account."""
    if not periods:
        return {}
    row = read_columns(
        db.session, _profits_statement(tuple(periods)), _bounds(business, periods)
    ).one()
    return {name: -(row[index] or ZERO) for index, name in enumerate(periods)}


@lru_cache(maxsize=2)
def _profit_by_day_statement():
    return (
        sa.select(DailyBalance.day, _profit_amount(None))
        .join(LedgerAccount, LedgerAccount.id == DailyBalance.account_id)
        .where(
            DailyBalance.business_id == sa.bindparam("business"),
            LedgerAccount.type.in_((INCOME, EXPENSE)),
            DailyBalance.day >= sa.bindparam("start"),
            DailyBalance.day <= sa.bindparam("end"),
        )
        .group_by(DailyBalance.day)
    )


def profit_by_day(business, start: date, end: date) -> dict[date, object]:
    """{day: profit} from the books, for the days that moved."""
    rows = read_columns(
        db.session,
        _profit_by_day_statement(),
        {"business": business.id, "start": start, "end": end},
    ).all()
    result = defaultdict(lambda: ZERO)
    result.update({day: -amount for day, amount in rows})
    return result
