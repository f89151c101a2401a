"""Sign in with Google, end to end against the local fake OpenID provider."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests
import sqlalchemy as sa
from joserfc.jwk import RSAKey

from kyora.accounts.models import OAuthIdentity, User, UserSession, Workspace
from kyora.core.db import utcnow
from kyora.extensions import db
from kyora.team.models import AuditEvent, Invitation
from tests.factories import PASSWORD, last_link, login, make_user, page_text


def _authorize(client, start: str = "/auth/google") -> str:
    """Follow Kyora to the provider and back: the callback path the browser would open."""
    response = client.get(start)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    to_provider = response.headers["Location"]
    query = parse_qs(urlsplit(to_provider).query)
    assert query["state"][0] and query["nonce"][0]  # both are sent and later checked
    back = requests.get(to_provider, allow_redirects=False, timeout=5)
    assert back.status_code == 302
    parts = urlsplit(back.headers["Location"])
    return f"{parts.path}?{parts.query}"


def _sign_in(client, start: str = "/auth/google"):
    return client.get(_authorize(client, start))


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_google_is_hidden_until_configured(client):
    assert "Continue with Google" not in page_text(client.get("/login"))
    assert "Continue with Google" not in page_text(client.get("/signup"))
    assert client.get("/auth/google").status_code == 404
    assert client.get("/auth/google/callback?code=x&state=y").status_code == 404


def test_new_google_user_gets_a_workspace_and_the_business_step(client, google, outbox):
    assert "Continue with Google" in page_text(client.get("/login"))
    assert "Continue with Google" in page_text(client.get("/signup"))
    google.next_user = {
        "sub": "g-100",
        "email": "Layla@Example.com",
        "email_verified": True,
        "name": "Layla Haddad",
    }
    response = _sign_in(client)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/signup/business")
    user = db.session.scalar(sa.select(User))
    assert (user.email, user.name, user.role) == ("layla@example.com", "Layla Haddad", "owner")
    assert user.email_verified and user.password_hash is None
    identity = db.session.scalar(sa.select(OAuthIdentity))
    assert (identity.issuer, identity.subject, identity.user_id) == (
        google.issuer,
        "g-100",
        user.id,
    )
    # Signed in: the business step opens.
    assert "Name your business" in page_text(client.get("/signup/business"))
    assert outbox[-1]["To"] == "layla@example.com"  # the welcome email
    # The token request carried the PKCE verifier and the client's credentials.
    assert google.token_requests[-1]["code_verifier"]


def test_returning_user_is_found_by_issuer_and_subject(client, google):
    user = make_user(email="old@example.com", name="Old Friend")
    db.session.add(
        OAuthIdentity(user_id=user.id, issuer=google.issuer, subject="g-7", email="x@y.z")
    )
    # Google's email may have changed since; the (issuer, subject) pair decides.
    google.next_user = {"sub": "g-7", "email": "new@example.com", "email_verified": True}
    response = _sign_in(client)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/start")
    assert _count(User) == 1
    assert db.session.scalar(sa.select(UserSession.user_id)) == user.id


def test_existing_account_is_linked_when_google_verified_the_email(client, google):
    user = make_user(email="sara@example.com")
    google.next_user = {"sub": "g-8", "email": "sara@example.com", "email_verified": True}
    response = _sign_in(client)
    assert response.status_code == 303
    identity = db.session.scalar(sa.select(OAuthIdentity))
    assert identity.user_id == user.id
    assert _count(User) == 1 and _count(Workspace) == 1
    assert "google_linked" in db.session.scalars(sa.select(AuditEvent.kind)).all()


def test_unverified_google_email_links_nothing_and_creates_nothing(client, google):
    make_user(email="sara@example.com")
    google.next_user = {"sub": "g-9", "email": "sara@example.com", "email_verified": False}
    response = _sign_in(client)
    assert response.status_code == 403
    assert "not confirmed this email" in page_text(response)
    google.next_user = {"sub": "g-10", "email": "fresh@example.com", "email_verified": False}
    response = _sign_in(client)
    assert response.status_code == 403
    assert _count(OAuthIdentity) == 0 and _count(User) == 1 and _count(UserSession) == 0
    assert client.get("/start").status_code == 302  # still logged out


def test_unproven_account_loses_its_password_when_google_proves_the_address(client, google, app):
    # Someone signed up with this address but never confirmed it.
    squatter = make_user(email="victim@example.com", verified=False)
    squatter_client = app.test_client()
    login(squatter_client, squatter)
    google.next_user = {"sub": "g-11", "email": "victim@example.com", "email_verified": True}
    assert _sign_in(client).status_code == 303
    db.session.expire_all()
    user = db.session.get(User, squatter.id)
    assert user.password_hash is None and user.email_verified
    assert squatter_client.get("/account").status_code == 302  # their session is over
    response = squatter_client.post(
        "/login", data={"email": "victim@example.com", "password": PASSWORD}
    )
    assert response.status_code == 422


def test_forged_state_is_refused(client, google):
    path = _authorize(client)
    code = parse_qs(urlsplit(path).query)["code"][0]
    response = client.get(f"/auth/google/callback?code={code}&state=forged")
    assert response.status_code == 400
    assert "could not confirm your Google sign-in" in page_text(response)
    assert _count(User) == 0 and _count(UserSession) == 0


def test_callback_without_starting_is_refused(client, google):
    response = client.get("/auth/google/callback?code=abc&state=abc")
    assert response.status_code == 400
    assert _count(User) == 0


def test_replayed_callback_is_refused(client, google):
    path = _authorize(client)
    assert client.get(path).status_code == 303
    client.post("/logout")
    assert client.get(path).status_code == 400


def test_forged_nonce_is_refused(client, google):
    google.tamper = {"nonce": "not-the-one-we-sent"}
    response = _sign_in(client)
    assert response.status_code == 400
    assert _count(User) == 0


def test_token_signed_by_another_key_is_refused(client, google):
    google.sign_with = RSAKey.generate_key(2048, parameters={"kid": "test-key-1"})
    assert _sign_in(client).status_code == 400
    assert _count(User) == 0


def test_token_for_another_app_or_issuer_is_refused(client, google):
    google.tamper = {"aud": "someone-elses-client"}
    assert _sign_in(client).status_code == 400
    google.tamper = {"iss": "https://evil.example.com"}
    assert _sign_in(client).status_code == 400
    google.tamper = {"exp": 1_000_000}
    assert _sign_in(client).status_code == 400
    assert _count(User) == 0


def test_removed_person_cannot_sign_in_with_google(client, google):
    user = make_user(email="gone@example.com")
    user.deactivated_at = utcnow()
    db.session.add(OAuthIdentity(user_id=user.id, issuer=google.issuer, subject="g-12"))
    google.next_user = {"sub": "g-12", "email": "gone@example.com", "email_verified": True}
    response = _sign_in(client)
    assert response.status_code == 403
    assert "no longer active" in page_text(response)
    assert _count(UserSession) == 0


def test_invitation_accepted_with_google(client, google, team, outbox):
    login(client, team.owner)
    client.post(
        "/settings/team/invitations",
        data={"email": "helper@example.com", "role": "member", "locale": "en"},
    )
    link = last_link(outbox, "/invitations/")
    client.post("/logout")
    assert "Continue with Google" in page_text(client.get(link))

    google.next_user = {
        "sub": "g-helper",
        "email": "helper.personal@gmail.example",
        "email_verified": True,
        "name": "Hana Helper",
    }
    back = client.get(_authorize(client, f"{link}/google"))
    assert back.status_code == 302 and back.headers["Location"].endswith(f"{link}/google/done")
    response = client.get(f"{link}/google/done")
    assert response.status_code == 303
    helper = db.session.scalar(sa.select(User).where(User.name == "Hana Helper"))
    # The account uses the invited address, proven by the emailed link.
    assert helper.email == "helper@example.com" and helper.email_verified
    assert (helper.role, helper.workspace_id) == ("member", team.owner.workspace_id)
    assert db.session.scalar(sa.select(OAuthIdentity.user_id)) == helper.id
    assert db.session.scalar(sa.select(Invitation.accepted_at)) is not None
    assert "Hello, Hana" in page_text(client.get(client.get("/start").headers["Location"]))
    # The identity is spent: opening the page again does nothing more.
    client.post("/logout")
    assert client.get(f"{link}/google/done").status_code == 410
    # Next time, Google alone logs the helper in.
    assert _sign_in(client).status_code == 303


def test_invitation_google_page_without_a_google_answer_is_refused(client, google, team, outbox):
    login(client, team.owner)
    client.post(
        "/settings/team/invitations",
        data={"email": "helper@example.com", "role": "member", "locale": "en"},
    )
    link = last_link(outbox, "/invitations/")
    client.post("/logout")
    response = client.get(f"{link}/google/done")
    assert response.status_code == 400
    assert _count(User) == 3
    assert db.session.scalar(sa.select(Invitation.accepted_at)) is None


def test_invitation_with_a_google_account_already_in_use(client, google, team, outbox):
    other = make_user(email="other@example.com")
    db.session.add(OAuthIdentity(user_id=other.id, issuer=google.issuer, subject="g-taken"))
    login(client, team.owner)
    client.post(
        "/settings/team/invitations",
        data={"email": "helper@example.com", "role": "member", "locale": "en"},
    )
    link = last_link(outbox, "/invitations/")
    client.post("/logout")
    google.next_user = {"sub": "g-taken", "email": "other@example.com", "email_verified": True}
    client.get(_authorize(client, f"{link}/google"))
    response = client.get(f"{link}/google/done")
    assert response.status_code == 403
    assert "already used by another Kyora account" in page_text(response)
    assert db.session.scalar(sa.select(Invitation.accepted_at)) is None


def test_invitation_page_offers_google_only_when_configured(client, team, outbox):
    login(client, team.owner)
    client.post(
        "/settings/team/invitations",
        data={"email": "helper@example.com", "role": "member", "locale": "en"},
    )
    link = last_link(outbox, "/invitations/")
    client.post("/logout")
    assert "Continue with Google" not in page_text(client.get(link))
    assert client.get(f"{link}/google").status_code == 404


def test_signed_in_user_is_not_sent_to_google(client, google):
    login(client, make_user())
    response = client.get("/auth/google")
    assert response.status_code == 302 and response.headers["Location"].endswith("/start")
