"""Workspace, user, server-side session and one-time token models."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kyora.core.db import Base, TimestampMixin, UTCDateTime, utcnow
from kyora.core.permissions import OWNER, ROLES


class Workspace(TimestampMixin, Base):
    """One subscription: its users and its businesses."""

    __tablename__ = "workspace"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # The owner asked for the workspace to be deleted; it goes for good at the due time.
    deletion_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deletion_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    users: Mapped[list[User]] = relationship(back_populates="workspace", order_by="User.id")


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "user_account"
    __table_args__ = (sa.CheckConstraint(sa.text(f"role IN {tuple(ROLES)!r}"), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(320), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20), default=OWNER)
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_active_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    workspace: Mapped[Workspace] = relationship(back_populates="users")

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.deactivated_at is None

    @property
    def first_name(self) -> str:
        return (self.name or "").split(" ")[0]


class UserSession(Base):
    """A signed-in device. The cookie holds a random key; we keep only its hash."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ip_address: Mapped[str | None] = mapped_column(sa.String(64))
    user_agent: Mapped[str | None] = mapped_column(sa.String(400))
    device_label: Mapped[str | None] = mapped_column(sa.String(120))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class OneTimeToken(Base):
    """An emailed code and/or link: email verification, password reset, email change.

    Only hashes are stored. Each is single use, expires, and allows a few code tries.
    """

    __tablename__ = "one_time_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(sa.String(20))
    email: Mapped[str] = mapped_column(sa.String(320))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    code_hash: Mapped[str | None] = mapped_column(sa.String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class OAuthIdentity(Base):
    """A sign-in identity from an OpenID provider (Google), keyed by (issuer, subject)."""

    __tablename__ = "oauth_identity"
    __table_args__ = (sa.UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    issuer: Mapped[str] = mapped_column(sa.String(255))
    subject: Mapped[str] = mapped_column(sa.String(255))
    # The address the provider reported when the identity was linked (for display).
    email: Mapped[str | None] = mapped_column(sa.String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()
