"""Recurring expenses: booked on their dates by a periodic job, and by a catch-up
that runs before any money page is computed.

Occurrence k of a recurring expense falls on start + k periods (a monthly one
started on the 31st falls on the last day of shorter months). Each booking is an
expense row unique on (recurring expense, occurrence), so two catch-ups running
at once, or a server that was down for weeks, book every missed date exactly once.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.accounting.expenses import book_recurring_expense, check_category
from kyora.accounting.inputs import check_amount, check_day, check_note, first_day
from kyora.accounting.ledger import business_day
from kyora.accounting.models import FREQUENCIES, PAID_FROM, Expense, RecurringExpense
from kyora.core.errors import ValidationFailed
from kyora.extensions import db

# A catch-up books at most this many dates of one recurring expense per run.
MAX_BOOKINGS = 400


@dataclass
class RecurringDraft:
    amount: object = None
    category_id: object = None
    paid_from: str = "cash"
    note: str = ""
    frequency: str = "monthly"
    start_on: object = None
    end_on: object = None


def occurrence_date(start: date, frequency: str, k: int) -> date:
    """The date of booking number `k` (0 = the start)."""
    if frequency == "daily":
        return start + timedelta(days=k)
    if frequency == "weekly":
        return start + timedelta(weeks=k)
    months = k if frequency == "monthly" else 12 * k
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _clean(business, draft: RecurringDraft) -> dict:
    errors, values = {}, {}
    checks = {
        "amount": lambda: check_amount(business, draft.amount),
        "category_id": lambda: check_category(business, draft.category_id),
        "note": lambda: check_note(draft.note),
        "start_on": lambda: check_day(
            business, draft.start_on, "start_on", future_days=366, earliest=first_day(business)
        ),
    }
    for name, check in checks.items():
        try:
            values[name] = check()
        except ValidationFailed as error:
            errors.update(error.errors)
    if draft.frequency not in FREQUENCIES:
        errors["frequency"] = _("Choose how often you pay it.")
    if draft.paid_from not in PAID_FROM:
        errors["paid_from"] = _("Choose cash or bank.")
    end = None
    if draft.end_on not in (None, ""):
        try:
            end = (
                date.fromisoformat(draft.end_on.strip())
                if isinstance(draft.end_on, str)
                else draft.end_on
            )
        except ValueError:
            errors["end_on"] = _("Enter a date, like 2025-03-31.")
        else:
            if "start_on" in values and end < values["start_on"]:
                errors["end_on"] = _("The last payment can't be before the first one.")
            elif end > business_day(business) + timedelta(days=366 * 10):
                errors["end_on"] = _("Choose an end date within ten years.")
    if errors:
        raise ValidationFailed(errors)
    values["end_on"] = end
    return values


def create_recurring(business, actor, draft: RecurringDraft) -> RecurringExpense:
    """A new recurring expense; dates already due (a start in the past) are booked now."""
    values = _clean(business, draft)
    recurring = RecurringExpense(
        business_id=business.id,
        account_id=values["category_id"].id,
        amount=values["amount"],
        paid_from=draft.paid_from,
        note=values["note"],
        frequency=draft.frequency,
        start_on=values["start_on"],
        end_on=values["end_on"],
        next_on=values["start_on"],
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(recurring)
    db.session.flush()
    book_recurring(business, recurring, business_day(business))
    return recurring


def _advance(recurring: RecurringExpense) -> None:
    recurring.booked_count += 1
    following = occurrence_date(recurring.start_on, recurring.frequency, recurring.booked_count)
    if recurring.end_on is not None and following > recurring.end_on:
        recurring.next_on = None
    else:
        recurring.next_on = following


def book_recurring(business, recurring: RecurringExpense, today: date) -> int:
    """Book every date of `recurring` due up to `today` that is not booked yet."""
    booked = 0
    while (
        recurring.next_on is not None
        and not recurring.paused
        and recurring.next_on <= today
        and booked < MAX_BOOKINGS
    ):
        k = recurring.booked_count
        exists = db.session.scalar(
            sa.select(Expense.id).where(
                Expense.recurring_id == recurring.id, Expense.occurrence == k
            )
        )
        if exists is None:
            book_recurring_expense(business, recurring, recurring.next_on, k)
            booked += 1
        _advance(recurring)
    db.session.flush()
    return booked


def catch_up(business, today: date | None = None) -> int:
    """Book every recurring expense of `business` that is due (one query when none is)."""
    today = today or business_day(business)
    due = list(
        db.session.scalars(
            sa.select(RecurringExpense)
            .where(
                RecurringExpense.business_id == business.id,
                RecurringExpense.next_on <= today,
                RecurringExpense.paused.is_(False),
            )
            .order_by(RecurringExpense.id)
            .with_for_update()
        )
    )
    return sum(book_recurring(business, recurring, today) for recurring in due)


def pause_recurring(business, recurring: RecurringExpense) -> None:
    """Stop booking it until resumed (dates while paused are skipped, not booked later)."""
    catch_up(business)
    recurring.paused = True
    db.session.flush()


def resume_recurring(business, recurring: RecurringExpense) -> None:
    """Book it again from today on."""
    today = business_day(business)
    recurring.paused = False
    while recurring.next_on is not None and recurring.next_on < today:
        _advance(recurring)
    db.session.flush()
    book_recurring(business, recurring, today)


def end_recurring(business, recurring: RecurringExpense) -> None:
    """No more bookings after today (what was booked stays)."""
    today = business_day(business)
    if not recurring.paused:
        book_recurring(business, recurring, today)
    recurring.end_on = max(today, recurring.start_on)
    recurring.next_on = None
    db.session.flush()
