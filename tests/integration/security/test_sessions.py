"""A captured session cookie stops working the moment access is taken away."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from kyora.core.db import utcnow
from tests.factories import PASSWORD, last_link, login, make_user

COOKIE = "kyora_session"


def _captured(app, client):
    """A new browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def _works(client) -> bool:
    return client.get("/account").status_code == 200


def test_log_out_other_devices_ends_them_at_once(app, client):
    user = make_user()
    phone = app.test_client()
    login(phone, user)
    stolen = _captured(app, phone)
    login(client, user)
    assert _works(phone) and _works(stolen) and _works(client)

    response = client.post("/account/sessions/revoke-others")
    assert response.status_code == 303
    assert not _works(phone) and not _works(stolen)
    assert _works(client)


def test_password_reset_ends_every_session(app, client, outbox):
    user = make_user()
    login(client, user)
    stolen = _captured(app, client)
    assert _works(stolen)
    other = app.test_client()
    other.post("/password/forgot", data={"email": user.email})
    link = last_link(outbox, "/password/reset/")
    assert other.post(link, data={"password": "a brand new sentence"}).status_code == 303
    assert not _works(client) and not _works(stolen)


def test_password_change_ends_the_other_sessions(app, client):
    user = make_user()
    laptop = app.test_client()
    login(laptop, user)
    stolen = _captured(app, laptop)
    login(client, user)
    response = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "another good sentence"},
    )
    assert response.status_code == 303
    assert not _works(laptop) and not _works(stolen)
    assert _works(client)


def test_removal_from_the_team_ends_sessions_at_once(app, client):
    owner = make_user()
    helper = make_user(role="member", workspace=owner.workspace)
    helper_phone = app.test_client()
    login(helper_phone, helper)
    stolen = _captured(app, helper_phone)
    assert _works(stolen)
    login(client, owner)
    assert client.post(f"/settings/team/members/{helper.id}/remove").status_code == 303
    assert not _works(helper_phone) and not _works(stolen)
    htmx = stolen.get("/account", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/login")


def _age_session(user, **changes) -> None:
    from kyora.accounts.models import UserSession
    from kyora.extensions import db

    for record in db.session.scalars(sa.select(UserSession).where(UserSession.user_id == user.id)):
        for name, value in changes.items():
            setattr(record, name, value)
    db.session.commit()


def test_an_unused_session_expires_on_the_server(app, client):
    user = make_user()
    login(client, user)
    idle = app.config["SESSION_IDLE_LIFETIME"]
    _age_session(user, last_seen_at=utcnow() - idle + timedelta(minutes=10))
    assert _works(client)  # used just within the idle time: still open
    _age_session(user, last_seen_at=utcnow() - idle - timedelta(minutes=1))
    assert not _works(client)
    # Closed for good, even if the clock were put back.
    _age_session(user, last_seen_at=utcnow())
    assert not _works(client)


def test_a_session_ends_after_its_absolute_lifetime_however_busy(app, client):
    user = make_user()
    login(client, user)
    absolute = app.config["SESSION_ABSOLUTE_LIFETIME"]
    _age_session(user, created_at=utcnow() - absolute + timedelta(hours=1))
    assert _works(client)
    _age_session(user, created_at=utcnow() - absolute - timedelta(minutes=1))
    assert not _works(client)
    assert client.get("/account").headers["Location"].startswith("/login")
