"""The weekly summary email: on Monday morning in the business's time zone, each user
who wants it gets the home's sentences for each business of their workspace, with
last week's sales day by day.

Sent by an hourly periodic job. Each user's row remembers the Monday of the last
summary, written in the same transaction as the queued email, so a restart (or the
job running twice) never sends a week twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale

from kyora.accounts.models import User
from kyora.businesses.models import Business
from kyora.core.jobs import crontab, periodic
from kyora.core.mail import queue_email
from kyora.core.permissions import role_allows
from kyora.extensions import db
from kyora.insights import queries
from kyora.insights.home import build_home
from kyora.insights.models import WeeklySummary
from kyora.insights.rollup import Delta
from kyora.insights.words import sentences

SEND_FROM_HOUR = 7  # local time, Monday


@dataclass
class BusinessWeek:
    business: Business
    sentences: list
    days: list  # [(day, Delta)] last Monday → Sunday
    week: Delta


def _local_now(business, now: datetime) -> datetime:
    try:
        zone = ZoneInfo(business.timezone or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return now.astimezone(zone)


def summary_monday(business, now: datetime) -> date | None:
    """Today's date when it is Monday from 07:00 in the business's time zone (the
    summary is due), else None. A summary missed all Monday is not sent late."""
    local = _local_now(business, now)
    if local.weekday() != 0 or local.hour < SEND_FROM_HOUR:
        return None
    return local.date()


def wants_summary(user_id: int) -> bool:
    row = db.session.get(WeeklySummary, user_id)
    return row is None or row.enabled


def set_summary(user, enabled: bool) -> None:
    row = db.session.get(WeeklySummary, user.id)
    if row is None:
        row = WeeklySummary(user_id=user.id)
        db.session.add(row)
    row.enabled = enabled
    db.session.flush()


def business_week(business, user, monday: date) -> BusinessWeek:
    """One business's part of a user's summary (the figures as of `monday`)."""
    with_money = role_allows(user.role, "view", "profit")
    start = monday - timedelta(days=7)
    end = monday - timedelta(days=1)
    daily = queries.by_day(business, start, end)
    days = [
        (start + timedelta(days=n), daily.get(start + timedelta(days=n)) or Delta())
        for n in range(7)
    ]
    week = Delta()
    for _day, delta in days:
        week.add(delta)
    home = build_home(business, with_money=with_money, today=monday)
    said = sentences(
        home,
        business,
        link=lambda endpoint, **args: url_for(endpoint, _external=True, **args),
        locale=user.locale or "en",
        with_money=with_money,
    )
    return BusinessWeek(business, said, days, week)


def send_summary(user, businesses, monday: date) -> None:
    """Queue one user's summary for the week of `monday` and remember it was sent."""
    base_url = current_app.config["BASE_URL"]
    locale = user.locale or "en"
    with current_app.test_request_context("/", base_url=base_url), force_locale(locale):
        weeks = [business_week(business, user, monday) for business in businesses]
    queue_email(
        user.email,
        "weekly_summary",
        locale=locale,
        name=user.first_name,
        weeks=weeks,
        monday=monday,
    )
    row = db.session.get(WeeklySummary, user.id)
    if row is None:
        row = WeeklySummary(user_id=user.id, enabled=True)
        db.session.add(row)
    row.last_week = monday
    db.session.flush()


def send_due_summaries(now: datetime | None = None) -> int:
    """Queue every summary that is due at `now` (one commit per user). Returns how many."""
    now = now or datetime.now(UTC)
    businesses = db.session.scalars(
        sa.select(Business).where(Business.archived_at.is_(None)).order_by(Business.id)
    ).all()
    by_workspace: dict[int, list[Business]] = {}
    for business in businesses:
        by_workspace.setdefault(business.workspace_id, []).append(business)
    sent = 0
    for workspace_id, owned in by_workspace.items():
        # The workspace's first business sets when Monday morning is.
        monday = summary_monday(owned[0], now)
        if monday is None:
            continue
        users = db.session.scalars(
            sa.select(User)
            .outerjoin(WeeklySummary, WeeklySummary.user_id == User.id)
            .where(
                User.workspace_id == workspace_id,
                User.deactivated_at.is_(None),
                User.email_verified_at.is_not(None),
                sa.or_(WeeklySummary.user_id.is_(None), WeeklySummary.enabled.is_(True)),
                sa.or_(WeeklySummary.last_week.is_(None), WeeklySummary.last_week < monday),
            )
            .order_by(User.id)
        ).all()
        for user in users:
            send_summary(user, owned, monday)
            db.session.commit()
            sent += 1
    return sent


@periodic(crontab(minute="20"))
def send_weekly_summaries() -> int:
    """Hourly: the Monday summaries that have come due (idempotent)."""
    return send_due_summaries()
