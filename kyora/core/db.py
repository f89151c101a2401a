"""Declarative base, naming convention and the exact column types Kyora relies on.

`Money` and `Rate` are `Decimal` in Python on every engine. PostgreSQL stores them
as NUMERIC; SQLite has no exact decimal, so they are stored there as integers
scaled by 10**scale, which keeps `SUM()` in SQL exact. `UTCDateTime` always hands
back timezone-aware UTC datetimes.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (the only kind Kyora stores)."""
    return datetime.now(UTC)


class _ScaledDecimal(TypeDecorator):
    """An exact decimal: NUMERIC where the engine has it, a scaled integer on SQLite."""

    impl = sa.Numeric
    cache_ok = True
    scale = 3

    def __init__(self, scale: int | None = None):
        if scale is not None:
            self.scale = scale
        super().__init__()
        self._quantum = Decimal(1).scaleb(-self.scale)

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.BigInteger())
        return dialect.type_descriptor(sa.Numeric(20, self.scale, asdecimal=True))

    def __repr__(self) -> str:
        # Migrations render the type from its repr: keep a non-default scale in it.
        name = type(self).__name__
        return f"{name}()" if self.scale == type(self).scale else f"{name}(scale={self.scale})"

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("Money and rates must be Decimal, never float")
        value = Decimal(value).quantize(self._quantum, rounding=ROUND_HALF_UP)
        if dialect.name == "sqlite":
            return int(value.scaleb(self.scale))
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale).quantize(self._quantum)
        return Decimal(value).quantize(self._quantum)

    def process_literal_param(self, value, dialect):
        return str(self.process_bind_param(value, dialect))

    @property
    def python_type(self):
        return Decimal

    def coerce_compared_value(self, op, value):
        # Keep comparisons against literals going through this type's binding.
        return self


class Money(_ScaledDecimal):
    """An amount of money (up to 3 decimals, the largest currency minor unit).

    Averages (such as a variant's weighted cost) use `Money(scale=4)`.
    """

    scale = 3
    cache_ok = True


class Rate(_ScaledDecimal):
    """A rate such as VAT or a fee percentage, stored as a fraction (0.05 = 5%)."""

    scale = 6
    cache_ok = True


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every engine."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use kyora.core.db.utcnow()")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class BusinessScoped:
    """A row that belongs to one business: an indexed `business_id`, deleted with the
    business. Every business table uses it (a test checks); reads go through
    `core.tenancy.scoped()` / `get_or_404()`, so another tenant's id is a 404."""

    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), index=True
    )


class TimestampMixin:
    """`created_at` / `updated_at` columns maintained by the ORM."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


def read_columns(session, statement, params=None):
    """Run a SELECT of plain columns (no mapped entities) on the session's connection.

    The ORM's per-statement work (compile state, loading options, result wrapping) buys
    nothing for rows of figures, and on a page of a dozen aggregates it costs as much as
    the SQL. Pending changes are flushed first, as the session would."""
    session.flush()
    return session.connection().execute(statement, params)


def transaction_memo(session, key: str) -> dict:
    """A dict for what is worth doing once per database transaction (the chart of
    accounts read for postings, a shop's catalog bump), kept in `session.info` under
    `key` and empty again when the next transaction begins.

    While a savepoint is open the caller gets a copy: it still sees what the
    transaction remembered, but what it adds is dropped, since the savepoint's rollback
    could undo the work it stands for."""
    transaction = session.get_transaction()
    held = session.info.get(key)
    if held is None or held[0] is not transaction:
        held = (transaction, {})
        session.info[key] = held
    return dict(held[1]) if session.get_nested_transaction() is not None else held[1]


def already_loaded(session, model, ids, *relations: str) -> dict | None:
    """The rows of `model` with these primary keys as the session already holds them
    (with `relations` loaded too), or None when any is missing, stale or being deleted.

    Within one unit of work a second SELECT of the same rows returns these very objects
    without refreshing them, so a caller that finds them all can skip the round trip.
    """
    mapper = sa.inspect(model)
    columns = set(mapper.column_attrs.keys())
    found = {}
    for ident in ids:
        row = session.identity_map.get(identity_key(model, ident))
        if row is None:
            return None
        state = sa.inspect(row)
        unloaded = state.unloaded
        if state.deleted or state.was_deleted or row in session.deleted:
            return None
        if not columns.isdisjoint(unloaded) or not unloaded.isdisjoint(relations):
            return None
        found[ident] = row
    return found


def add_to_sums(executor, model, keys: tuple[str, ...], sums: tuple[str, ...], rows) -> None:
    """Add each row's `sums` to the stored row with the same `keys`, creating it if
    missing (INSERT ... ON CONFLICT DO UPDATE SET sum = sum + excluded.sum).

    One statement per batch of rows (the driver's executemany), built and compiled
    once per table: a multi-row VALUES list would be compiled anew on every call.
    The keys of `rows` must be unique.
    """
    if rows:
        # A session or a connection (inside a flush hook).
        dialect = executor.dialect if isinstance(executor, sa.Connection) else None
        dialect = dialect or executor.get_bind().dialect
        executor.execute(_adding_upsert(dialect.name, model, keys, sums), rows)


@functools.lru_cache(maxsize=32)
def _adding_upsert(dialect: str, model, keys: tuple[str, ...], sums: tuple[str, ...]):
    from sqlalchemy.dialects import postgresql, sqlite

    table = sa.inspect(model).local_table if hasattr(model, "__mapper__") else model
    statement = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    return statement.on_conflict_do_update(
        index_elements=list(keys),
        set_={name: table.c[name] + statement.excluded[name] for name in sums},
    )


def money_expr(expr) -> sa.ColumnElement:
    """Mark a SQL expression (e.g. `qty * unit_cost`) as Money so results load exactly."""
    return sa.type_coerce(expr, Money())


class _ContainsText(sa.sql.expression.ColumnElement):
    """`column` contains a pattern, case aside (see `contains_text`)."""

    inherit_cache = True
    type = sa.Boolean()
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("pattern", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column, pattern):
        self.column = column
        self.pattern = pattern


@compiles(_ContainsText)
def _contains_text(element, compiler, **kw):
    return compiler.process(element.column.ilike(element.pattern, escape="/"), **kw)


@compiles(_ContainsText, "sqlite")
def _contains_text_sqlite(element, compiler, **kw):
    # SQLite's LIKE already ignores case as far as its lower() can (ASCII), so
    # `lower(x) LIKE lower(y)` finds the same rows at twice the cost.
    return compiler.process(element.column.like(element.pattern, escape="/"), **kw)


def contains_text(column, text: str) -> sa.ColumnElement[bool]:
    """SQL: `column` contains `text`, whatever the case (ILIKE on PostgreSQL)."""
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return _ContainsText(column, sa.bindparam(None, f"%{escaped}%", type_=sa.String()))


# SQLite statistics. The query planner picks indexes from `sqlite_stat1`; without it, a
# query can take a plausible but unselective index (the order page once read all of a
# business's payments through their date index). SQLite gathers statistics only when
# told to: Kyora runs `PRAGMA optimize` — a no-op unless a table the connection used has
# no statistics yet or has grown much since — when a connection opens, every
# OPTIMIZE_EVERY returns to the pool, and before it closes; bulk loads run ANALYZE.
# PostgreSQL needs none of this: autovacuum analyzes its tables.
OPTIMIZE_EVERY = 500
# Rows examined per index by an ANALYZE that `optimize` starts: enough for good
# estimates, quick on a million-order database (SQLite suggests 100-1000).
ANALYSIS_LIMIT = 1000


def sqlite_statistics_at_open(dbapi_connection) -> None:
    """Bound the cost of automatic ANALYZE and refresh statistics a new connection will
    rely on (0x10002: check every table, SQLite's advice for long-lived connections)."""
    dbapi_connection.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    _optimize(dbapi_connection, "PRAGMA optimize=0x10002")


@sa.event.listens_for(sa.pool.Pool, "checkin")
def _optimize_now_and_then(dbapi_connection, connection_record) -> None:
    if not _is_sqlite(dbapi_connection):
        return
    returns = connection_record.info.get("kyora_returns", 0) + 1
    connection_record.info["kyora_returns"] = returns
    if returns % OPTIMIZE_EVERY == 0:
        _optimize(dbapi_connection, "PRAGMA optimize")


@sa.event.listens_for(sa.pool.Pool, "close")
def _optimize_before_close(dbapi_connection, connection_record) -> None:
    if _is_sqlite(dbapi_connection):
        _optimize(dbapi_connection, "PRAGMA optimize")


def _is_sqlite(dbapi_connection) -> bool:
    return isinstance(dbapi_connection, sqlite3.Connection)


def _optimize(dbapi_connection, pragma: str) -> None:
    # A busy or read-only database keeps its statistics until the next chance; a page
    # must not fail for them.
    with contextlib.suppress(sqlite3.Error):
        dbapi_connection.execute(pragma).fetchall()
