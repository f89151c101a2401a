"""Login, logout, server-side sessions, rate limits and expired logins."""

import sqlalchemy as sa

from kyora.accounts.models import UserSession
from kyora.extensions import db
from tests.factories import PASSWORD, login, make_tenant, make_user, page_text


def test_login_lands_on_the_business_home(client):
    owner, business = make_tenant()
    response = client.post("/login", data={"email": owner.email.upper(), "password": PASSWORD})
    assert response.status_code == 303
    response = client.get(response.headers["Location"])
    assert response.headers["Location"].endswith(f"/b/{business.handle}/")


def test_wrong_password_and_unknown_email_get_the_same_answer(client):
    user = make_user(email="known@example.com")
    wrong = client.post("/login", data={"email": user.email, "password": "not-the-password"})
    unknown = client.post(
        "/login", data={"email": "nobody@example.com", "password": "whatever-it-is"}
    )
    assert wrong.status_code == unknown.status_code == 422
    message = "That email and password don't match"
    assert message in page_text(wrong) and message in page_text(unknown)
    assert db.session.scalar(sa.select(sa.func.count(UserSession.id))) == 0


def test_next_only_goes_to_local_paths(client):
    owner, business = make_tenant()
    response = client.post(
        "/login", data={"email": owner.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert "evil" not in response.headers["Location"]
    client.post("/logout")
    response = client.post(
        "/login",
        data={"email": owner.email, "password": PASSWORD, "next": f"/b/{business.handle}/settings"},
    )
    assert response.headers["Location"] == f"/b/{business.handle}/settings"


def test_anonymous_is_sent_to_login_and_htmx_gets_hx_redirect(client):
    owner, business = make_tenant()
    response = client.get(f"/b/{business.handle}/settings")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    htmx = client.get(f"/b/{business.handle}/settings", headers={"HX-Request": "true"})
    assert htmx.status_code == 401
    assert htmx.headers["HX-Redirect"].startswith("/login?next=")


def test_logout_ends_the_server_side_session(client, app):
    owner, business = make_tenant()
    login(client, owner)
    cookie = client.get_cookie("kyora_session").value
    client.post("/logout")
    # Replaying the captured cookie no longer works.
    replay = app.test_client()
    replay.set_cookie("kyora_session", cookie)
    assert replay.get(f"/b/{business.handle}/").status_code == 302
    assert db.session.scalar(sa.select(UserSession)).revoked_at is not None


def test_log_out_other_devices(app, client):
    owner, business = make_tenant()
    phone = app.test_client()
    login(phone, owner)
    login(client, owner)
    page = client.get("/account/sessions")
    assert page_text(page).count("Log out") >= 2
    response = client.post("/account/sessions/revoke-others")
    assert response.status_code == 303
    assert "Logged out of 1 other devices" in page_text(client.get("/account/sessions"))
    assert phone.get(f"/b/{business.handle}/").status_code == 302
    assert client.get(f"/b/{business.handle}/").status_code == 200


def test_revoke_one_session_and_not_someone_elses(app, client):
    owner, business = make_tenant()
    other = make_user()
    other_client = app.test_client()
    login(other_client, other)
    phone = app.test_client()
    login(phone, owner)
    login(client, owner)
    sessions = db.session.scalars(sa.select(UserSession).order_by(UserSession.id)).all()
    other_session, phone_session = sessions[0], sessions[1]
    assert client.post(f"/account/sessions/{other_session.id}/revoke").status_code == 404
    assert client.post(f"/account/sessions/{phone_session.id}/revoke").status_code == 303
    assert phone.get(f"/b/{business.handle}/").status_code == 302
    assert other_client.get("/account").status_code == 200


def test_new_device_login_sends_a_notice(app, client, outbox):
    owner, business = make_tenant()
    login(client, owner)
    assert outbox == []  # first session ever: nothing to compare with
    phone = app.test_client()
    phone.post(
        "/login",
        data={"email": owner.email, "password": PASSWORD},
        headers={
            "User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1"
        },
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert outbox[-1]["Subject"] == "New login to your Kyora account"
    assert "10.1.2.3" in outbox[-1].get_body(("plain",)).get_content()


def test_login_is_rate_limited_per_address(client):
    statuses = [
        client.post(
            "/login", data={"email": f"guess{n}@example.com", "password": "wrong-password!"}
        ).status_code
        for n in range(11)
    ]
    assert statuses[:10] == [422] * 10
    assert statuses[10] == 429
    assert "Too many attempts" in page_text(client.post("/login", data={"email": "x@example.com"}))


def test_login_is_rate_limited_per_account_from_any_address(app, client):
    """Guesses at one account spread over many addresses stop after 5 a minute, and
    the account's owner, elsewhere, is limited only for that account."""
    user = make_user()
    statuses = [
        client.post(
            "/login",
            data={"email": user.email.upper(), "password": "wrong-password!"},
            environ_base={"REMOTE_ADDR": f"203.0.113.{n}"},
        ).status_code
        for n in range(6)
    ]
    assert statuses == [422] * 5 + [429]
    other = make_user(email="other@example.com")
    response = client.post(
        "/login",
        data={"email": other.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "203.0.113.9"},
    )
    assert response.status_code == 303


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(app, tmp_path):
    """With TRUSTED_PROXIES=1 the address comes from X-Forwarded-For, so one noisy client
    behind the proxy does not lock out everyone else sharing the proxy's address."""
    from kyora import create_app
    from kyora.core import jobs

    proxied = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/proxy.db",
            "TRUSTED_PROXIES": 1,
        }
    )
    jobs.init_app(app)  # creating an app re-points the shared job queue: give it back
    seen = []

    @proxied.get("/whoami-test")
    def whoami():
        from flask import request

        seen.append(request.remote_addr)
        return "ok"

    probe = proxied.test_client()
    probe.get("/whoami-test", headers={"X-Forwarded-For": "198.51.100.7"})
    probe.get("/whoami-test", headers={"X-Forwarded-For": "1.2.3.4, 198.51.100.8"})
    # Only the last hop (added by our proxy) is trusted; a client-supplied one is not.
    assert seen == ["198.51.100.7", "198.51.100.8"]


def test_deactivated_user_cannot_log_in(client):
    from kyora.core.db import utcnow

    user = make_user()
    user.deactivated_at = utcnow()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 422
