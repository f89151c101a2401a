"""Platform behaviour every page relies on: types, headers, errors, health, email queue."""

import gzip
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import url_for

from kyora.businesses.models import Business
from kyora.core import mail
from kyora.core.db import utcnow
from kyora.extensions import db
from tests.factories import login, make_tenant, make_user, page_text


def test_money_and_rate_columns_are_exact_on_this_engine():
    owner, business = make_tenant()
    business.vat_rate = Decimal("0.05")
    business.safety_buffer = Decimal("1234.567")
    db.session.commit()
    db.session.expire_all()
    loaded = db.session.get(Business, business.id)
    assert loaded.vat_rate == Decimal("0.050000")
    assert loaded.safety_buffer == Decimal("1234.567")
    # Sums are exact in SQL (0.1 + 0.2 is 0.3, not 0.30000000000000004).
    for cents in ("0.1", "0.2"):
        other = make_tenant()[1]
        other.safety_buffer = Decimal(cents)
    db.session.flush()
    total = db.session.scalar(
        sa.select(sa.func.sum(Business.safety_buffer)).where(Business.id != business.id)
    )
    assert total == Decimal("0.300")
    # Comparisons bind through the same type.
    found = db.session.scalar(
        sa.select(Business.id).where(Business.safety_buffer > Decimal("1000"))
    )
    assert found == business.id


def test_money_refuses_floats():
    owner, business = make_tenant()
    business.safety_buffer = 1.5
    with pytest.raises(sa.exc.StatementError):
        db.session.flush()
    db.session.rollback()


def test_timestamps_come_back_aware_in_utc():
    user = make_user()
    db.session.commit()
    db.session.expire_all()
    assert user.created_at.tzinfo is not None
    assert abs(user.created_at - datetime.now(UTC)) < timedelta(minutes=1)


def test_security_headers_and_request_id(client):
    response = client.get("/login", headers={"X-Request-ID": "abc12345-req"})
    headers = response.headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "HX-Request" in headers["Vary"]
    assert headers["X-Request-ID"] == "abc12345-req"
    assert "Strict-Transport-Security" not in headers  # development/test only
    generated = client.get("/login", headers={"X-Request-ID": "bad id!"}).headers["X-Request-ID"]
    assert generated != "bad id!" and len(generated) == 32


def test_session_cookie_flags(client):
    user = make_user()
    response = login(client, user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_pages_have_no_inline_script_or_style(client):
    owner, business = make_tenant()
    login(client, owner)
    for url in ("/login", "/signup", f"/b/{business.handle}/", f"/b/{business.handle}/settings"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>" not in body and 'style="' not in body, url
        # htmx sends the CSRF token from <body hx-headers>, on the pages that load htmx.
        assert ('hx-headers=\'{"X-CSRFToken"' in body) == ("/static/vendor/htmx-" in body), url


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok"


def test_unknown_route_is_a_404_page_and_inline_for_htmx(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404
    assert "We couldn't find that page" in page_text(page)
    assert "<html" in page.get_data(as_text=True)
    inline = client.get("/no/such/page", headers={"HX-Request": "true"})
    assert inline.status_code == 404
    body = inline.get_data(as_text=True)
    assert "<html" not in body and 'class="error-inline"' in body


def test_crash_renders_500_rolls_back_and_logs_request_id(app, client, caplog, monkeypatch):
    from kyora.accounts import services

    user = make_user()
    login(client, user)

    def half_then_crash(user, name, locale, languages):
        user.name = "Half Written"
        db.session.flush()
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "update_profile", half_then_crash)
    monkeypatch.setitem(app.config, "KYORA_RENDER_500", True)
    response = client.post(
        "/account", data={"name": "New", "locale": "en"}, headers={"X-Request-ID": "crash-test-1"}
    )
    assert response.status_code == 500
    assert "Something went wrong on our side" in page_text(response)
    assert "crash-test-1" in page_text(response)
    db.session.expire_all()
    assert db.session.get(type(user), user.id).name == "Sara Ali"
    assert any(getattr(r, "request_id", None) == "crash-test-1" for r in caplog.records)


def test_a_busy_database_answers_503_nothing_saved(app, client, monkeypatch):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from kyora.accounts import services

    user = make_user()
    login(client, user)

    def half_then_locked(user, name, locale, languages):
        user.name = "Half Written"
        db.session.flush()
        raise OperationalError("UPDATE ...", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(services, "update_profile", half_then_locked)
    response = client.post("/account", data={"name": "New", "locale": "en"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "Nothing was saved" in page_text(response)
    db.session.expire_all()
    assert db.session.get(type(user), user.id).name == "Sara Ali"


def test_email_is_queued_in_the_transaction_and_sent_after_commit(outbox):
    user = make_user()
    mail.queue_email(user.email, "welcome", locale="en", name="Sara")
    assert outbox == []  # nothing leaves before the commit
    db.session.commit()
    assert len(outbox) == 1
    assert outbox[0]["Subject"] == "Welcome to Kyora"
    assert outbox[0].get_body(("html",)) is not None
    row = db.session.scalar(sa.select(mail.OutboundEmail))
    assert row.sent_at is not None


def test_rolled_back_email_is_never_sent(outbox):
    user = make_user()
    mail.queue_email(user.email, "welcome", locale="en", name="Sara")
    db.session.rollback()
    assert outbox == []
    assert db.session.scalar(sa.select(sa.func.count(mail.OutboundEmail.id))) == 0


def test_email_survives_a_rolled_back_savepoint(outbox):
    user = make_user()
    mail.queue_email(user.email, "welcome", locale="en", name="Sara")
    try:
        with db.session.begin_nested():
            make_user(email=user.email)  # a unique clash, retried in real code
    except sa.exc.IntegrityError:
        pass
    db.session.commit()
    assert [m["To"] for m in outbox] == [user.email]


def test_failed_email_is_retried_by_the_periodic_job(app, outbox, monkeypatch):
    user = make_user()
    real_send = mail._send
    calls = {"n": 0}

    def flaky(message):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("SMTP down")
        real_send(message)

    monkeypatch.setattr(mail, "_send", flaky)
    mail.queue_email(user.email, "welcome", locale="ar", name="سارة")
    db.session.commit()
    row = db.session.scalar(sa.select(mail.OutboundEmail))
    assert row.sent_at is None and row.attempts == 1 and "SMTP down" in row.last_error
    assert outbox == []
    # Not yet due: the retry waits.
    assert mail.retry_unsent_emails.call_local() == 0
    row.next_attempt_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert mail.retry_unsent_emails.call_local() == 1
    assert len(outbox) == 1
    assert outbox[0]["Subject"] == "مرحبًا بك في Kyora" or outbox[0]["Subject"]


def test_static_files_have_hashed_names_and_are_cached_for_a_year(app, client):
    with app.test_request_context("/"):
        url = url_for("static", filename="css/kyora.css")
    assert (
        url.startswith("/static/css/kyora.")
        and url.endswith(".css")
        and url != "/static/css/kyora.css"
    )
    with client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"}) as response:
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "br"
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=3" in response.headers["Cache-Control"]  # a year or more
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")
    with client.get(url) as plain:
        assert "Content-Encoding" not in plain.headers
        css = plain.data.decode()
    # One stylesheet: Pico (its licence kept), then the app's rules, without comments.
    static = Path(app.static_folder)
    source = (static / "css" / "app.css").read_text("utf-8")
    assert css.startswith('@charset "UTF-8";/*!\n * Pico CSS')
    assert ".skip-link{" in css and css.index(".skip-link{") > css.index("--pico-font-family")
    assert "/* " in source and "/* " not in css
    assert len(css) < (static / "vendor" / "pico-2.1.1.jade.trimmed.min.css").stat().st_size + (
        len(source)
    )


def test_pages_link_the_hashed_assets_and_go_out_compressed(client):
    response = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.data).decode()
    assert re.search(r'href="/static/css/kyora\.[0-9a-f]{12}\.css"', html)
    assert re.search(r'src="/static/js/app\.[0-9a-f]{12}\.js"', html)
    owner, business = make_tenant()
    login(client, owner)
    orders = client.get(f"/b/{business.handle}/orders/").get_data(as_text=True)
    assert re.search(r'data-htmx="/static/vendor/htmx-[\d.]+min\.[0-9a-f]{12}\.js"', orders)


def test_a_nul_character_in_a_form_or_query_is_a_bad_request(client):
    user = make_user()
    login(client, user)
    assert client.post("/account", data={"name": "Sara\x00", "locale": "en"}).status_code == 400
    assert client.get("/account?x=a\x00b").status_code == 400
    db.session.expire_all()
    assert db.session.get(type(user), user.id).name == "Sara Ali"
