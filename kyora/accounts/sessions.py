"""Login sessions: server-side records and the cookie that carries them.

A login opens a `UserSession` row (its key only stored hashed) and puts the raw key in
the signed Flask session; every request loads the user through that row, so revoking
it (log out elsewhere, password reset, removal from a team) ends the login at once.
`start_session(user)` is what sign-up, login, Google sign-in and accepted invitations
call after they have identified the user.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from kyora.accounts import events
from kyora.accounts.models import User, UserSession
from kyora.core.db import utcnow
from kyora.core.errors import DomainError
from kyora.core.mail import queue_email
from kyora.core.security import hash_token, new_token
from kyora.core.tenancy import id_or_none
from kyora.extensions import db, login_manager

SESSION_KEY = "sk"
# "Last seen" is written at most this often, so reading pages rarely writes.
SESSION_TOUCH_EVERY = timedelta(minutes=5)


def init_app(app) -> None:
    login_manager.user_loader(load_user)

    @app.before_request
    def _load_current_user():
        # Resolve the session before the view runs, so refreshing "last seen"
        # (at most every few minutes) commits on its own and never mixes with the
        # view's unit of work.
        if request.endpoint != "static":
            _ = current_user.is_authenticated


def load_user(user_id: str):
    """Flask-Login's loader: the user behind the cookie's open session, or None."""
    config = current_app.config
    found = load_session(
        user_id,
        session.get(SESSION_KEY),
        idle=config["SESSION_IDLE_LIFETIME"],
        absolute=config["SESSION_ABSOLUTE_LIFETIME"],
    )
    if found is None:
        if db.session.dirty:  # an expired session was just closed
            db.session.commit()
        return None
    user, record = found
    g.user_session = record
    g.kyora_user_id = user.id
    if touch_session(record):
        db.session.commit()
    return user


def start_session(user) -> None:
    """Open a server-side session for `user` and put its key in a fresh cookie."""
    record, raw_key = open_session(user, request.remote_addr, request.headers.get("User-Agent"))
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    session[SESSION_KEY] = raw_key
    login_user(user)
    g.user_session = record


def after_login_url(user) -> str:
    """Where a freshly signed-in user goes next."""
    if not user.email_verified:
        return url_for("accounts.verify")
    return url_for("businesses.start")


def describe_device(user_agent: str | None) -> str:
    from user_agents import parse

    if not user_agent:
        return _("Unknown device")
    agent = parse(user_agent)
    browser = agent.browser.family or _("Browser")
    system = agent.os.family or ""
    return f"{browser} · {system}".strip(" ·") if system and system != "Other" else browser


def open_session(user: User, ip: str | None, user_agent: str | None) -> tuple[UserSession, str]:
    """Start a server-side session for a login; emails a notice for a new device."""
    label = describe_device(user_agent)
    known = db.session.scalar(
        sa.select(sa.func.count(UserSession.id)).where(
            UserSession.user_id == user.id,
            sa.or_(UserSession.device_label == label, UserSession.ip_address == ip),
        )
    )
    had_any = db.session.scalar(
        sa.select(sa.func.count(UserSession.id)).where(UserSession.user_id == user.id)
    )
    raw_key = new_token()
    record = UserSession(
        user_id=user.id,
        key_hash=hash_token(raw_key),
        ip_address=(ip or "")[:64] or None,
        user_agent=(user_agent or "")[:400] or None,
        device_label=label[:120],
    )
    db.session.add(record)
    user.last_active_at = utcnow()
    db.session.flush()
    if had_any and not known and user.email_verified:
        queue_email(
            user.email,
            "new_device",
            locale=user.locale,
            name=user.first_name,
            device=label,
            ip=ip or "?",
            when=utcnow(),
        )
    events.logged_in.send(user, session_id=record.id, ip=ip)
    return record, raw_key


def load_session(
    user_id: str,
    raw_key: str | None,
    idle: timedelta | None = None,
    absolute: timedelta | None = None,
) -> tuple[User, UserSession] | None:
    """The user and session behind a cookie, if the session is still open: not revoked,
    used within `idle`, and opened less than `absolute` ago (an expired one is closed)."""
    if not raw_key or not user_id or not str(user_id).isdigit():
        return None
    record = db.session.scalar(
        sa.select(UserSession)
        .where(UserSession.key_hash == hash_token(raw_key), UserSession.revoked_at.is_(None))
        .options(sa.orm.joinedload(UserSession.user))
    )
    if record is None or record.user_id != int(user_id) or not record.user.is_active:
        return None
    now = utcnow()
    # "Last seen" is written every few minutes, so idle time is known to that precision.
    stale = idle is not None and now - record.last_seen_at > idle
    if stale or (absolute is not None and now - record.created_at > absolute):
        record.revoked_at = now
        return None
    return record.user, record


def touch_session(record: UserSession) -> bool:
    """Refresh 'last seen' at most every few minutes; True when it wrote."""
    now = utcnow()
    if now - record.last_seen_at < SESSION_TOUCH_EVERY:
        return False
    record.last_seen_at = now
    record.user.last_active_at = now
    return True


def list_sessions(user: User) -> list[UserSession]:
    return list(
        db.session.scalars(
            sa.select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
            .order_by(UserSession.last_seen_at.desc())
        )
    )


def revoke_session(user: User, session_id: int) -> None:
    record = db.session.get(UserSession, session_id) if id_or_none(session_id) else None
    if record is None or record.user_id != user.id:
        raise DomainError(_("That session was not found."))
    record.revoked_at = record.revoked_at or utcnow()


def revoke_sessions(user: User, keep_session_id: int | None = None) -> int:
    """End every open session of `user` (except `keep_session_id`); returns how many."""
    query = sa.update(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
    )
    if keep_session_id is not None:
        query = query.where(UserSession.id != keep_session_id)
    return db.session.execute(query.values(revoked_at=utcnow())).rowcount
