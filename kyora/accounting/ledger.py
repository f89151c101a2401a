"""The one way into the books: `post()` writes a balanced entry, its lines and the
daily rollup in the caller's transaction; `reverse()` posts its mirror image.

The database checks balance too. PostgreSQL: a deferred constraint trigger on
`journal_line` verifies, at commit, that each touched entry's lines sum to zero
and number `line_count`. SQLite has no deferred triggers, so a row trigger
checks when an entry's last declared line arrives (count = `line_count`): the
lines must then sum to zero with debits equal to the entry's `total`, and no
line may be added beyond it. On both, lines can never be updated.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from kyora.accounting.chart import ensure_chart, posting_accounts
from kyora.accounting.models import DailyBalance, JournalEntry, JournalLine, LedgerAccount
from kyora.core.db import add_to_sums, utcnow
from kyora.core.money import ZERO, quantize
from kyora.extensions import db

SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER journal_line_balanced AFTER INSERT ON journal_line
    WHEN (SELECT count(*) FROM journal_line WHERE entry_id = NEW.entry_id)
         >= (SELECT line_count FROM journal_entry WHERE id = NEW.entry_id)
    BEGIN
      SELECT RAISE(ABORT, 'journal entry does not balance')
      WHERE (SELECT count(*) FROM journal_line WHERE entry_id = NEW.entry_id)
              > (SELECT line_count FROM journal_entry WHERE id = NEW.entry_id)
         OR (SELECT sum(amount) FROM journal_line WHERE entry_id = NEW.entry_id) <> 0
         OR (SELECT sum(amount) FROM journal_line WHERE entry_id = NEW.entry_id AND amount > 0)
              <> (SELECT total FROM journal_entry WHERE id = NEW.entry_id);
    END
    """,
    """
    CREATE TRIGGER journal_line_immutable BEFORE UPDATE ON journal_line
    BEGIN SELECT RAISE(ABORT, 'journal lines are never changed'); END
    """,
)
POSTGRES_TRIGGERS = (
    """
    CREATE OR REPLACE FUNCTION journal_entry_balanced() RETURNS trigger AS $$
    BEGIN
      IF (SELECT coalesce(sum(amount), 0) FROM journal_line WHERE entry_id = NEW.entry_id) <> 0
         OR (SELECT count(*) FROM journal_line WHERE entry_id = NEW.entry_id)
            <> (SELECT line_count FROM journal_entry WHERE id = NEW.entry_id) THEN
        RAISE EXCEPTION USING MESSAGE = 'journal entry ' || NEW.entry_id || ' does not balance';
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE CONSTRAINT TRIGGER journal_line_balanced AFTER INSERT ON journal_line
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_entry_balanced()
    """,
    """
    CREATE OR REPLACE FUNCTION journal_line_immutable() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'journal lines are never changed'; END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER journal_line_immutable BEFORE UPDATE ON journal_line
    FOR EACH ROW EXECUTE FUNCTION journal_line_immutable()
    """,
)


def _create_triggers(target, connection, **kw):
    statements = POSTGRES_TRIGGERS if connection.dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        connection.exec_driver_sql(statement)


# Tests build the schema with create_all; the migration runs the same statements.
sa.event.listen(JournalLine.__table__, "after_create", _create_triggers)


class UnbalancedEntry(Exception):
    """A posting whose lines do not sum to zero: a bug, never a user error."""


def business_day(business, when: datetime | None = None) -> date:
    """The date of `when` (default: now) in the business's time zone."""
    when = when or utcnow()
    try:
        zone = ZoneInfo(business.timezone or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return when.astimezone(zone).date()


DAILY_KEY = ("business_id", "account_id", "day", "kind")


def _roll_up(business_id: int, day: date, kind: str, amounts: dict[int, Decimal]) -> None:
    rows = [
        {
            "business_id": business_id,
            "account_id": account_id,
            "day": day,
            "kind": kind,
            "amount": a,
        }
        for account_id, a in amounts.items()
    ]
    add_to_sums(db.session, DailyBalance, DAILY_KEY, ("amount",), rows)


def _post_ids(
    business, kind, day, amounts: dict[int, Decimal], *, source, memo, actor, data, reverses
) -> JournalEntry | None:
    amounts = {
        account_id: quantize(amount, business.currency)
        for account_id, amount in amounts.items()
        if quantize(amount, business.currency) != ZERO
    }
    if not amounts:
        return None
    if sum(amounts.values(), ZERO) != ZERO or len(amounts) < 2:
        raise UnbalancedEntry(f"{kind}: {amounts}")
    source_type, source_id = source if source else (None, None)
    entry = JournalEntry(
        business_id=business.id,
        entry_date=day,
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        memo=(memo or "")[:300] or None,
        data=data,
        total=sum((a for a in amounts.values() if a > 0), ZERO),
        line_count=len(amounts),
        reverses_id=reverses.id if reverses is not None else None,
        actor_id=actor.id if actor is not None else None,
    )
    db.session.add(entry)
    db.session.flush()
    db.session.execute(
        sa.insert(JournalLine),
        [
            {
                "business_id": business.id,
                "entry_id": entry.id,
                "account_id": account_id,
                "entry_date": day,
                "amount": amount,
            }
            for account_id, amount in amounts.items()
        ],
    )
    _roll_up(business.id, day, kind, amounts)
    return entry


def post(
    business,
    kind: str,
    day: date,
    lines,
    *,
    source: tuple[str, int] | None = None,
    memo: str | None = None,
    actor=None,
    data: dict | None = None,
) -> JournalEntry | None:
    """Write one balanced entry: `lines` is [(account code, signed amount), ...]
    (debit > 0 > credit); lines on the same account are added together and zero
    lines dropped. Returns None when nothing is left to post."""
    accounts = posting_accounts(business)
    return post_to(
        business,
        kind,
        day,
        [(accounts[code], amount) for code, amount in lines],
        source=source,
        memo=memo,
        actor=actor,
        data=data,
    )


def post_to(
    business, kind: str, day: date, lines, *, source=None, memo=None, actor=None, data=None
) -> JournalEntry | None:
    """Like `post`, with accounts given as `LedgerAccount` rows (expense categories)."""
    amounts: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for account, amount in lines:
        amounts[account.id] += Decimal(amount)
    return _post_ids(
        business,
        kind,
        day,
        amounts,
        source=source,
        memo=memo,
        actor=actor,
        data=data,
        reverses=None,
    )


def reverse(
    business, entry: JournalEntry, kind: str, day: date, *, actor=None, memo=None
) -> JournalEntry | None:
    """Post the mirror image of `entry` on `day` (the correction of an immutable entry)."""
    lines = db.session.execute(
        sa.select(JournalLine.account_id, JournalLine.amount).where(
            JournalLine.entry_id == entry.id
        )
    ).all()
    amounts = {row.account_id: -row.amount for row in lines}
    return _post_ids(
        business,
        kind,
        day,
        amounts,
        source=(entry.source_type, entry.source_id) if entry.source_type else None,
        memo=memo or entry.memo,
        actor=actor,
        data=entry.data,
        reverses=entry,
    )


def account_ids(business) -> dict[str, int]:
    """Account ids by code (creating the chart if it is missing)."""
    return {code: account.id for code, account in ensure_chart(business).items()}


def accounts_by_id(business) -> dict[int, LedgerAccount]:
    """The business's accounts by id."""
    return {account.id: account for account in ensure_chart(business).values()}
