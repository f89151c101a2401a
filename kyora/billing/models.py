"""The workspace's subscription and the Stripe events already handled."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kyora.core.db import Base, TimestampMixin, UTCDateTime, utcnow

# Stripe's subscription statuses that Kyora tells apart.
ACTIVE, TRIALING, PAST_DUE, UNPAID, CANCELED, INCOMPLETE = (
    "active",
    "trialing",
    "past_due",
    "unpaid",
    "canceled",
    "incomplete",
)

# Statuses under which the subscription's plan applies.
PAID_STATUSES = (ACTIVE, TRIALING, PAST_DUE, UNPAID)


class Subscription(TimestampMixin, Base):
    """One row per workspace: its plan and what Stripe last told us about it.

    `last_event_at` is the creation time (Unix seconds) of the newest Stripe event
    applied; an older event arriving late is ignored, so the row ends in the state of
    the newest event whatever order they come in.
    """

    __tablename__ = "billing_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workspace.id", ondelete="CASCADE"), unique=True
    )
    plan: Mapped[str] = mapped_column(sa.String(40), default="starter")
    status: Mapped[str] = mapped_column(sa.String(40), default=ACTIVE)
    stripe_customer_id: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    stripe_subscription_id: Mapped[str | None] = mapped_column(sa.String(255), index=True)
    current_period_end: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_at_period_end: Mapped[bool] = mapped_column(default=False)
    past_due_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_event_at: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class ProcessedEvent(Base):
    """A Stripe event id, stored in the same transaction as the event's effect."""

    __tablename__ = "billing_processed_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_event_id: Mapped[str] = mapped_column(sa.String(255), unique=True)
    event_type: Mapped[str] = mapped_column(sa.String(80))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
