"""Account operations: sign-up, verification, login, passwords, email changes.

This module is the accounts API for other domains; session records live in
`sessions.py` (re-exported here).

Services take explicit arguments, flush but never commit, and raise DomainError
subclasses with translated messages.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from kyora.accounts import events
from kyora.accounts.models import OneTimeToken, User, Workspace
from kyora.accounts.passwords import hash_password, password_problem, verify_password
from kyora.accounts.sessions import (  # noqa: F401  (the public API: re-exported)
    describe_device,
    list_sessions,
    load_session,
    open_session,
    revoke_session,
    revoke_sessions,
    touch_session,
)
from kyora.core.db import utcnow
from kyora.core.errors import DomainError, ValidationFailed
from kyora.core.mail import queue_email
from kyora.core.permissions import OWNER
from kyora.core.security import hash_code, hash_token, new_code, new_token
from kyora.extensions import db

VERIFY_EMAIL, RESET_PASSWORD, CHANGE_EMAIL = "verify_email", "reset_password", "change_email"
CODE_LIFETIME = timedelta(minutes=15)
RESET_LIFETIME = timedelta(hours=1)
RESEND_AFTER = timedelta(seconds=60)
MAX_CODE_ATTEMPTS = 5
# Codes one account may be sent per purpose in a day: with 5 tries each, at most 50
# guesses a day against a million possible codes.
MAX_CODES_PER_DAY = 10


class EmailTaken(ValidationFailed):
    """Sign-up with an address that already has an account. The sign-up page answers
    exactly as for a new address (no enumeration); the address's owner is told by email."""

    def __init__(self, email: str):
        super().__init__(
            {
                "email": _(
                    "An account with this email already exists. Log in or reset your password."
                )
            }
        )
        self.email = email


class CodeProblem(DomainError):
    """A code or link that is wrong, expired, used up or already used."""


def normalize_email(raw: str) -> str:
    """Validate and normalise an email address (no DNS lookups)."""
    try:
        result = validate_email((raw or "").strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationFailed({"email": _("Enter a valid email address.")}) from exc
    return result.normalized.lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.lower()))


def _check_password(password: str, email: str, name: str, field: str = "password") -> None:
    problem = password_problem(password, email, name)
    if problem:
        raise ValidationFailed({field: problem})


def register_user(name: str, email: str, password: str, locale: str = "en") -> User:
    """Create a workspace with its owner, and email them a verification code."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": _("Tell us your name.")})
    email = normalize_email(email)
    _check_password(password, email, name)
    if get_user_by_email(email) is not None:
        raise EmailTaken(email)
    workspace = Workspace(name=name)
    user = User(
        workspace=workspace,
        email=email,
        name=name,
        password_hash=hash_password(password),
        role=OWNER,
        locale=locale,
    )
    db.session.add_all([workspace, user])
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as exc:  # a concurrent sign-up with the same email
        raise EmailTaken(email) from exc
    send_verification(user)
    events.user_registered.send(user)
    return user


def tell_about_existing_account(email: str) -> None:
    """Email the owner of `email` that someone tried to sign up with it."""
    user = get_user_by_email(email)
    if user is not None and user.is_active:
        queue_email(user.email, "signup_existing", locale=user.locale, name=user.first_name)


def _issue_token(user: User, purpose: str, email: str, lifetime: timedelta, with_code: bool):
    """Create a token (and code) for `purpose`, retiring earlier unused ones."""
    now = utcnow()
    if with_code:
        sent_today = db.session.scalar(
            sa.select(sa.func.count(OneTimeToken.id)).where(
                OneTimeToken.user_id == user.id,
                OneTimeToken.purpose == purpose,
                OneTimeToken.created_at > now - timedelta(days=1),
            )
        )
        if sent_today >= MAX_CODES_PER_DAY:
            raise CodeProblem(
                _("You have asked for many codes today. Please try again tomorrow."), "code"
            )
    db.session.execute(
        sa.update(OneTimeToken)
        .where(
            OneTimeToken.user_id == user.id,
            OneTimeToken.purpose == purpose,
            OneTimeToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    raw_token = new_token()
    code = new_code() if with_code else None
    token = OneTimeToken(
        user_id=user.id,
        purpose=purpose,
        email=email,
        token_hash=hash_token(raw_token),
        expires_at=now + lifetime,
    )
    db.session.add(token)
    db.session.flush()
    if code:
        token.code_hash = hash_code(code, str(token.id))
    return token, raw_token, code


def _latest_token(user: User, purpose: str) -> OneTimeToken | None:
    return db.session.scalar(
        sa.select(OneTimeToken)
        .where(OneTimeToken.user_id == user.id, OneTimeToken.purpose == purpose)
        .order_by(OneTimeToken.id.desc())
        .limit(1)
    )


def seconds_until_resend(user: User, purpose: str = VERIFY_EMAIL) -> int:
    latest = _latest_token(user, purpose)
    if latest is None:
        return 0
    wait = (latest.created_at + RESEND_AFTER - utcnow()).total_seconds()
    return max(0, int(wait + 0.999))


def send_verification(user: User, resend: bool = False) -> None:
    """Email a 6-digit code and a link that verify the user's email address."""
    if resend:
        wait = seconds_until_resend(user)
        if wait:
            raise DomainError(
                _("You can ask for a new code in %(seconds)d seconds.", seconds=wait), "code"
            )
    _token, raw_token, code = _issue_token(user, VERIFY_EMAIL, user.email, CODE_LIFETIME, True)
    queue_email(
        user.email,
        "verify_code",
        locale=user.locale,
        name=user.first_name,
        code=code,
        token=raw_token,
        minutes=int(CODE_LIFETIME.total_seconds() // 60),
    )


def _use_code(user: User, purpose: str, code: str) -> OneTimeToken:
    """Spend one try of the user's current code for `purpose`; the token when it matches."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    from kyora.core.money import normalize_digits

    code = normalize_digits(code)
    token = _latest_token(user, purpose)
    now = utcnow()
    if token is None or token.used_at is not None or token.code_hash is None:
        raise CodeProblem(_("This code is no longer valid. Ask for a new one."), "code")
    if token.expires_at <= now:
        raise CodeProblem(_("This code has expired. Ask for a new one."), "code")
    # Spend the try in one conditional UPDATE, so parallel guesses can never get more
    # than MAX_CODE_ATTEMPTS evaluations between them.
    attempts = db.session.execute(
        sa.update(OneTimeToken)
        .where(
            OneTimeToken.id == token.id,
            OneTimeToken.used_at.is_(None),
            OneTimeToken.attempts < MAX_CODE_ATTEMPTS,
        )
        .values(attempts=OneTimeToken.attempts + 1)
        .returning(OneTimeToken.attempts)
        .execution_options(synchronize_session=False)
    ).scalar()
    if attempts is None:
        raise CodeProblem(_("Too many wrong tries. Ask for a new code."), "code")
    token.attempts = attempts
    if len(code) != 6 or hash_code(code, str(token.id)) != token.code_hash:
        left = MAX_CODE_ATTEMPTS - attempts
        if left <= 0:
            token.used_at = now
            raise CodeProblem(_("Too many wrong tries. Ask for a new code."), "code")
        raise CodeProblem(_("That code is not right. %(left)d tries left.", left=left), "code")
    token.used_at = now
    return token


def _use_link(raw_token: str, purpose: str, expired_message: str) -> OneTimeToken:
    token = db.session.scalar(
        sa.select(OneTimeToken).where(
            OneTimeToken.token_hash == hash_token(raw_token or ""),
            OneTimeToken.purpose == purpose,
        )
    )
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        raise CodeProblem(expired_message)
    token.used_at = utcnow()
    return token


def verify_email_code(user: User, code: str) -> None:
    """Mark the user's email verified when `code` matches (5 tries, 15 minutes)."""
    token = _use_code(user, VERIFY_EMAIL, code)
    _mark_verified(user, token)


def verify_email_link(raw_token: str) -> User:
    """Verify the email address the emailed link was sent for."""
    token = _use_link(
        raw_token, VERIFY_EMAIL, _("This link has expired or was already used. Ask for a new code.")
    )
    _mark_verified(token.user, token)
    return token.user


def _mark_verified(user: User, token: OneTimeToken) -> None:
    if token.email != user.email:
        raise CodeProblem(_("This code was sent to a different address."), "code")
    first_time = user.email_verified_at is None
    user.email_verified_at = user.email_verified_at or utcnow()
    if first_time:
        queue_email(user.email, "welcome", locale=user.locale, name=user.first_name)
        events.email_verified.send(user)


# --- Login ---------------------------------------------------------------------------


def authenticate(email: str, password: str) -> User | None:
    """The user with this email and password, or None (same work either way)."""
    try:
        email = normalize_email(email)
    except ValidationFailed:
        email = ""
    user = get_user_by_email(email) if email else None
    ok = verify_password(user.password_hash if user else None, password or "")
    if user is None or not ok or not user.is_active:
        events.login_failed.send(user, email=email)
        return None
    return user


# --- Passwords --------------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Email a reset link when the address belongs to an account; silent otherwise."""
    user = get_user_by_email(normalize_email(email))
    if user is None or not user.is_active:
        return
    _token, raw_token, _code = _issue_token(user, RESET_PASSWORD, user.email, RESET_LIFETIME, False)
    queue_email(
        user.email, "password_reset", locale=user.locale, name=user.first_name, token=raw_token
    )


def check_reset_token(raw_token: str) -> bool:
    token = db.session.scalar(
        sa.select(OneTimeToken).where(
            OneTimeToken.token_hash == hash_token(raw_token or ""),
            OneTimeToken.purpose == RESET_PASSWORD,
        )
    )
    return token is not None and token.used_at is None and token.expires_at > utcnow()


def reset_password(raw_token: str, new_password: str) -> User:
    """Set a new password from an emailed link; ends every session of the account."""
    token = _use_link(
        raw_token,
        RESET_PASSWORD,
        _("This reset link has expired or was already used. Ask for a new one."),
    )
    user = token.user
    _check_password(new_password, user.email, user.name)
    user.password_hash = hash_password(new_password)
    # The link proves the mailbox is theirs.
    user.email_verified_at = user.email_verified_at or utcnow()
    revoke_sessions(user)
    events.password_changed.send(user, how="reset")
    return user


def change_password(user: User, current: str, new: str, keep_session_id: int | None) -> None:
    """Change the password (the current one is required); other sessions end."""
    if user.password_hash and not verify_password(user.password_hash, current or ""):
        raise ValidationFailed({"current_password": _("That is not your current password.")})
    _check_password(new, user.email, user.name, field="new_password")
    user.password_hash = hash_password(new)
    revoke_sessions(user, keep_session_id=keep_session_id)
    events.password_changed.send(user, how="change")


# --- Profile and email --------------------------------------------------------------


def update_profile(user: User, name: str, locale: str, languages: tuple[str, ...]) -> None:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": _("Tell us your name.")})
    if locale not in languages:
        raise ValidationFailed({"locale": _("Choose one of the languages offered.")})
    user.name = name[:120]
    user.locale = locale


def request_email_change(user: User, new_email: str, password: str) -> None:
    """Send a code to the new address; the change happens when it is entered."""
    new_email = normalize_email(new_email)
    if user.password_hash and not verify_password(user.password_hash, password or ""):
        raise ValidationFailed({"password": _("That is not your current password.")})
    if new_email == user.email:
        raise ValidationFailed({"email": _("That is already your email address.")})
    if get_user_by_email(new_email) is not None:
        raise ValidationFailed({"email": _("That email address is used by another account.")})
    _token, _raw, code = _issue_token(user, CHANGE_EMAIL, new_email, CODE_LIFETIME, True)
    queue_email(
        new_email,
        "change_email",
        locale=user.locale,
        name=user.first_name,
        code=code,
        minutes=int(CODE_LIFETIME.total_seconds() // 60),
    )


def pending_email_change(user: User) -> str | None:
    token = _latest_token(user, CHANGE_EMAIL)
    if token and token.used_at is None and token.expires_at > utcnow():
        return token.email
    return None


def confirm_email_change(user: User, code: str) -> str:
    """Switch to the new address once its code is entered; returns the old address."""
    token = _use_code(user, CHANGE_EMAIL, code)
    if get_user_by_email(token.email) is not None:
        raise ValidationFailed({"code": _("That email address is used by another account.")})
    old = user.email
    user.email = token.email
    user.email_verified_at = utcnow()
    queue_email(
        old, "email_changed", locale=user.locale, name=user.first_name, new_email=user.email
    )
    events.email_changed.send(user, old_email=old)
    return old
