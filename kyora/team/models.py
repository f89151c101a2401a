"""Invitations to a workspace and the per-workspace audit log of security events."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kyora.accounts.models import User, Workspace
from kyora.core.db import Base, UTCDateTime, utcnow

PENDING, ACCEPTED, REVOKED, EXPIRED = "pending", "accepted", "revoked", "expired"


class Invitation(Base):
    """An emailed invitation to join a workspace with a role.

    Only the hash of the link's token is stored. At most one open invitation per
    address and workspace (a partial unique index), so a double submit cannot send
    two.
    """

    __tablename__ = "invitation"
    __table_args__ = (
        sa.CheckConstraint(sa.text("role IN ('admin', 'member')"), name="role"),
        sa.Index(
            "uq_invitation_open_email",
            "workspace_id",
            "email",
            unique=True,
            sqlite_where=sa.text(
                "accepted_at IS NULL AND revoked_at IS NULL AND expired_at IS NULL"
            ),
            postgresql_where=sa.text(
                "accepted_at IS NULL AND revoked_at IS NULL AND expired_at IS NULL"
            ),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(320))
    role: Mapped[str] = mapped_column(sa.String(20))
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Stamped by the periodic job; until then an invitation past `expires_at` is
    # still refused (and shown as expired) on the strength of the date alone.
    expired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    workspace: Mapped[Workspace] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def status(self, now: datetime | None = None) -> str:
        """pending, accepted, revoked or expired (by the date, even before the job runs)."""
        if self.accepted_at is not None:
            return ACCEPTED
        if self.revoked_at is not None:
            return REVOKED
        if self.expired_at is not None or self.expires_at <= (now or utcnow()):
            return EXPIRED
        return PENDING


class AuditEvent(Base):
    """One security-relevant event of a workspace (who, what, to whom, when, from where).

    `details` holds plain facts such as an email address or a role; never a
    password, token, code or session key.
    """

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_workspace_created", "workspace_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(sa.ForeignKey("workspace.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    target_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    ip_address: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    target: Mapped[User | None] = relationship(foreign_keys=[target_user_id])
