"""Team operations: roles, removing members, handing over ownership, seats.

Services take explicit arguments (workspace, actor, ...), flush but never
commit, check the actor's role themselves (views check too) and raise
DomainError subclasses with translated messages. Views look rows up within the
actor's workspace (a foreign id is a 404) before calling them. Invitations are
in kyora.team.invitations.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kyora.accounts.models import User, Workspace
from kyora.accounts.passwords import verify_password
from kyora.accounts.services import revoke_sessions
from kyora.core.db import utcnow
from kyora.core.errors import NotAllowed, PlanLimitReached, ValidationFailed
from kyora.core.permissions import ADMIN, MEMBER, OWNER, role_allows
from kyora.extensions import db
from kyora.team import audit, events
from kyora.team.models import Invitation

INVITABLE_ROLES = (ADMIN, MEMBER)

ROLE_LABELS = {OWNER: _l("Owner"), ADMIN: _l("Admin"), MEMBER: _l("Member")}
ROLE_HINTS = {
    OWNER: _l("Everything, including billing and handing over the workspace."),
    ADMIN: _l("Everything except billing ownership and deleting the workspace."),
    MEMBER: _l("Orders and customers. Sees products and stock, never costs or profit."),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def require(actor: User, action: str, resource: str, workspace: Workspace) -> None:
    """Refuse unless `actor` belongs to `workspace` and their role allows the action."""
    if actor.workspace_id != workspace.id or not role_allows(actor.role, action, resource):
        raise NotAllowed(_("Only the owner or an admin can do this."))


def check_role(role: str) -> str:
    if role not in INVITABLE_ROLES:
        raise ValidationFailed({"role": _("Choose Admin or Member.")})
    return role


# --- Seats and the plan's member limit ------------------------------------------------


def open_invitations(workspace_id: int, now=None):
    now = now or utcnow()
    return sa.and_(
        Invitation.workspace_id == workspace_id,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expired_at.is_(None),
        Invitation.expires_at > now,
    )


def seats_used(workspace: Workspace) -> int:
    """Active people plus pending invitations: what the plan's member limit counts."""
    people = sa.select(sa.func.count(User.id)).where(
        User.workspace_id == workspace.id, User.deactivated_at.is_(None)
    )
    waiting = sa.select(sa.func.count(Invitation.id)).where(open_invitations(workspace.id))
    return int(db.session.scalar(people) or 0) + int(db.session.scalar(waiting) or 0)


def check_member_limit(workspace: Workspace, configured_limit: int | None, adding: int = 1) -> None:
    """Refuse with PlanLimitReached when `adding` more seats would pass the member limit.

    The limit is the smallest of `configured_limit` (TEAM_MEMBER_LIMIT) and the
    answers to `member_limit_check` (billing's plan limit; None means unlimited).
    """
    used = seats_used(workspace)
    limits = [int(configured_limit)] if configured_limit is not None else []
    for _receiver, reply in events.member_limit_check.send(
        workspace, seats_used=used, adding=adding
    ):
        if reply is not None:
            limits.append(int(reply))
    if limits and used + adding > min(limits):
        raise PlanLimitReached(
            _(
                "Your plan includes %(limit)d people, you included, and pending invitations "
                "count too. Upgrade your plan to invite more, or revoke an invitation.",
                limit=min(limits),
            ),
            "email",
        )


# --- Members --------------------------------------------------------------------------


def _managers_left(workspace: Workspace, without: User) -> int:
    return int(
        db.session.scalar(
            sa.select(sa.func.count(User.id)).where(
                User.workspace_id == workspace.id,
                User.deactivated_at.is_(None),
                User.role.in_((OWNER, ADMIN)),
                User.id != without.id,
            )
        )
        or 0
    )


def _check_target(workspace: Workspace, actor: User, target: User, own_message) -> None:
    if target.workspace_id != workspace.id or not target.is_active:
        raise NotAllowed(_("This person is not on your team."))
    if target.id == actor.id:
        raise NotAllowed(str(own_message))
    if target.role == OWNER:
        raise NotAllowed(
            _("The owner cannot be removed or demoted. The owner can hand over ownership instead.")
        )


def change_role(workspace: Workspace, actor: User, target: User, role: str) -> None:
    """Make a member an admin or an admin a member (never the owner, never yourself)."""
    require(actor, "manage", "team", workspace)
    check_role(role)
    _check_target(workspace, actor, target, _l("You cannot change your own role."))
    if target.role == role:
        return
    if target.role == ADMIN and _managers_left(workspace, without=target) == 0:
        raise NotAllowed(_("The team needs at least one owner or admin."))
    old_role = target.role
    target.role = role
    audit.record(
        workspace.id,
        audit.ROLE_CHANGED,
        actor=actor,
        target=target,
        email=target.email,
        old_role=old_role,
        role=role,
    )
    events.role_changed.send(target, actor=actor, old_role=old_role)


def remove_member(workspace: Workspace, actor: User, target: User) -> None:
    """Take someone off the team: they can no longer log in and their sessions end now."""
    require(actor, "manage", "team", workspace)
    _check_target(workspace, actor, target, _l("You cannot remove yourself from the team."))
    if target.role == ADMIN and _managers_left(workspace, without=target) == 0:
        raise NotAllowed(_("The team needs at least one owner or admin."))
    # Deactivated, not deleted: their orders and notes keep their author.
    target.deactivated_at = utcnow()
    revoke_sessions(target)
    audit.record(
        workspace.id,
        audit.MEMBER_REMOVED,
        actor=actor,
        target=target,
        email=target.email,
        role=target.role,
    )
    events.member_removed.send(target, actor=actor)


def transfer_ownership(workspace: Workspace, actor: User, target: User, confirmation: str) -> None:
    """Hand the workspace to another person; the old owner stays on as an admin.

    Confirmed with the owner's password (or, for an account without one, its
    email address).
    """
    if actor.workspace_id != workspace.id or actor.role != OWNER:
        raise NotAllowed(_("Only the owner can hand over the workspace."))
    if actor.password_hash:
        if not verify_password(actor.password_hash, confirmation or ""):
            raise ValidationFailed({"password": _("That is not your password.")})
    elif (confirmation or "").strip().lower() != actor.email:
        raise ValidationFailed({"password": _("Type your email address exactly to confirm.")})
    if target.workspace_id != workspace.id or not target.is_active or target.id == actor.id:
        raise ValidationFailed({"new_owner": _("Choose someone on your team.")})
    if not target.email_verified:
        raise ValidationFailed({"new_owner": _("This person has not confirmed their email yet.")})
    old_role = target.role
    target.role = OWNER
    actor.role = ADMIN
    db.session.flush()
    audit.record(
        workspace.id,
        audit.OWNERSHIP_TRANSFERRED,
        actor=actor,
        target=target,
        email=target.email,
        old_role=old_role,
        role=OWNER,
    )
    events.ownership_transferred.send(target, previous_owner=actor)
