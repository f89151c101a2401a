"""Periodic job: book the recurring expenses that have come due."""

from __future__ import annotations

import sqlalchemy as sa

from kyora.core.jobs import crontab, periodic
from kyora.extensions import db


def book_all_due() -> int:
    """Catch up every business with a recurring expense due (each in its own time zone)."""
    from kyora.accounting.models import RecurringExpense
    from kyora.accounting.recurring import catch_up
    from kyora.businesses.models import Business

    business_ids = db.session.scalars(
        sa.select(RecurringExpense.business_id)
        .where(RecurringExpense.next_on.is_not(None), RecurringExpense.paused.is_(False))
        .distinct()
    ).all()
    booked = 0
    for business_id in business_ids:
        booked += catch_up(db.session.get(Business, business_id))
        db.session.commit()
    return booked


@periodic(crontab(minute="7"))
def book_recurring_expenses() -> int:
    """Hourly: book recurring expenses whose date has come (idempotent)."""
    return book_all_due()
