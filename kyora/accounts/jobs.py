"""Background jobs of accounts: the password-reset email (so the reset page answers
in the same time whether or not the address has an account) and the periodic deletion
of workspaces whose grace period has passed."""

from __future__ import annotations

from kyora.accounts import services
from kyora.accounts.deletion import delete_due_workspaces
from kyora.core.jobs import crontab, periodic, task
from kyora.core.storage import get_storage
from kyora.extensions import db


@periodic(crontab(minute="40", hour="*"))
def delete_workspaces() -> int:
    """Hourly: delete due workspaces (rows now, their files right after the commit)."""
    count = delete_due_workspaces(get_storage())
    db.session.commit()
    return count


@task(retries=3, retry_delay=30)
def send_password_reset(email: str) -> None:
    """Look the address up and email a reset link if it has an account (off the request)."""
    services.request_password_reset(email)
    db.session.commit()
