"""The per-workspace audit log of security events, and its listeners.

Accounts signals (logins, password and email changes, sign-ups) and team
actions land here. Only plain facts are kept in `details` (email addresses,
roles); the listeners never receive passwords, tokens, codes or session keys,
and `record()` refuses detail keys that look like secrets.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import has_request_context, request

from kyora.accounts import events as account_events
from kyora.accounts import google
from kyora.accounts.models import User
from kyora.extensions import db
from kyora.team.models import AuditEvent

LOGIN_SUCCEEDED = "login_succeeded"
LOGIN_FAILED = "login_failed"
PASSWORD_CHANGED = "password_changed"  # noqa: S105 - an event name
PASSWORD_RESET = "password_reset"  # noqa: S105 - an event name
EMAIL_CHANGED = "email_changed"
EMAIL_VERIFIED = "email_verified"
ACCOUNT_CREATED = "account_created"
GOOGLE_LINKED = "google_linked"
INVITATION_SENT = "invitation_sent"
INVITATION_RESENT = "invitation_resent"
INVITATION_REVOKED = "invitation_revoked"
INVITATION_ACCEPTED = "invitation_accepted"
ROLE_CHANGED = "role_changed"
MEMBER_REMOVED = "member_removed"
OWNERSHIP_TRANSFERRED = "ownership_transferred"

_SECRET_WORDS = ("password", "token", "code", "secret", "key", "hash")


def _request_ip() -> str | None:
    # Listeners run inside the request that fired the signal; its address is a
    # fact about that request, kept so owners can spot logins from odd places.
    if has_request_context():
        return (request.remote_addr or "")[:64] or None
    return None


def record(
    workspace_id: int,
    kind: str,
    actor: User | None = None,
    target: User | None = None,
    ip: str | None = None,
    **details,
) -> AuditEvent:
    """Add one audit event to the session (committed with the action it describes)."""
    for key in details:
        if any(word in key.lower() for word in _SECRET_WORDS):
            raise ValueError(f"audit details must not carry secrets ({key})")
    event = AuditEvent(
        workspace_id=workspace_id,
        kind=kind,
        actor_id=actor.id if actor is not None else None,
        target_user_id=target.id if target is not None else None,
        details={key: value for key, value in details.items() if value is not None},
        ip_address=ip or _request_ip(),
    )
    db.session.add(event)
    return event


def list_events(workspace_id: int, page: int = 1, per_page: int = 50) -> tuple[list, bool]:
    """One page of the workspace's events, newest first; and whether there is a next page."""
    page = max(1, page)
    rows = list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.workspace_id == workspace_id)
            .options(sa.orm.joinedload(AuditEvent.actor), sa.orm.joinedload(AuditEvent.target))
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page + 1)
        )
    )
    return rows[:per_page], len(rows) > per_page


# --- Listeners on the accounts domain's signals ---------------------------------------


def _on_logged_in(user, session_id=None, ip=None, **_extra):
    record(user.workspace_id, LOGIN_SUCCEEDED, actor=user, target=user, ip=ip)


def _on_login_failed(user, email=None, **_extra):
    # An unknown address belongs to no workspace: there is nobody to show it to.
    if user is not None:
        record(user.workspace_id, LOGIN_FAILED, target=user, email=user.email)


def _on_password_changed(user, how=None, **_extra):
    kind = PASSWORD_RESET if how == "reset" else PASSWORD_CHANGED
    record(user.workspace_id, kind, actor=user, target=user)


def _on_email_changed(user, old_email=None, **_extra):
    record(
        user.workspace_id,
        EMAIL_CHANGED,
        actor=user,
        target=user,
        old_email=old_email,
        email=user.email,
    )


def _on_user_registered(user, **_extra):
    record(user.workspace_id, ACCOUNT_CREATED, actor=user, target=user, email=user.email)


def _on_email_verified(user, **_extra):
    record(user.workspace_id, EMAIL_VERIFIED, actor=user, target=user, email=user.email)


def _on_identity_linked(user, provider=None, email=None, **_extra):
    record(user.workspace_id, GOOGLE_LINKED, actor=user, target=user, email=email)


def connect() -> None:
    """Listen to the accounts domain (idempotent: blinker keeps one connection each)."""
    account_events.logged_in.connect(_on_logged_in)
    account_events.login_failed.connect(_on_login_failed)
    account_events.password_changed.connect(_on_password_changed)
    account_events.email_changed.connect(_on_email_changed)
    account_events.user_registered.connect(_on_user_registered)
    account_events.email_verified.connect(_on_email_verified)
    google.identity_linked.connect(_on_identity_linked)
