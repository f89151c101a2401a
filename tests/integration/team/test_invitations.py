"""Invitations: send, accept, expire, revoke, resend, limits and bad input."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from kyora.accounts.models import User
from kyora.core.db import utcnow
from kyora.extensions import db
from kyora.team import events
from kyora.team.jobs import expire_invitations
from kyora.team.models import AuditEvent, Invitation
from tests.factories import PASSWORD, last_link, login, make_user, page_text


def _invite(client, email="helper@example.com", role="member", locale="en", **extra):
    return client.post(
        "/settings/team/invitations", data={"email": email, "role": role, "locale": locale, **extra}
    )


def _section(response, element_id: str) -> str:
    """The text of one <section id=...> of a page."""
    body = page_text(response)
    start = body.index(f'<section id="{element_id}"')
    return body[start : body.index("</section>", start)]


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_owner_invites_and_helper_accepts_with_a_password(client, team, outbox):
    login(client, team.owner)
    response = _invite(client, email="Helper@Example.com")
    assert response.status_code == 303
    email = outbox[-1]
    assert email["To"] == "helper@example.com"
    assert "Layla Owner invited you" in email["Subject"]
    assert "Layla Scarves" in email.get_body(("plain",)).get_content()
    link = last_link(outbox, "/invitations/")

    page = page_text(client.get("/settings/team"))
    assert "helper@example.com" in page
    assert "Waiting" in page

    client.post("/logout")
    page = client.get(link)
    assert page.status_code == 200
    assert "Layla Owner invited you to join as Member" in page_text(page)
    response = client.post(link, data={"name": "Hana Helper", "password": "orders all day long"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/start")

    helper = db.session.scalar(sa.select(User).where(User.email == "helper@example.com"))
    assert (helper.role, helper.workspace_id) == ("member", team.owner.workspace_id)
    assert helper.email_verified
    # Logged in straight away: the business home greets the helper.
    home = client.get(client.get("/start").headers["Location"])
    assert "Hello, Hana" in page_text(home)

    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.accepted_at is not None and invitation.accepted_user_id == helper.id

    # Single use.
    client.post("/logout")
    reused = client.get(link)
    assert reused.status_code == 410
    assert "already used" in page_text(reused)


def test_invitation_email_in_arabic(client, team, outbox):
    login(client, team.owner)
    assert _invite(client, locale="ar").status_code == 303
    html = outbox[-1].get_body(("html",)).get_content()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert db.session.scalar(sa.select(Invitation.locale)) == "ar"


def test_accepting_needs_a_name_and_a_good_password(client, team, outbox):
    login(client, team.owner)
    _invite(client)
    link = last_link(outbox, "/invitations/")
    client.post("/logout")
    response = client.post(link, data={"name": "", "password": "short"})
    assert response.status_code == 422
    body = page_text(response)
    assert "Tell us your name." in body
    response = client.post(link, data={"name": "Hana", "password": "password123"})
    assert response.status_code == 422
    assert "too common" in page_text(response)
    assert db.session.scalar(sa.select(Invitation.accepted_at)) is None
    assert _count(User) == 3


def test_extra_fields_on_accept_change_nothing(client, team, outbox):
    other = make_user(email="other@example.com")
    login(client, team.owner)
    _invite(client)
    link = last_link(outbox, "/invitations/")
    client.post("/logout")
    response = client.post(
        link,
        data={
            "name": "Hana",
            "password": "orders all day long",
            "role": "owner",
            "workspace_id": str(other.workspace_id),
            "email": "sneaky@example.com",
            "email_verified_at": "",
        },
    )
    assert response.status_code == 303
    helper = db.session.scalar(sa.select(User).where(User.name == "Hana"))
    assert helper.email == "helper@example.com"
    assert helper.role == "member"
    assert helper.workspace_id == team.owner.workspace_id


def test_duplicate_invitation_is_refused(client, team, outbox):
    login(client, team.owner)
    assert _invite(client).status_code == 303
    response = _invite(client, email="HELPER@example.com")
    assert response.status_code == 422
    assert "already has an invitation waiting" in page_text(response)
    assert _count(Invitation) == 1
    assert len(outbox) == 1


def test_an_existing_account_cannot_be_invited(client, team):
    make_user(email="taken@example.com", name="Someone Else")
    login(client, team.owner)
    response = _invite(client, email="taken@example.com")
    assert response.status_code == 422
    assert "belongs to another workspace" in page_text(response)
    response = _invite(client, email=team.member.email)
    assert response.status_code == 422
    assert "already on your team" in page_text(response)
    assert _count(Invitation) == 0


def test_role_outside_the_list_is_refused(client, team):
    login(client, team.owner)
    for role in ("owner", "superuser", ""):
        response = _invite(client, role=role)
        assert response.status_code == 422, role
        assert "Choose Admin or Member." in page_text(response)
    response = _invite(client, email="not an email")
    assert response.status_code == 422
    assert "Enter a valid email address." in page_text(response)
    assert _count(Invitation) == 0


def test_expired_invitation_shows_as_expired_and_the_job_marks_it(client, team, outbox):
    login(client, team.owner)
    _invite(client)
    link = last_link(outbox, "/invitations/")
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    invitation.expires_at = utcnow() - timedelta(minutes=1)

    assert "Expired" in page_text(client.get("/settings/team"))
    client.post("/logout")
    response = client.get(link)
    assert response.status_code == 410
    assert "expired" in page_text(response)
    response = client.post(link, data={"name": "Late", "password": "orders all day long"})
    assert response.status_code == 410
    assert _count(User) == 3

    assert expire_invitations.call_local() == 1
    db.session.expire_all()
    assert db.session.scalar(sa.select(Invitation.expired_at)) is not None
    assert expire_invitations.call_local() == 0


def test_expired_invitation_can_be_sent_again(client, team, outbox):
    login(client, team.owner)
    _invite(client)
    old_link = last_link(outbox, "/invitations/")
    invitation = db.session.scalar(sa.select(Invitation))
    invitation.expires_at = utcnow() - timedelta(days=1)
    invitation.expired_at = utcnow()
    response = client.post(f"/settings/team/invitations/{invitation.id}/resend")
    assert response.status_code == 303
    new_link = last_link(outbox, "/invitations/")
    assert new_link != old_link
    client.post("/logout")
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200


def test_resend_waits_a_minute_then_replaces_the_link(client, team, outbox):
    login(client, team.owner)
    _invite(client)
    first = last_link(outbox, "/invitations/")
    invitation = db.session.scalar(sa.select(Invitation))
    response = client.post(f"/settings/team/invitations/{invitation.id}/resend")
    assert response.status_code == 409
    assert "wait a minute" in page_text(response)
    assert len(outbox) == 1

    invitation.sent_at = utcnow() - timedelta(minutes=2)
    response = client.post(f"/settings/team/invitations/{invitation.id}/resend")
    assert response.status_code == 303
    assert len(outbox) == 2
    second = last_link(outbox, "/invitations/")
    assert second != first
    client.post("/logout")
    assert client.get(first).status_code == 404


def test_revoked_invitation_stops_working(client, team, outbox):
    login(client, team.admin)
    _invite(client)
    link = last_link(outbox, "/invitations/")
    invitation = db.session.scalar(sa.select(Invitation))
    response = client.post(f"/settings/team/invitations/{invitation.id}/revoke")
    assert response.status_code == 303
    assert "helper@example.com" not in _section(client.get("/settings/team"), "team-invitations")
    client.post("/logout")
    response = client.get(link)
    assert response.status_code == 410
    assert "cancelled" in page_text(response)
    # Revoking frees the address for a new invitation.
    login(client, team.admin)
    assert _invite(client).status_code == 303


def test_unknown_token_is_404(client):
    response = client.get("/invitations/not-a-real-token")
    assert response.status_code == 404
    assert "not valid" in page_text(response)


def test_signed_in_person_is_told_to_log_out_first(client, team, outbox):
    login(client, team.owner)
    _invite(client)
    link = last_link(outbox, "/invitations/")
    response = client.get(link)
    assert response.status_code == 409
    assert "You are already logged in" in page_text(response)
    response = client.post(link, data={"name": "X", "password": "orders all day long"})
    assert response.status_code == 409
    assert db.session.scalar(sa.select(Invitation.accepted_at)) is None


def test_members_cannot_invite_resend_or_revoke(client, team, outbox):
    login(client, team.owner)
    _invite(client)
    invitation = db.session.scalar(sa.select(Invitation))
    client.post("/logout")
    login(client, team.member)
    assert _invite(client, email="friend@example.com").status_code == 403
    assert client.post(f"/settings/team/invitations/{invitation.id}/resend").status_code == 403
    assert client.post(f"/settings/team/invitations/{invitation.id}/revoke").status_code == 403
    assert client.get("/settings/team").status_code == 403
    assert _count(Invitation) == 1
    assert db.session.scalar(sa.select(Invitation.revoked_at)) is None
    assert len(outbox) == 1


def test_another_workspaces_invitation_is_404(client, team, outbox):
    login(client, team.owner)
    _invite(client)
    invitation = db.session.scalar(sa.select(Invitation))
    client.post("/logout")
    stranger = make_user(email="stranger@example.com")
    login(client, stranger)
    assert client.post(f"/settings/team/invitations/{invitation.id}/resend").status_code == 404
    assert client.post(f"/settings/team/invitations/{invitation.id}/revoke").status_code == 404
    assert db.session.scalar(sa.select(Invitation.revoked_at)) is None


def test_pending_invitations_count_toward_the_member_limit(app, client, team, monkeypatch):
    monkeypatch.setitem(app.config, "TEAM_MEMBER_LIMIT", 4)
    login(client, team.owner)
    assert _invite(client, email="one@example.com").status_code == 303
    response = _invite(client, email="two@example.com")
    assert response.status_code == 402
    assert "Upgrade your plan" in page_text(response)
    assert _count(Invitation) == 1
    # Revoking the waiting invitation frees its seat.
    invitation = db.session.scalar(sa.select(Invitation))
    client.post(f"/settings/team/invitations/{invitation.id}/revoke")
    assert _invite(client, email="two@example.com").status_code == 303


def test_member_limit_answered_by_a_signal(client, team):
    def plan_limit(workspace, seats_used, adding):
        return 3

    events.member_limit_check.connect(plan_limit)
    try:
        login(client, team.owner)
        response = _invite(client)
        assert response.status_code == 402
        assert "includes 3 people" in page_text(response)
    finally:
        events.member_limit_check.disconnect(plan_limit)
    assert _count(Invitation) == 0
    assert _invite(client).status_code == 303


def test_htmx_invite_answers_with_the_form_and_a_trigger(client, team):
    login(client, team.owner)
    response = client.post(
        "/settings/team/invitations",
        data={"email": "helper@example.com", "role": "admin", "locale": "en"},
        headers={"HX-Request": "true", "HX-Target": "invite-form"},
    )
    assert response.status_code == 200
    body = page_text(response)
    assert body.lstrip().startswith('<section id="invite-form"')
    assert "Invitation sent to helper@example.com." in body
    assert "invitations-changed" in response.headers["HX-Trigger"]
    partial = client.get(
        "/settings/team", headers={"HX-Request": "true", "HX-Target": "team-invitations"}
    )
    assert page_text(partial).lstrip().startswith('<section id="team-invitations"')
    assert "helper@example.com" in page_text(partial)

    response = client.post(
        "/settings/team/invitations",
        data={"email": "helper@example.com", "role": "admin", "locale": "en"},
        headers={"HX-Request": "true", "HX-Target": "invite-form"},
    )
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_a_removed_person_can_be_invited_back(client, team, outbox):
    login(client, team.owner)
    client.post(f"/settings/team/members/{team.member.id}/remove")
    assert _invite(client, email=team.member.email).status_code == 303
    link = last_link(outbox, "/invitations/")
    client.post("/logout")
    response = client.post(link, data={"name": "Mona Again", "password": "back to the orders"})
    assert response.status_code == 303
    db.session.expire_all()
    member = db.session.get(User, team.member.id)
    assert member.is_active and member.name == "Mona Again"
    assert _count(User) == 3


def test_audit_log_records_invitations_without_secrets(client, team, outbox):
    login(client, team.owner)
    _invite(client)
    link = last_link(outbox, "/invitations/")
    token = link.rsplit("/", 1)[-1]
    client.post("/logout")
    client.post(link, data={"name": "Hana", "password": "orders all day long"})
    kinds = db.session.scalars(sa.select(AuditEvent.kind).order_by(AuditEvent.id)).all()
    assert "invitation_sent" in kinds and "invitation_accepted" in kinds
    dumped = " ".join(str(row.details) for row in db.session.scalars(sa.select(AuditEvent)))
    assert token not in dumped
    assert "orders all day long" not in dumped
    assert PASSWORD not in dumped
