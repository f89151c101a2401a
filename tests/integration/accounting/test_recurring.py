"""Recurring expenses are booked on their dates: by the periodic job and by the catch-up
before any money page, exactly once each, however long the server was down."""

from datetime import timedelta
from decimal import Decimal as D

import sqlalchemy as sa

from kyora.accounting.chart import categories
from kyora.accounting.jobs import book_all_due
from kyora.accounting.ledger import business_day
from kyora.accounting.models import Expense
from kyora.accounting.queries import balances
from kyora.accounting.recurring import (
    RecurringDraft,
    catch_up,
    create_recurring,
    pause_recurring,
    resume_recurring,
)
from kyora.extensions import db


def _booked(recurring):
    return db.session.scalars(
        sa.select(Expense.spent_on)
        .where(Expense.recurring_id == recurring.id)
        .order_by(Expense.occurrence)
    ).all()


def _weekly(shop, start):
    shop.business.created_at -= timedelta(days=120)
    rent = categories(shop.business)[1]
    return create_recurring(
        shop.business, shop.owner, RecurringDraft(D("70"), rent.id, "cash", "", "weekly", start)
    )


def test_missed_dates_are_booked_once_when_the_server_comes_back(shop):
    today = business_day(shop.business)
    weekly = _weekly(shop, today)
    assert _booked(weekly) == [today]
    # Three weeks pass with nothing running; then two catch-ups race for the same dates.
    later = today + timedelta(days=21)
    assert catch_up(shop.business, later) == 3
    assert catch_up(shop.business, later) == 0
    assert _booked(weekly) == [today + timedelta(weeks=k) for k in range(4)]
    assert balances(shop.business, later)["cash"] == D("-280.00")
    shop.check()


def test_the_periodic_job_books_what_is_due(shop):
    start = business_day(shop.business) - timedelta(days=14)
    weekly = _weekly(shop, start)
    db.session.commit()
    assert len(_booked(weekly)) == 3
    assert book_all_due() == 0


def test_paused_dates_are_skipped_not_booked_later(shop):
    today = business_day(shop.business)
    weekly = _weekly(shop, today - timedelta(days=28))
    assert len(_booked(weekly)) == 5
    pause_recurring(shop.business, weekly)
    # While paused nothing is booked; resuming starts again from today on.
    weekly.next_on = today - timedelta(days=7)
    weekly.booked_count = 3
    resume_recurring(shop.business, weekly)
    assert weekly.next_on > today
    assert len(_booked(weekly)) == 5
