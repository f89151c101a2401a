"""Deleting a workspace: asked for by its owner, done for good after a grace period.

`request_deletion` needs the owner's password, sets the due time and emails the owner
(with the link to download everything first); `keep_workspace` cancels; the daily job
`delete_due_workspaces` removes each due workspace: its files from storage (after the
commit) and every row, through the database's cascades from the workspace row.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.accounts.models import User, Workspace
from kyora.accounts.passwords import verify_password
from kyora.core.db import utcnow
from kyora.core.errors import NotAllowed, ValidationFailed
from kyora.core.export import stored_file_keys
from kyora.core.mail import after_commit, queue_email
from kyora.core.permissions import OWNER
from kyora.extensions import db


def request_deletion(owner: User, password: str, grace: timedelta) -> Workspace:
    """Schedule the owner's workspace for deletion `grace` from now."""
    if owner.role != OWNER:
        raise NotAllowed(_("Only the owner can delete the workspace."))
    if not owner.password_hash:
        raise ValidationFailed(
            {"password": _("Set a password for your account first (Password tab).")}
        )
    if not verify_password(owner.password_hash, password or ""):
        raise ValidationFailed({"password": _("That password is not right.")})
    workspace = db.session.get(Workspace, owner.workspace_id)
    now = utcnow()
    workspace.deletion_requested_at = now
    workspace.deletion_due_at = now + grace
    queue_email(
        owner.email,
        "workspace_deletion",
        locale=owner.locale,
        name=owner.first_name,
        workspace=workspace.name,
        when=workspace.deletion_due_at,
    )
    return workspace


def keep_workspace(owner: User) -> Workspace:
    """Cancel a scheduled deletion."""
    if owner.role != OWNER:
        raise NotAllowed(_("Only the owner can delete the workspace."))
    workspace = db.session.get(Workspace, owner.workspace_id)
    workspace.deletion_requested_at = None
    workspace.deletion_due_at = None
    return workspace


def delete_due_workspaces(storage, now: datetime | None = None) -> int:
    """Delete every workspace whose grace period is over; how many were deleted.

    Rows go in one statement per workspace (the foreign keys cascade from the
    workspace to its people and businesses, and from each business to its data);
    stored files are removed once that has committed.
    """
    now = now or utcnow()
    due = list(
        db.session.scalars(
            sa.select(Workspace.id).where(
                Workspace.deletion_due_at.is_not(None), Workspace.deletion_due_at <= now
            )
        )
    )
    for workspace_id in due:
        keys = stored_file_keys(db.session.connection(), db.metadata, workspace_id)
        db.session.execute(sa.delete(Workspace).where(Workspace.id == workspace_id))

        def remove_files(keys=keys):
            for key in keys:
                try:
                    storage.delete(key)
                except (OSError, ValueError):
                    continue  # already gone

        after_commit(db.session, remove_files)
    return len(due)
