"""The security audit log: what lands in it, who can read it, and that it keeps no secrets."""

from __future__ import annotations

import sqlalchemy as sa

from kyora.accounts.models import User
from kyora.extensions import db
from kyora.team import audit
from kyora.team.models import AuditEvent
from tests.factories import PASSWORD, last_code, last_link, login, make_user, page_text


def _events(workspace_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.workspace_id == workspace_id)
            .order_by(AuditEvent.id)
        )
    )


def test_login_success_and_failure_are_recorded(client, team):
    response = client.post(
        "/login", data={"email": team.member.email, "password": "wrong guess 123"}
    )
    assert response.status_code == 422
    login(client, team.member)
    kinds = [(event.kind, event.target_user_id) for event in _events(team.owner.workspace_id)]
    assert ("login_failed", team.member.id) in kinds
    assert ("login_succeeded", team.member.id) in kinds
    success = next(
        event for event in _events(team.owner.workspace_id) if event.kind == "login_succeeded"
    )
    assert success.ip_address == "127.0.0.1"


def test_failed_login_for_an_unknown_address_is_nobodys_event(client, team):
    client.post("/login", data={"email": "nobody@example.com", "password": "whatever it is"})
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


def test_password_and_email_changes_are_recorded(client, team, outbox):
    login(client, team.admin)
    client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "a fresh long sentence"},
    )
    client.post(
        "/account/email",
        data={"email": "adam.new@example.com", "password": "a fresh long sentence"},
    )
    client.post("/account/email/confirm", data={"confirm-code": last_code(outbox)})
    kinds = [event.kind for event in _events(team.owner.workspace_id)]
    assert "password_changed" in kinds and "email_changed" in kinds
    changed = next(
        event for event in _events(team.owner.workspace_id) if event.kind == "email_changed"
    )
    assert changed.details == {"old_email": "admin@example.com", "email": "adam.new@example.com"}

    client.post("/logout")
    login(client, team.owner)
    body = page_text(client.get("/settings/team"))
    assert "Adam Admin changed their password" in body
    assert "Adam Admin changed their email from admin@example.com to adam.new@example.com" in body


def test_password_reset_is_recorded(client, team, outbox):
    client.post("/password/forgot", data={"email": team.member.email})
    link = last_link(outbox, "/password/reset/")
    client.post(link, data={"password": "reset to something long"})
    assert "password_reset" in [event.kind for event in _events(team.owner.workspace_id)]


def test_sign_up_is_recorded_in_the_new_workspace(client):
    client.post(
        "/signup",
        data={"name": "New Seller", "email": "new@example.com", "password": "cakes and more cakes"},
    )
    user = db.session.scalar(sa.select(User))
    assert [event.kind for event in _events(user.workspace_id)][:1] == ["account_created"]


def test_each_workspace_sees_only_its_own_log(client, team):
    stranger = make_user(name="Sam Stranger", email="sam@example.com")
    client.post("/login", data={"email": stranger.email, "password": "wrong guess 123"})
    login(client, team.owner)
    body = page_text(client.get("/settings/team/activity"))
    assert "Layla Owner logged in" in body
    assert "sam@example.com" not in body


def test_members_cannot_read_the_log(client, team):
    login(client, team.member)
    assert client.get("/settings/team/activity").status_code == 403


def test_nothing_secret_is_kept(client, team, outbox):
    client.post("/login", data={"email": team.owner.email, "password": "my secret attempt"})
    login(client, team.owner)
    client.post(
        "/settings/team/invitations",
        data={"email": "h@example.com", "role": "member", "locale": "en"},
    )
    token = last_link(outbox, "/invitations/").rsplit("/", 1)[-1]
    client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "the newest sentence"},
    )
    rows = " ".join(
        f"{event.details} {event.ip_address}" for event in db.session.scalars(sa.select(AuditEvent))
    )
    for secret in ("my secret attempt", PASSWORD, "the newest sentence", token):
        assert secret not in rows
    assert "password" not in rows.lower()


def test_record_refuses_secret_looking_details(app, team):
    import pytest

    with pytest.raises(ValueError):
        audit.record(team.owner.workspace_id, "x", password="hunter2")
    with pytest.raises(ValueError):
        audit.record(team.owner.workspace_id, "x", reset_token="abc")
