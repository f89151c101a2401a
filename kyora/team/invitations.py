"""Invitations: send, resend, revoke, expire, and accept (with a password or Google).

An invitation is single use, lasts 7 days, can be revoked, and holds a seat of
the plan's member limit while it is pending. Only the hash of its link is kept.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.accounts import google
from kyora.accounts.models import OAuthIdentity, User, Workspace
from kyora.accounts.passwords import hash_password, password_problem
from kyora.accounts.services import get_user_by_email, normalize_email
from kyora.businesses.models import Business
from kyora.core.db import utcnow
from kyora.core.errors import Conflict, DomainError, NotAllowed, ValidationFailed
from kyora.core.mail import queue_email
from kyora.core.security import hash_token, new_token
from kyora.extensions import db
from kyora.team import audit, events
from kyora.team.models import ACCEPTED, EXPIRED, PENDING, REVOKED, Invitation
from kyora.team.services import check_member_limit, check_role, require

INVITATION_LIFETIME = timedelta(days=7)
RESEND_AFTER = timedelta(seconds=60)
EMAIL_LANGUAGES = ("en", "ar")


class InvitationUnusable(DomainError):
    """The invitation link is expired, revoked, already used or unknown."""

    status_code = 410

    def __init__(self, message: str, status: str):
        super().__init__(message)
        self.status = status


def _send_invitation_email(invitation: Invitation, actor: User, raw_token: str) -> None:
    names = db.session.scalars(
        sa.select(Business.name)
        .where(Business.workspace_id == invitation.workspace_id, Business.archived_at.is_(None))
        .order_by(Business.name)
        .limit(5)
    ).all()
    queue_email(
        invitation.email,
        "invitation",
        locale=invitation.locale,
        inviter=" ".join(actor.name.split()),  # one line: it goes in the subject
        businesses=", ".join(names),
        role=invitation.role,
        token=raw_token,
        days=INVITATION_LIFETIME.days,
    )


def invite_member(
    workspace: Workspace,
    actor: User,
    email: str,
    role: str,
    locale: str = "en",
    member_limit: int | None = None,
) -> Invitation:
    """Invite `email` to the workspace with `role`; emails a link valid for 7 days."""
    require(actor, "manage", "team", workspace)
    email = normalize_email(email)
    check_role(role)
    existing = get_user_by_email(email)
    if existing is not None:
        if existing.workspace_id != workspace.id:
            raise ValidationFailed(
                {
                    "email": _(
                        "This email already has a Kyora account, which belongs to another "
                        "workspace. Ask them for a different email address."
                    )
                }
            )
        if existing.is_active:
            raise ValidationFailed({"email": _("This person is already on your team.")})
    now = utcnow()
    open_one = db.session.scalar(
        sa.select(Invitation).where(
            Invitation.workspace_id == workspace.id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expired_at.is_(None),
        )
    )
    if open_one is not None:
        if open_one.status(now) == PENDING:
            raise ValidationFailed(
                {
                    "email": _(
                        "This address already has an invitation waiting. "
                        "You can send it again from the list."
                    )
                }
            )
        open_one.expired_at = now  # past its date: retire it so a fresh one can go out
    check_member_limit(workspace, member_limit)
    raw_token = new_token()
    invitation = Invitation(
        workspace_id=workspace.id,
        email=email,
        role=role,
        locale=locale if locale in EMAIL_LANGUAGES else "en",
        token_hash=hash_token(raw_token),
        invited_by_id=actor.id,
        created_at=now,
        sent_at=now,
        expires_at=now + INVITATION_LIFETIME,
    )
    db.session.add(invitation)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as exc:  # the same invitation sent twice at once
        raise ValidationFailed(
            {"email": _("This address already has an invitation waiting.")}
        ) from exc
    _send_invitation_email(invitation, actor, raw_token)
    audit.record(workspace.id, audit.INVITATION_SENT, actor=actor, email=email, role=role)
    return invitation


def resend_invitation(
    workspace: Workspace, actor: User, invitation: Invitation, member_limit: int | None = None
) -> Invitation:
    """Send a pending or expired invitation again with a new link, valid 7 more days."""
    require(actor, "manage", "team", workspace)
    now = utcnow()
    status = invitation.status(now)
    if status not in (PENDING, EXPIRED):
        raise Conflict(_("This invitation was already accepted or revoked."))
    if status == PENDING and invitation.sent_at + RESEND_AFTER > now:
        raise Conflict(
            _("The invitation was just sent. Please wait a minute before sending it again.")
        )
    if status == EXPIRED:
        # An expired invitation holds no seat; sending it again takes one.
        check_member_limit(workspace, member_limit)
        invitation.expired_at = None
    raw_token = new_token()
    invitation.token_hash = hash_token(raw_token)
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_LIFETIME
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as exc:  # a newer invitation to the same address exists
        raise Conflict(_("A newer invitation to this address is already waiting.")) from exc
    _send_invitation_email(invitation, actor, raw_token)
    audit.record(
        workspace.id,
        audit.INVITATION_RESENT,
        actor=actor,
        email=invitation.email,
        role=invitation.role,
    )
    return invitation


def revoke_invitation(workspace: Workspace, actor: User, invitation: Invitation) -> None:
    """Cancel an invitation: its link stops working at once."""
    require(actor, "manage", "team", workspace)
    if invitation.accepted_at is not None:
        raise Conflict(_("This invitation was already accepted."))
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        audit.record(
            workspace.id,
            audit.INVITATION_REVOKED,
            actor=actor,
            email=invitation.email,
            role=invitation.role,
        )


def mark_expired_invitations() -> int:
    """Stamp invitations past their date as expired; returns how many."""
    now = utcnow()
    result = db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expired_at.is_(None),
            Invitation.expires_at <= now,
        )
        .values(expired_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def find_invitation(raw_token: str) -> Invitation | None:
    if not raw_token or len(raw_token) > 200:
        return None
    return db.session.scalar(
        sa.select(Invitation).where(Invitation.token_hash == hash_token(raw_token))
    )


def usable_invitation(raw_token: str) -> Invitation:
    """The pending invitation behind a link, or InvitationUnusable saying why not."""
    invitation = find_invitation(raw_token)
    if invitation is None:
        raise InvitationUnusable(
            _("This invitation link is not valid. Check that you copied all of it."), "unknown"
        )
    status = invitation.status()
    if status == EXPIRED:
        raise InvitationUnusable(
            _("This invitation has expired. Ask the person who invited you to send a new one."),
            status,
        )
    if status == REVOKED:
        raise InvitationUnusable(_("This invitation was cancelled by the workspace."), status)
    if status == ACCEPTED:
        raise InvitationUnusable(_("This invitation was already used. Log in to continue."), status)
    return invitation


def _claim(invitation: Invitation) -> None:
    """Mark the invitation used, atomically: a second acceptance finds nothing to claim."""
    now = utcnow()
    claimed = db.session.execute(
        sa.update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expired_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(accepted_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise InvitationUnusable(
            _("This invitation was already used. Log in to continue."), "accepted"
        )
    db.session.refresh(invitation)


def _join(invitation: Invitation, name: str, password_hash: str | None, locale: str) -> User:
    name = (name or "").strip()[:120]
    existing = get_user_by_email(invitation.email)
    if existing is not None and (
        existing.workspace_id != invitation.workspace_id or existing.is_active
    ):
        raise ValidationFailed(
            {"name": _("This email already has a Kyora account. Log in with it instead.")}
        )
    _claim(invitation)
    if existing is not None:  # someone removed earlier, coming back
        user = existing
        user.name = name
        user.password_hash = password_hash
        user.deactivated_at = None
    else:
        user = User(workspace_id=invitation.workspace_id, email=invitation.email, name=name)
        user.password_hash = password_hash
        db.session.add(user)
    user.role = invitation.role
    user.locale = locale if locale in EMAIL_LANGUAGES else invitation.locale
    # The link arrived in this mailbox, which proves the address.
    user.email_verified_at = user.email_verified_at or utcnow()
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as exc:  # the address signed up a moment ago
        raise ValidationFailed(
            {"name": _("This email already has a Kyora account. Log in with it instead.")}
        ) from exc
    invitation.accepted_user_id = user.id
    audit.record(
        invitation.workspace_id,
        audit.INVITATION_ACCEPTED,
        actor=user,
        target=user,
        email=user.email,
        role=user.role,
    )
    events.member_joined.send(user, invitation=invitation)
    return user


def accept_invitation(invitation: Invitation, name: str, password: str, locale: str = "en") -> User:
    """Join the workspace with a name and password; the email counts as verified."""
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Tell us your name.")
    problem = password_problem(password or "", invitation.email, name or "")
    if problem:
        errors["password"] = problem
    if errors:
        raise ValidationFailed(errors)
    return _join(invitation, name, hash_password(password), locale)


def accept_invitation_with_identity(invitation: Invitation, identity, locale: str = "en") -> User:
    """Join the workspace with a Google identity (see kyora.accounts.google.Identity)."""
    taken = db.session.scalar(
        sa.select(OAuthIdentity).where(
            OAuthIdentity.issuer == identity.issuer, OAuthIdentity.subject == identity.subject
        )
    )
    if taken is not None:
        raise NotAllowed(
            _("This Google account is already used by another Kyora account. Choose another one.")
        )
    name = identity.name or invitation.email.split("@")[0]
    user = _join(invitation, name, None, locale)
    db.session.add(
        OAuthIdentity(
            user_id=user.id, issuer=identity.issuer, subject=identity.subject, email=identity.email
        )
    )
    db.session.flush()
    google.identity_linked.send(user, provider="google", email=identity.email)
    return user
