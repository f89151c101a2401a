"""Expenses and expense categories.

An expense posts "category ← cash or bank". Editing it reverses its entry and
posts the new one; deleting reverses it and marks the row deleted (it stays in
the list, struck through, so past reports can be explained). Reversals carry
the original date: the expense's own period shows what really happened.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.accounting import chart as c
from kyora.accounting.inputs import check_amount, check_day, check_note, one_line
from kyora.accounting.ledger import post_to, reverse
from kyora.accounting.models import EXPENSE, PAID_FROM, Expense, JournalEntry, LedgerAccount
from kyora.accounting.receipts import store_receipt
from kyora.core.db import utcnow
from kyora.core.errors import ValidationFailed
from kyora.core.tenancy import id_or_none
from kyora.extensions import db
from kyora.orders.models import Order

CATEGORY_NAME_MAX = 60


@dataclass
class ExpenseDraft:
    """What the expense form says. `receipt` is an image already checked and encoded."""

    amount: object = None
    category_id: object = None
    spent_on: object = None
    paid_from: str = "cash"
    note: str = ""
    order_number: object = None
    receipt: bytes | None = None
    remove_receipt: bool = False


@dataclass
class _Clean:
    amount: object
    account: LedgerAccount
    spent_on: date
    paid_from: str
    note: str | None
    order_id: int | None


def check_category(business, category_id) -> LedgerAccount:
    """The expense category with this id, or ValidationFailed on `category_id`."""
    account_id = id_or_none(category_id)
    account = (
        db.session.scalar(
            sa.select(LedgerAccount).where(
                LedgerAccount.id == account_id,
                LedgerAccount.business_id == business.id,
                LedgerAccount.is_category.is_(True),
            )
        )
        if account_id is not None
        else None
    )
    if account is None:
        raise ValidationFailed({"category_id": _("Choose a category.")})
    return account


def _order_id(business, number) -> int | None:
    text = str(number or "").strip().lstrip("#")
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise ValidationFailed({"order_number": _("Enter an order number, like 1001.")})
    order_id = db.session.scalar(
        sa.select(Order.id).where(Order.business_id == business.id, Order.number == int(text))
    )
    if order_id is None:
        raise ValidationFailed({"order_number": _("There is no order #%(number)s.", number=text)})
    return order_id


def check_expense(business, draft: ExpenseDraft) -> _Clean:
    """Every field of `draft` checked (all wrong fields reported at once)."""
    errors, values = {}, {}
    checks = {
        "amount": lambda: check_amount(business, draft.amount),
        "category_id": lambda: check_category(business, draft.category_id),
        "spent_on": lambda: check_day(business, draft.spent_on, "spent_on"),
        "note": lambda: check_note(draft.note),
        "order_number": lambda: _order_id(business, draft.order_number),
    }
    for name, check in checks.items():
        try:
            values[name] = check()
        except ValidationFailed as error:
            errors.update(error.errors)
    if draft.paid_from not in PAID_FROM:
        errors["paid_from"] = _("Choose cash or bank.")
    if errors:
        raise ValidationFailed(errors)
    return _Clean(
        values["amount"],
        values["category_id"],
        values["spent_on"],
        draft.paid_from,
        values["note"],
        values["order_number"],
    )


def _store_receipt(business, data: bytes) -> str:
    return store_receipt(db.session(), business.id, data)


def _post(business, actor, expense: Expense, account: LedgerAccount) -> JournalEntry:
    accounts = c.ensure_chart(business)
    return post_to(
        business,
        "expense",
        expense.spent_on,
        [(account, expense.amount), (accounts[expense.paid_from], -expense.amount)],
        source=("expense", expense.id),
        memo=expense.note,
        actor=actor,
        data={"account_id": account.id, "expense_id": expense.id},
    )


def create_expense(business, actor, draft: ExpenseDraft) -> Expense:
    """Record money spent and post it; nothing is written if any field is wrong."""
    clean = check_expense(business, draft)
    expense = _record(business, actor, clean)
    if draft.receipt:
        expense.receipt_key = _store_receipt(business, draft.receipt)
    return expense


def book_recurring_expense(business, recurring, day: date, occurrence: int) -> Expense:
    """Book one date of a recurring expense (its figures were checked when it was set up)."""
    account = db.session.get(LedgerAccount, recurring.account_id)
    clean = _Clean(recurring.amount, account, day, recurring.paid_from, recurring.note, None)
    return _record(business, None, clean, recurring=recurring, occurrence=occurrence)


def _record(business, actor, clean: _Clean, *, recurring=None, occurrence=None) -> Expense:
    expense = Expense(
        business_id=business.id,
        account_id=clean.account.id,
        amount=clean.amount,
        spent_on=clean.spent_on,
        paid_from=clean.paid_from,
        note=clean.note,
        order_id=clean.order_id,
        recurring_id=recurring.id if recurring is not None else None,
        occurrence=occurrence,
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(expense)
    db.session.flush()
    expense.entry_id = _post(business, actor, expense, clean.account).id
    return expense


def _reverse(business, actor, expense: Expense) -> None:
    if expense.entry_id is None:
        return
    entry = db.session.get(JournalEntry, expense.entry_id)
    reverse(business, entry, "expense_reversal", entry.entry_date, actor=actor)
    expense.entry_id = None


def update_expense(business, actor, expense: Expense, draft: ExpenseDraft) -> Expense:
    """Change an expense: its entry is reversed and the new figures posted."""
    if expense.deleted_at is not None:
        raise ValidationFailed({"amount": _("This expense was deleted.")})
    clean = check_expense(business, draft)
    _reverse(business, actor, expense)
    expense.account_id = clean.account.id
    expense.amount = clean.amount
    expense.spent_on = clean.spent_on
    expense.paid_from = clean.paid_from
    expense.note = clean.note
    expense.order_id = clean.order_id
    if draft.receipt:
        expense.receipt_key = _store_receipt(business, draft.receipt)
    elif draft.remove_receipt:
        expense.receipt_key = None
    db.session.flush()
    expense.entry_id = _post(business, actor, expense, clean.account).id
    return expense


def delete_expense(business, actor, expense: Expense) -> Expense:
    """Take an expense out of the books (a reversal); the row stays, marked deleted."""
    if expense.deleted_at is None:
        _reverse(business, actor, expense)
        expense.deleted_at = utcnow()
        db.session.flush()
    return expense


def _category_name(business, name: str, exclude_id: int | None = None) -> str:
    name = one_line(name)
    if not name:
        raise ValidationFailed({"name": _("Enter a name.")})
    if len(name) > CATEGORY_NAME_MAX:
        raise ValidationFailed(
            {"name": _("Use at most %(count)d characters.", count=CATEGORY_NAME_MAX)}
        )
    taken = {
        c.account_name(account).casefold()
        for account in c.categories(business, include_archived=True)
        if account.id != exclude_id
    }
    if name.casefold() in taken:
        raise ValidationFailed({"name": _("You already have a category with this name.")})
    return name


def create_category(business, actor, name: str) -> LedgerAccount:
    """A category of the owner's own (an expense account)."""
    name = _category_name(business, name)
    account = LedgerAccount(
        business_id=business.id,
        code=f"exp_{secrets.token_hex(6)}",
        type=EXPENSE,
        name=name,
        is_category=True,
        position=len(c.CHART),
    )
    db.session.add(account)
    db.session.flush()
    return account


def list_expenses(business, *, start=None, end=None, category_id=None, include_deleted=True):
    """A query of expenses, newest first, filtered by date range and category."""
    query = sa.select(Expense).where(Expense.business_id == business.id)
    if start is not None:
        query = query.where(Expense.spent_on >= start)
    if end is not None:
        query = query.where(Expense.spent_on <= end)
    if category_id:
        query = query.where(Expense.account_id == category_id)
    if not include_deleted:
        query = query.where(Expense.deleted_at.is_(None))
    return query.order_by(Expense.spent_on.desc(), Expense.id.desc())


def totals_by_category(business, start=None, end=None, category_id=None):
    """[(account, total)] of the expenses in the filter (deleted ones left out)."""
    from kyora.core.db import money_expr

    query = (
        sa.select(LedgerAccount, money_expr(sa.func.sum(Expense.amount)))
        .join(LedgerAccount, LedgerAccount.id == Expense.account_id)
        .where(Expense.business_id == business.id, Expense.deleted_at.is_(None))
        .group_by(LedgerAccount.id)
        .order_by(LedgerAccount.position, LedgerAccount.id)
    )
    if start is not None:
        query = query.where(Expense.spent_on >= start)
    if end is not None:
        query = query.where(Expense.spent_on <= end)
    if category_id:
        query = query.where(Expense.account_id == category_id)
    return [(account, total) for account, total in db.session.execute(query).all()]
