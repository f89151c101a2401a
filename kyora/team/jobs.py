"""Periodic job: stamp invitations whose 7 days have passed as expired."""

from __future__ import annotations

from kyora.core.jobs import crontab, periodic
from kyora.extensions import db
from kyora.team.invitations import mark_expired_invitations


@periodic(crontab(minute="17"))
def expire_invitations() -> int:
    """Hourly: mark invitations past their date (the list shows them as expired)."""
    count = mark_expired_invitations()
    db.session.commit()
    return count
