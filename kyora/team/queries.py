"""Reads for the team page: members and open invitations of a workspace."""

from __future__ import annotations

import sqlalchemy as sa

from kyora.accounts.models import User
from kyora.core.permissions import ADMIN, OWNER
from kyora.extensions import db
from kyora.team.models import Invitation

MAX_ROWS = 200


def list_members(workspace_id: int) -> list[User]:
    """Active people of the workspace: the owner first, then admins, then members."""
    rank = sa.case((User.role == OWNER, 0), (User.role == ADMIN, 1), else_=2)
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.workspace_id == workspace_id, User.deactivated_at.is_(None))
            .order_by(rank, sa.func.lower(User.name), User.id)
            .limit(MAX_ROWS)
        )
    )


def list_invitations(workspace_id: int) -> list[Invitation]:
    """Invitations still waiting or expired (not accepted, not revoked), newest first."""
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(
                Invitation.workspace_id == workspace_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
            )
            .options(sa.orm.joinedload(Invitation.invited_by))
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
            .limit(MAX_ROWS)
        )
    )


def get_member(workspace_id: int, user_id: int) -> User | None:
    return db.session.scalar(
        sa.select(User).where(
            User.id == user_id, User.workspace_id == workspace_id, User.deactivated_at.is_(None)
        )
    )


def get_invitation(workspace_id: int, invitation_id: int) -> Invitation | None:
    return db.session.scalar(
        sa.select(Invitation).where(
            Invitation.id == invitation_id, Invitation.workspace_id == workspace_id
        )
    )
