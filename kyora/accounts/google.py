"""Sign in with Google (OpenID Connect through Authlib).

`/auth/google` sends the browser to Google with a fresh `state` and `nonce`
(kept in the signed session cookie); `/auth/google/callback` checks both,
fetches the ID token and checks its signature, issuer, audience and expiry.
Users are found by the identity's (issuer, subject). An existing account with
the same email is linked only when Google says the email is verified; a new
person gets a workspace and continues to the business step of onboarding.

Other pages can borrow the flow (`begin_handoff`): the callback then keeps the
verified identity in the session for a few minutes and sends the browser to
that page, which takes it with `take_verified_identity()` (used by
invitations, which live in a higher domain).

Everything is off unless GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are set.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

import requests
import sqlalchemy as sa
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App, OAuthError
from blinker import Namespace
from flask import Blueprint, abort, current_app, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from joserfc.errors import JoseError

from kyora.accounts import events
from kyora.accounts.models import OAuthIdentity, User, Workspace
from kyora.accounts.services import get_user_by_email, normalize_email, revoke_sessions
from kyora.accounts.sessions import after_login_url, start_session
from kyora.core.db import utcnow
from kyora.core.errors import DomainError, NotAllowed, ValidationFailed, render_error
from kyora.core.i18n import select_locale
from kyora.core.mail import queue_email
from kyora.core.permissions import OWNER, public
from kyora.core.security import safe_next
from kyora.extensions import db, limiter

bp = Blueprint("google", __name__, url_prefix="/auth/google")

# Sent when a Google identity is linked to an account (the audit log listens).
identity_linked = Namespace().signal("identity-linked")

INTENT_KEY = "google_intent"
HANDOFF_KEY = "google_identity"
HANDOFF_LIFETIME = 600  # seconds a verified identity waits for the page that asked for it
GOOGLE_LIMIT = "20 per minute;100 per hour"


@dataclass(frozen=True)
class Identity:
    """What a verified ID token says about the person."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None


def init_app(app) -> None:
    app.register_blueprint(bp)


def enabled() -> bool:
    config = current_app.config
    return bool(config.get("GOOGLE_CLIENT_ID") and config.get("GOOGLE_CLIENT_SECRET"))


def _client() -> FlaskOAuth2App:
    """The OpenID client for the current settings (metadata and keys cached per settings)."""
    config = current_app.config
    key = (
        config["GOOGLE_CLIENT_ID"],
        config["GOOGLE_CLIENT_SECRET"],
        config["GOOGLE_DISCOVERY_URL"],
    )
    clients = current_app.extensions.setdefault("kyora.google", {})
    if key not in clients:
        clients[key] = FlaskOAuth2App(
            FlaskIntegration("google"),
            name="google",
            client_id=key[0],
            client_secret=key[1],
            server_metadata_url=key[2],
            client_kwargs={
                "scope": "openid email profile",
                "code_challenge_method": "S256",
                "default_timeout": 10,
            },
        )
    return clients[key]


def _redirect_to_google(intent: dict):
    session[INTENT_KEY] = intent
    try:
        return _client().authorize_redirect(url_for("google.callback", _external=True))
    except (requests.RequestException, ValueError, RuntimeError):
        current_app.logger.warning("Google sign-in is unreachable", exc_info=True)
        return render_error(503, _("Google sign-in is not available right now. Please try again."))


def begin_handoff(next_url: str):
    """Start the Google flow for another page; the callback returns to `next_url`."""
    if not enabled():
        abort(404)
    return _redirect_to_google({"mode": "handoff", "next": safe_next(next_url, "/")})


def take_verified_identity() -> Identity | None:
    """The identity a handoff left in the session (once, and only for a few minutes)."""
    data = session.pop(HANDOFF_KEY, None)
    if not isinstance(data, dict) or time.time() - data.pop("at", 0) > HANDOFF_LIFETIME:
        return None
    try:
        return Identity(**data)
    except TypeError:
        return None


@bp.get("")
@limiter.limit(GOOGLE_LIMIT)
@public
def start():
    if not enabled():
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("businesses.start"))
    return _redirect_to_google({"mode": "login"})


def _identity_from(token: dict) -> Identity:
    claims = token.get("userinfo")
    if not claims or not claims.get("iss") or not claims.get("sub"):
        raise ValueError("no verified ID token")
    email = claims.get("email")
    try:
        email = normalize_email(email) if email else None
    except ValidationFailed:
        email = None
    return Identity(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        email=email,
        email_verified=claims.get("email_verified") in (True, "true"),
        name=(str(claims.get("name") or "").strip()[:120] or None),
    )


@bp.get("/callback")
@limiter.limit(GOOGLE_LIMIT)
@public
def callback():
    if not enabled():
        abort(404)
    intent = session.pop(INTENT_KEY, None) or {"mode": "login"}
    try:
        # Checks state (against the session), then the ID token's signature,
        # issuer, audience, expiry and nonce.
        identity = _identity_from(_client().authorize_access_token())
    except (OAuthError, JoseError, requests.RequestException, ValueError, KeyError):
        current_app.logger.info("Google sign-in refused", exc_info=True)
        db.session.rollback()
        return render_error(
            400, _("We could not confirm your Google sign-in. Please go back and try again.")
        )
    if intent.get("mode") == "handoff":
        session[HANDOFF_KEY] = {**asdict(identity), "at": time.time()}
        return redirect(safe_next(intent.get("next"), url_for("accounts.login")))
    try:
        user, created = sign_in_with_google(identity, select_locale())
    except DomainError as error:
        db.session.rollback()
        return render_error(error.status_code, error.message)
    start_session(user)
    db.session.commit()
    return redirect(url_for("businesses.onboard") if created else after_login_url(user), 303)


# --- Accounts from Google identities ------------------------------------------------


def _link(user: User, identity: Identity) -> None:
    db.session.add(
        OAuthIdentity(
            user_id=user.id, issuer=identity.issuer, subject=identity.subject, email=identity.email
        )
    )
    db.session.flush()
    identity_linked.send(user, provider="google", email=identity.email)


def sign_in_with_google(identity: Identity, locale: str = "en") -> tuple[User, bool]:
    """The user for a verified Google identity, linking or creating one; (user, created)."""
    linked = db.session.scalar(
        sa.select(OAuthIdentity).where(
            OAuthIdentity.issuer == identity.issuer, OAuthIdentity.subject == identity.subject
        )
    )
    if linked is not None:
        if not linked.user.is_active:
            raise NotAllowed(_("This account is no longer active. Ask the workspace owner."))
        return linked.user, False
    if not identity.email:
        raise NotAllowed(_("Google did not share your email address, so we cannot sign you in."))
    if not identity.email_verified:
        raise NotAllowed(
            _(
                "Google has not confirmed this email address, so we cannot use it. "
                "Log in or sign up with your email and a password instead."
            )
        )
    user = get_user_by_email(identity.email)
    if user is not None:
        if not user.is_active:
            raise NotAllowed(_("This account is no longer active. Ask the workspace owner."))
        if user.email_verified_at is None:
            # Whoever created this account never proved the address; Google just did.
            # Their password and sessions go, so they cannot share the real owner's account.
            user.password_hash = None
            revoke_sessions(user)
            user.email_verified_at = utcnow()
            events.email_verified.send(user)
        _link(user, identity)
        return user, False
    name = identity.name or identity.email.split("@")[0]
    workspace = Workspace(name=name)
    user = User(
        workspace=workspace,
        email=identity.email,
        name=name,
        password_hash=None,
        role=OWNER,
        locale=locale,
        email_verified_at=utcnow(),
    )
    db.session.add_all([workspace, user])
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as exc:  # the same address signed up a moment ago
        raise NotAllowed(_("An account with this email already exists. Log in instead.")) from exc
    events.user_registered.send(user)
    _link(user, identity)
    queue_email(user.email, "welcome", locale=user.locale, name=user.first_name)
    return user, True
