"""Property: whatever happens to orders, payments, stock, expenses and the owner's
money, every entry balances, what the business owns equals what it owes plus the
owner's stake on every day, cash movement adds up to the change in cash, the money
home agrees with the reports, and `books check` passes."""

from datetime import timedelta
from decimal import Decimal as D

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyora.accounting import figures, queries
from kyora.accounting.books import check_books
from kyora.accounting.chart import CASH_ACCOUNTS, categories
from kyora.accounting.expenses import ExpenseDraft, create_expense, delete_expense
from kyora.accounting.ledger import business_day
from kyora.accounting.models import DailyBalance
from kyora.accounting.owner import OwnerDraft, put_money_in, take_money_out
from kyora.accounting.recurring import RecurringDraft, create_recurring
from kyora.core.errors import DomainError
from kyora.extensions import db
from kyora.inventory import services as inventory
from kyora.orders import services as orders
from kyora.orders.models import Order

from .conftest import order

amounts = st.decimals(min_value=D("0.01"), max_value=D("400"), places=2)
steps = st.lists(
    st.one_of(
        st.tuples(
            st.just("order"),
            st.sampled_from(["pending", "confirmed"]),
            st.integers(1, 3),
            st.integers(0, 2),
            st.sampled_from(["none", "part", "full"]),
            st.sampled_from(["cod", "bank_transfer"]),
        ),
        st.tuples(st.just("confirm"), st.integers(0, 9)),
        st.tuples(
            st.just("pay"), st.integers(0, 9), amounts, st.sampled_from(["cod", "bank_transfer"])
        ),
        st.tuples(st.just("refund"), st.integers(0, 9), amounts),
        st.tuples(st.just("edit"), st.integers(0, 9), st.integers(1, 3)),
        st.tuples(st.just("cancel"), st.integers(0, 9)),
        st.tuples(st.just("return"), st.integers(0, 9), st.booleans()),
        st.tuples(
            st.just("purchase"), st.integers(1, 5), st.decimals(min_value=1, max_value=40, places=2)
        ),
        st.tuples(st.just("damaged"), st.integers(1, 2)),
        st.tuples(st.just("expense"), amounts, st.integers(0, 40), st.booleans()),
        st.tuples(
            st.just("recurring"),
            amounts,
            st.integers(0, 40),
            st.sampled_from(["weekly", "monthly"]),
        ),
        st.tuples(st.just("owner_in"), amounts),
        st.tuples(st.just("owner_out"), amounts),
    ),
    min_size=1,
    max_size=14,
)


def _nth_order(shop, n):
    ids = db.session.scalars(
        sa.select(Order.id).where(Order.business_id == shop.business.id).order_by(Order.id)
    ).all()
    return db.session.get(Order, ids[n % len(ids)]) if ids else None


def _apply(shop, step):
    kind, *args = step
    business, owner = shop.business, shop.owner
    today = business_day(business)
    if kind == "order":
        status, scarves, caps, pay, method = args
        lines = [(shop.scarf, scarves)] + ([(shop.cap, caps)] if caps else [])
        fields = {"status": status, "shipping_mode": "zone", "shipping_zone_id": shop.zone.id}
        if pay != "none":
            fields.update(payment=pay, payment_method=method, payment_amount=D("20"))
        order(shop, lines, **fields)
        return
    if kind in ("confirm", "pay", "refund", "edit", "cancel", "return"):
        target = _nth_order(shop, args[0])
        if target is None:
            return
        if kind == "confirm":
            orders.change_status(business, owner, target, "confirmed")
        elif kind == "pay":
            orders.record_payment(
                business, owner, target, amount=args[1], method=args[2], allow_overpay=True
            )
        elif kind == "refund":
            orders.refund_payment(business, owner, target, amount=min(args[1], target.amount_paid))
        elif kind == "edit":
            draft = orders.draft_from_order(target, list(target.items))
            draft.lines = [orders.DraftLine(shop.scarf.id, args[1], D("45"))]
            orders.update_order(business, owner, target, draft)
        elif kind == "cancel":
            orders.change_status(business, owner, target, "cancelled")
        else:
            if target.status in ("confirmed", "ready"):
                orders.change_status(business, owner, target, "shipped")
            orders.change_status(business, owner, target, "returned", resellable=args[1])
        return
    if kind == "purchase":
        inventory.restock(business, owner, shop.cap.id, args[0], args[1], paid=True)
    elif kind == "damaged":
        inventory.adjust_stock(business, owner, shop.scarf.id, "damaged", quantity=args[0])
    elif kind == "expense":
        category = categories(business)[args[1] % 5]
        expense = create_expense(
            business,
            owner,
            ExpenseDraft(args[0], category.id, today - timedelta(days=args[1]), "cash"),
        )
        if args[2]:
            delete_expense(business, owner, expense)
    elif kind == "recurring":
        category = categories(business)[1]
        create_recurring(
            business,
            owner,
            RecurringDraft(
                args[0], category.id, "bank", "", args[2], today - timedelta(days=args[1])
            ),
        )
    elif kind == "owner_in":
        put_money_in(business, owner, OwnerDraft(args[0], today, "cash"))
    elif kind == "owner_out":
        take_money_out(business, owner, OwnerDraft(args[0], today, "bank", confirmed=True))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=steps)
def test_any_sequence_keeps_the_books_whole(shop, sequence):
    business = shop.business
    business.created_at -= timedelta(days=60)
    db.session.commit()
    for step in sequence:
        try:
            with db.session.begin_nested():
                _apply(shop, step)
        except DomainError:
            pass
        db.session.flush()

    assert check_books(business) == []
    today = business_day(business)
    days = db.session.scalars(
        sa.select(DailyBalance.day).where(DailyBalance.business_id == business.id).distinct()
    ).all()
    for day in days:
        health = figures.health(business, day)
        assert health.total_own == health.total_owe + health.stake, day

    start = today - timedelta(days=45)
    before = queries.balances(business, start - timedelta(days=1))
    after = queries.balances(business, today)
    moved = queries.period_by_kind(business, start, today, CASH_ACCOUNTS)
    change = sum((after[code] - before[code] for code in CASH_ACCOUNTS), D(0))
    assert sum(moved.values(), D(0)) == change

    profit = figures.profit(business, today.replace(day=1), today)
    home = figures.home(business, today)
    assert home.month_profit == profit.net_profit
    assert home.cash_in_hand == after["cash"] + after["bank"]
    # The period's profit is exactly what it added to the owner's earnings.
    period = figures.profit(business, start, today).net_profit
    earned = figures.health(business, today).earnings
    assert earned - figures.health(business, start - timedelta(days=1)).earnings == period
    db.session.rollback()
