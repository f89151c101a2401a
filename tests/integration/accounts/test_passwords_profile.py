"""Password reset and change, email change, profile and language."""

import re
from datetime import timedelta

import sqlalchemy as sa

from kyora.accounts.models import OneTimeToken, User
from kyora.core.db import utcnow
from kyora.extensions import db
from tests.factories import PASSWORD, last_code, last_link, login, make_tenant, make_user, page_text

NEW_PASSWORD = "a brand new sentence 7"


def test_forgot_password_same_answer_for_known_and_unknown(client, outbox):
    user = make_user(email="known@example.com")
    known = client.post("/password/forgot", data={"email": user.email})
    unknown = client.post("/password/forgot", data={"email": "ghost@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert "If an account exists for" in page_text(known)
    assert "If an account exists for" in page_text(unknown)
    assert [m["To"] for m in outbox] == ["known@example.com"]


def test_reset_link_sets_password_ends_sessions_and_is_single_use(app, client, outbox):
    owner, business = make_tenant()
    phone = app.test_client()
    login(phone, owner)
    client.post("/password/forgot", data={"email": owner.email})
    link = last_link(outbox, "/password/reset/")
    assert client.get(link).status_code == 200
    weak = client.post(link, data={"password": "short"})
    assert weak.status_code == 422 and "Use at least 10 characters." in page_text(weak)
    response = client.post(link, data={"password": NEW_PASSWORD})
    assert response.status_code == 303
    # Every session ended, the old password is gone, the new one works.
    assert phone.get(f"/b/{business.handle}/").status_code == 302
    assert (
        client.post("/login", data={"email": owner.email, "password": PASSWORD}).status_code == 422
    )
    login(client, owner, NEW_PASSWORD)
    # The link works once.
    client.post("/logout")
    assert client.get(link).status_code == 410


def test_reset_link_expires_after_an_hour(client, outbox):
    user = make_user()
    client.post("/password/forgot", data={"email": user.email})
    link = last_link(outbox, "/password/reset/")
    token = db.session.scalar(sa.select(OneTimeToken))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 410
    assert "This link has expired" in page_text(response)
    assert client.post(link, data={"password": NEW_PASSWORD}).status_code == 410


def test_change_password_needs_current_and_logs_out_other_devices(app, client):
    owner, business = make_tenant()
    phone = app.test_client()
    login(phone, owner)
    login(client, owner)
    wrong = client.post(
        "/account/password",
        data={"current_password": "nope-nope-nope", "new_password": NEW_PASSWORD},
    )
    assert wrong.status_code == 422
    assert "That is not your current password." in page_text(wrong)
    ok = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert ok.status_code == 303
    assert client.get("/account").status_code == 200  # this device stays in
    assert phone.get("/account").status_code == 302  # the other one is out


def test_change_email_with_code_sent_to_the_new_address(client, outbox):
    user = make_user(email="old@example.com")
    taken = make_user(email="taken@example.com")
    login(client, user)
    clash = client.post("/account/email", data={"email": taken.email, "password": PASSWORD})
    assert clash.status_code == 422
    assert "used by another account" in page_text(clash)
    response = client.post(
        "/account/email", data={"email": "New@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 303
    assert outbox[-1]["To"] == "new@example.com"
    assert "Enter the code we sent to new@example.com" in page_text(client.get("/account/email"))
    bad = client.post("/account/email/confirm", data={"confirm-code": "000001"})
    assert bad.status_code == 422
    code = last_code(outbox)
    response = client.post("/account/email/confirm", data={"confirm-code": code})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(User, user.id).email == "new@example.com"
    assert outbox[-1]["To"] == "old@example.com"  # the old address is told


def test_profile_and_language(client):
    user = make_user()
    login(client, user)
    response = client.post("/account", data={"name": "", "locale": "en"})
    assert response.status_code == 422
    response = client.post("/account", data={"name": "Sara Q", "locale": "ar"})
    assert response.status_code == 303
    page = client.get("/account")
    body = page.get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in body


def test_language_switch_for_visitors_uses_a_cookie(client):
    response = client.post("/language", data={"lang": "ar", "next": "/login"})
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert 'dir="rtl"' in client.get("/login").get_data(as_text=True)
    evil = client.post("/language", data={"lang": "en", "next": "https://evil.example"})
    assert evil.headers["Location"] == "/"


def test_browser_language_is_used_when_nothing_was_chosen(client):
    page = client.get("/login", headers={"Accept-Language": "ar-AE,ar;q=0.9,en;q=0.5"})
    assert 'lang="ar" dir="rtl"' in page.get_data(as_text=True)


def test_resend_code_waits_a_minute(client, outbox):
    client.post(
        "/signup",
        data={"name": "Mona", "email": "mona@example.com", "password": "fresh bread every morning"},
    )
    too_soon = client.post("/signup/verify/resend")
    assert too_soon.status_code == 429
    assert "You can ask for a new code in" in page_text(too_soon)
    token = db.session.scalar(sa.select(OneTimeToken))
    token.created_at = utcnow() - timedelta(seconds=61)
    db.session.commit()
    assert client.post("/signup/verify/resend").status_code == 303
    assert len(outbox) == 2
    # The first code no longer works; the new one does.
    assert client.post("/signup/verify", data={"code": last_code(outbox)}).status_code == 303


def test_expired_code_is_refused(client, outbox):
    client.post(
        "/signup",
        data={"name": "Mona", "email": "mona@example.com", "password": "fresh bread every morning"},
    )
    token = db.session.scalar(sa.select(OneTimeToken))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post("/signup/verify", data={"code": last_code(outbox)})
    assert response.status_code == 422
    assert "This code has expired" in page_text(response)


def test_reset_requests_do_the_same_work_whether_or_not_the_email_exists(client, monkeypatch):
    """The page only queues a job (lookup and email happen off the request), so known and
    unknown addresses get the same answer after the same work."""
    from kyora.accounts import jobs

    make_user(email="known@example.com")
    queued = []
    monkeypatch.setattr(jobs, "send_password_reset", queued.append)
    known = client.post("/password/forgot", data={"email": "Known@Example.com"})
    unknown = client.post("/password/forgot", data={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 200

    def page(response, email):
        # CSRF tokens carry a timestamp: equal pages may differ there alone.
        text = response.get_data(as_text=True).replace(email, "X")
        return re.sub(r"[\w-]{20,}\.[\w-]{4,}\.[\w-]{10,}", "TOKEN", text)

    assert page(known, "Known@Example.com") == page(unknown, "nobody@example.com")
    assert queued == ["known@example.com", "nobody@example.com"]
