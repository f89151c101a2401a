"""The database's own balance checks, `books check` naming what differs, and
`books rebuild` replaying history into the same books, however often it runs."""

from decimal import Decimal as D

import pytest
import sqlalchemy as sa

from kyora.accounting.books import check_books, rebuild_books
from kyora.accounting.ledger import UnbalancedEntry, business_day, post
from kyora.accounting.models import DailyBalance, JournalEntry, JournalLine, LedgerAccount
from kyora.core.cli import kyora_cli
from kyora.extensions import db
from kyora.orders import services as orders

from .conftest import order


def _some_history(shop):
    sold = order(
        shop,
        [(shop.scarf, 2), (shop.cap, 1)],
        discount_kind="amount",
        discount_value=D("10"),
        shipping_mode="zone",
        shipping_zone_id=shop.zone.id,
        payment="part",
        payment_amount=D("60"),
        payment_method="bank_transfer",
    )
    pending = order(shop, [(shop.scarf, 1)], status="pending")
    orders.record_payment(shop.business, shop.owner, pending, amount=D("20"), method="cod")
    gone = order(shop, [(shop.cap, 1)])
    orders.change_status(shop.business, shop.owner, gone, "shipped")
    orders.change_status(shop.business, shop.owner, gone, "returned", resellable=False)
    orders.refund_payment(shop.business, shop.owner, sold, amount=D("10"), method="bank_transfer")
    db.session.commit()


def test_the_posting_function_refuses_an_unbalanced_entry(shop):
    with pytest.raises(UnbalancedEntry):
        post(
            shop.business,
            "owner_in",
            business_day(shop.business),
            [("cash", 5), ("owner_capital", -4)],
        )


def test_the_database_refuses_lines_that_do_not_balance(shop):
    entry = JournalEntry(
        business_id=shop.business.id,
        entry_date=business_day(shop.business),
        kind="owner_in",
        total=D("5"),
        line_count=2,
    )
    db.session.add(entry)
    db.session.flush()
    cash, capital = (
        db.session.scalar(
            sa.select(LedgerAccount.id).where(
                LedgerAccount.business_id == shop.business.id, LedgerAccount.code == code
            )
        )
        for code in ("cash", "owner_capital")
    )
    rows = [
        {
            "business_id": shop.business.id,
            "entry_id": entry.id,
            "account_id": cash,
            "entry_date": entry.entry_date,
            "amount": D("5"),
        },
        {
            "business_id": shop.business.id,
            "entry_id": entry.id,
            "account_id": capital,
            "entry_date": entry.entry_date,
            "amount": D("-4"),
        },
    ]
    with pytest.raises(sa.exc.DatabaseError):
        db.session.execute(sa.insert(JournalLine), rows)
        db.session.commit()
    db.session.rollback()


def test_journal_lines_can_never_be_changed(shop):
    with pytest.raises(sa.exc.DatabaseError):
        db.session.execute(sa.update(JournalLine).values(amount=JournalLine.amount * 2))
        db.session.commit()
    db.session.rollback()


def test_books_check_names_what_differs(shop):
    _some_history(shop)
    assert check_books(shop.business) == []
    # A rollup row that no longer matches its lines, and stock that changed behind the books.
    db.session.execute(
        sa.update(DailyBalance)
        .where(DailyBalance.business_id == shop.business.id, DailyBalance.kind == "payment")
        .values(amount=DailyBalance.amount + 1)
    )
    shop.scarf.stock += 5
    db.session.commit()
    problems = check_books(shop.business)
    assert any("daily totals differ" in problem for problem in problems)
    assert any("stock in the books" in problem for problem in problems)


def test_books_check_command_exits_non_zero(app, shop):
    _some_history(shop)
    runner = app.test_cli_runner()
    result = runner.invoke(kyora_cli, ["books", "check"])
    assert result.exit_code == 0, result.output
    db.session.execute(
        sa.update(DailyBalance)
        .where(DailyBalance.business_id == shop.business.id)
        .values(amount=DailyBalance.amount + 1)
    )
    db.session.commit()
    result = runner.invoke(kyora_cli, ["books", "check"])
    assert result.exit_code == 1
    assert shop.business.handle in result.output


def _snapshot(shop):
    return dict(shop.balances())


def test_rebuild_replays_history_into_the_same_books_every_time(app, shop):
    _some_history(shop)
    before = _snapshot(shop)
    # Books that started late: nothing posted from the history yet.
    db.session.execute(sa.delete(JournalLine).where(JournalLine.business_id == shop.business.id))
    db.session.execute(sa.delete(JournalEntry).where(JournalEntry.business_id == shop.business.id))
    db.session.execute(sa.delete(DailyBalance).where(DailyBalance.business_id == shop.business.id))
    db.session.commit()
    assert check_books(shop.business) != []

    runner = app.test_cli_runner()
    result = runner.invoke(kyora_cli, ["books", "rebuild"])
    assert result.exit_code == 0, result.output
    assert {k: v for k, v in _snapshot(shop).items() if v} == {k: v for k, v in before.items() if v}
    assert check_books(shop.business) == []
    entries = db.session.scalar(sa.select(sa.func.count(JournalEntry.id)))

    assert rebuild_books(shop.business) > 0
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(JournalEntry.id))) == entries
    assert {k: v for k, v in _snapshot(shop).items() if v} == {k: v for k, v in before.items() if v}


def test_a_new_business_gets_its_chart(shop):
    from kyora.accounting.models import LedgerAccount
    from kyora.businesses import services as businesses

    fresh = businesses.create_business(
        shop.owner.workspace, shop.owner, "Second Shop", "second-shop", "AE"
    )
    codes = db.session.scalars(
        sa.select(LedgerAccount.code).where(LedgerAccount.business_id == fresh.id)
    ).all()
    assert {"cash", "bank", "receivable", "inventory", "vat", "sales", "exp_rent"} <= set(codes)
