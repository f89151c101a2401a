"""Periodic job: delete the workspaces whose owners asked for it, once the grace period
has passed."""

from __future__ import annotations

from kyora.accounts.deletion import delete_due_workspaces
from kyora.core.jobs import crontab, periodic
from kyora.core.storage import get_storage
from kyora.extensions import db


@periodic(crontab(minute="40", hour="*"))
def delete_workspaces() -> int:
    """Hourly: delete due workspaces (rows now, their files right after the commit)."""
    count = delete_due_workspaces(get_storage())
    db.session.commit()
    return count
