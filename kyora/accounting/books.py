"""Checking the books against everything else Kyora knows, and rebuilding the
entries that follow from order, payment and stock history.

`check_books` is what `flask kyora books check` runs; `rebuild_books` what
`flask kyora books rebuild` runs for businesses whose history predates the
ledger (running it again gives the same books).
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from kyora.accounting import chart as c
from kyora.accounting.ledger import account_ids, business_day, post
from kyora.accounting.models import DailyBalance, JournalEntry, JournalLine, LedgerAccount
from kyora.accounting.queries import balances
from kyora.accounting.replay import replay_history
from kyora.core.db import money_expr
from kyora.core.money import ZERO, quantize, quantum
from kyora.extensions import db
from kyora.inventory.models import StockMovement, Variant
from kyora.orders import status as st
from kyora.orders.models import Order

# Entry kinds that follow from orders, payments and stock (what a rebuild replays).
DERIVED_KINDS = (
    "sale",
    "cancel",
    "return",
    "order_edit",
    "payment",
    "refund",
    "stock_purchase",
    "stock_in",
    "stock_loss",
    "stock_true_up",
)
NON_SALE = (st.PENDING, st.CANCELLED, st.RETURNED)


def _line_balances(business) -> dict[str, Decimal]:
    rows = db.session.execute(
        sa.select(LedgerAccount.code, money_expr(sa.func.sum(JournalLine.amount)))
        .join(LedgerAccount, LedgerAccount.id == JournalLine.account_id)
        .where(JournalLine.business_id == business.id)
        .group_by(LedgerAccount.code)
    ).all()
    return {code: amount for code, amount in rows if amount}


def _rollup_balances(business) -> dict[str, Decimal]:
    rows = db.session.execute(
        sa.select(LedgerAccount.code, money_expr(sa.func.sum(DailyBalance.amount)))
        .join(LedgerAccount, LedgerAccount.id == DailyBalance.account_id)
        .where(DailyBalance.business_id == business.id)
        .group_by(LedgerAccount.code)
    ).all()
    return {code: amount for code, amount in rows if amount}


def expected_inventory(business) -> tuple[Decimal, Decimal]:
    """What the stock ledger says the stock is worth (on the shelf, plus what pending
    orders hold: still the business's goods), and the rounding allowed."""
    value, units = db.session.execute(
        sa.select(
            sa.type_coerce(
                sa.func.coalesce(sa.func.sum(Variant.stock * Variant.avg_cost), 0),
                Variant.avg_cost.type,
            ),
            sa.func.coalesce(sa.func.sum(Variant.stock), 0),
        ).where(Variant.business_id == business.id)
    ).one()
    held = db.session.scalar(
        sa.select(money_expr(sa.func.coalesce(sa.func.sum(Order.cost_total), 0))).where(
            Order.business_id == business.id, Order.status == st.PENDING
        )
    )
    movements = db.session.scalar(
        sa.select(sa.func.count(StockMovement.id)).where(StockMovement.business_id == business.id)
    )
    # Each movement and each order rounds its value to the currency once; averages
    # carry four decimals per unit on the shelf.
    tolerance = quantum(business.currency) * (movements + 1) + Decimal("0.0001") * int(units)
    return quantize(Decimal(value or 0) + held, business.currency), tolerance


def _order_balances(business) -> tuple[Decimal, Decimal]:
    sale, credit = db.session.execute(
        sa.select(
            money_expr(
                sa.func.coalesce(
                    sa.func.sum(
                        sa.case(
                            (Order.status.in_(st.SALE_STATUSES), Order.total - Order.amount_paid),
                            else_=0,
                        )
                    ),
                    0,
                )
            ),
            money_expr(
                sa.func.coalesce(
                    sa.func.sum(sa.case((Order.status.in_(NON_SALE), Order.amount_paid), else_=0)),
                    0,
                )
            ),
        ).where(Order.business_id == business.id)
    ).one()
    return sale, credit


def check_books(business) -> list[str]:
    """Every invariant of the books of `business`; returns what differs (empty: all good)."""
    problems = []
    unbalanced = (
        db.session.execute(
            sa.select(JournalEntry.id)
            .outerjoin(JournalLine, JournalLine.entry_id == JournalEntry.id)
            .where(JournalEntry.business_id == business.id)
            .group_by(JournalEntry.id, JournalEntry.line_count)
            .having(
                sa.or_(
                    sa.func.coalesce(sa.func.sum(JournalLine.amount), 0) != 0,
                    sa.func.count(JournalLine.id) != JournalEntry.line_count,
                )
            )
        )
        .scalars()
        .all()
    )
    if unbalanced:
        problems.append(f"unbalanced entries: {', '.join(str(i) for i in unbalanced[:20])}")
    lines = _line_balances(business)
    total = sum(lines.values(), ZERO)
    if total != ZERO:
        problems.append(f"assets differ from liabilities + equity by {total}")
    rollup = _rollup_balances(business)
    if rollup != lines:
        differing = sorted(
            set(rollup) ^ set(lines) | {k for k in lines if rollup.get(k) != lines[k]}
        )
        problems.append(f"daily totals differ from the lines for: {', '.join(differing)}")
    inventory, tolerance = expected_inventory(business)
    booked = lines.get(c.INVENTORY, ZERO)
    if abs(booked - inventory) > tolerance:
        problems.append(f"stock in the books {booked} but the stock ledger says {inventory}")
    owed, credit = _order_balances(business)
    if lines.get(c.RECEIVABLE, ZERO) != owed:
        problems.append(
            f"customers owe {lines.get(c.RECEIVABLE, ZERO)} in the books but {owed} on orders"
        )
    if -lines.get(c.CUSTOMER_CREDIT, ZERO) != credit:
        problems.append(
            f"paid before confirmation {-lines.get(c.CUSTOMER_CREDIT, ZERO)} in the books "
            f"but {credit} on orders"
        )
    return [f"{business.handle}: {problem}" for problem in problems]


def rebuild_books(business) -> int:
    """Replace the entries that follow from order, payment and stock history with a
    replay of that history; returns the number of entries posted. Idempotent."""
    account_ids(business)
    derived = sa.select(JournalEntry.id).where(
        JournalEntry.business_id == business.id, JournalEntry.kind.in_(DERIVED_KINDS)
    )
    db.session.execute(
        sa.delete(JournalLine)
        .where(JournalLine.entry_id.in_(derived))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        sa.delete(JournalEntry)
        .where(JournalEntry.business_id == business.id, JournalEntry.kind.in_(DERIVED_KINDS))
        .execution_options(synchronize_session=False)
    )
    db.session.execute(sa.delete(DailyBalance).where(DailyBalance.business_id == business.id))
    db.session.execute(
        sa.insert(DailyBalance).from_select(
            ["business_id", "account_id", "day", "kind", "amount"],
            sa.select(
                JournalLine.business_id,
                JournalLine.account_id,
                JournalLine.entry_date,
                JournalEntry.kind,
                sa.func.sum(JournalLine.amount),
            )
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .where(JournalLine.business_id == business.id)
            .group_by(
                JournalLine.business_id,
                JournalLine.account_id,
                JournalLine.entry_date,
                JournalEntry.kind,
            ),
        )
    )
    db.session.expire_all()
    return replay_history(business) + _true_up(business)


def _true_up(business) -> int:
    """Bring the books' stock value in line with the stock ledger after a replay."""
    expected, _tolerance = expected_inventory(business)
    today = business_day(business)
    gap = expected - balances(business, today)[c.INVENTORY]
    if gap == 0:
        return 0
    other = c.CAPITAL if gap > 0 else c.STOCK_LOSSES
    entry = post(
        business,
        "stock_true_up",
        today,
        [(c.INVENTORY, gap), (other, -gap)],
        data={"movement": "true_up"},
    )
    return int(entry is not None)
