"""The team page: roles, removing people, handing over ownership, and their rules."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from kyora.accounts.models import User
from kyora.core.db import utcnow
from kyora.core.errors import NotAllowed
from kyora.extensions import db
from kyora.team import services
from kyora.team.models import AuditEvent
from tests.factories import PASSWORD, login, make_user, page_text


def _role(user) -> str:
    db.session.expire_all()
    return db.session.get(User, user.id).role


def _kinds() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.kind).order_by(AuditEvent.id)))


def test_team_page_lists_people_roles_and_last_active(client, team):
    team.member.last_active_at = utcnow()
    login(client, team.owner)
    response = client.get("/settings/team")
    assert response.status_code == 200
    body = page_text(response)
    for person in (team.owner, team.admin, team.member):
        assert person.name in body and person.email in body
    assert "Owner" in body and "Admin" in body and "Member" in body
    assert "Not yet" in body  # the admin never logged in
    assert "Transfer ownership" in body
    assert "Security activity" in body


def test_admin_sees_the_team_page_but_not_the_transfer(client, team):
    login(client, team.admin)
    body = page_text(client.get("/settings/team"))
    assert "Invite someone" in body
    assert "Transfer ownership" not in body
    assert client.get("/settings/team/transfer").status_code == 403


def test_members_get_403_on_every_team_page(client, team):
    login(client, team.member)
    assert client.get("/settings/team").status_code == 403
    assert client.get("/settings/team/activity").status_code == 403
    assert client.get("/settings/team/transfer").status_code == 403
    assert (
        client.post(
            f"/settings/team/members/{team.admin.id}/role", data={"role": "member"}
        ).status_code
        == 403
    )
    assert client.post(f"/settings/team/members/{team.admin.id}/remove").status_code == 403
    assert _role(team.admin) == "admin"
    assert db.session.get(User, team.admin.id).is_active
    # The menu does not offer the team page either.
    home = page_text(client.get(f"/b/{team.business.handle}/"))
    assert "/settings/team" not in home


def test_owner_changes_a_role(client, team):
    login(client, team.owner)
    response = client.post(f"/settings/team/members/{team.member.id}/role", data={"role": "admin"})
    assert response.status_code == 303
    assert _role(team.member) == "admin"
    assert "Mona Member is now Admin." in page_text(client.get("/settings/team"))
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.kind == "role_changed"))
    assert event.details == {"email": team.member.email, "old_role": "member", "role": "admin"}
    assert event.actor_id == team.owner.id and event.target_user_id == team.member.id


def test_role_change_with_htmx_returns_the_people_list(client, team):
    login(client, team.admin)
    response = client.post(
        f"/settings/team/members/{team.member.id}/role",
        data={"role": "admin"},
        headers={"HX-Request": "true", "HX-Target": "team-members"},
    )
    assert response.status_code == 200
    body = page_text(response)
    assert body.lstrip().startswith('<section id="team-members"')
    assert "Mona Member is now Admin." in body
    assert "activity-changed" in response.headers["HX-Trigger"]


def test_role_rules(client, team):
    login(client, team.admin)
    # Nobody changes their own role.
    response = client.post(f"/settings/team/members/{team.admin.id}/role", data={"role": "member"})
    assert response.status_code == 403
    assert "your own role" in page_text(response)
    # The owner cannot be demoted.
    response = client.post(f"/settings/team/members/{team.owner.id}/role", data={"role": "admin"})
    assert response.status_code == 403
    assert "owner cannot be removed or demoted" in page_text(response)
    # Roles outside the list.
    for role in ("owner", "root", ""):
        response = client.post(f"/settings/team/members/{team.member.id}/role", data={"role": role})
        assert response.status_code == 422, role
        assert "Choose Admin or Member." in page_text(response)
    assert (_role(team.owner), _role(team.admin), _role(team.member)) == (
        "owner",
        "admin",
        "member",
    )
    assert "role_changed" not in _kinds()


def test_the_last_admin_cannot_be_demoted_or_removed(app, team):
    # A workspace whose owner account was closed: its admins keep the keys.
    workspace = team.owner.workspace
    team.owner.deactivated_at = utcnow()
    with app.test_request_context():
        # The only admin cannot step down (nobody changes their own role)...
        with pytest.raises(NotAllowed, match="your own role"):
            services.change_role(workspace, team.admin, team.admin, "member")
        with pytest.raises(NotAllowed, match="remove yourself"):
            services.remove_member(workspace, team.admin, team.admin)
        # ...and an account closed while acting cannot take the last admin away either.
        closing = make_user(role="admin", workspace=workspace)
        closing.deactivated_at = utcnow()
        with pytest.raises(NotAllowed, match="at least one owner or admin"):
            services.change_role(workspace, closing, team.admin, "member")
        with pytest.raises(NotAllowed, match="at least one owner or admin"):
            services.remove_member(workspace, closing, team.admin)
    assert team.admin.role == "admin" and team.admin.is_active


def test_removing_a_member_ends_their_sessions_at_once(app, client, team):
    helper = app.test_client()
    login(helper, team.member)
    home = f"/b/{team.business.handle}/"
    assert helper.get(home).status_code == 200

    login(client, team.admin)
    response = client.post(f"/settings/team/members/{team.member.id}/remove")
    assert response.status_code == 303
    assert "no longer on the team" in page_text(client.get("/settings/team"))

    # The helper's captured cookie stops working on the very next request.
    response = helper.get(home)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # And they cannot log in again.
    response = helper.post("/login", data={"email": team.member.email, "password": PASSWORD})
    assert response.status_code == 422
    assert "member_removed" in _kinds()
    assert team.member.name not in page_text(client.get("/settings/team")).split("team-activity")[0]


def test_removal_rules(client, team):
    login(client, team.admin)
    response = client.post(f"/settings/team/members/{team.owner.id}/remove")
    assert response.status_code == 403
    response = client.post(f"/settings/team/members/{team.admin.id}/remove")
    assert response.status_code == 403
    assert "remove yourself" in page_text(response)
    db.session.expire_all()
    assert db.session.get(User, team.owner.id).is_active
    assert db.session.get(User, team.admin.id).is_active


def test_other_workspaces_people_are_404(client, team):
    stranger = make_user(email="stranger@example.com")
    other_member = make_user(role="member", workspace=stranger.workspace)
    login(client, team.owner)
    assert (
        client.post(
            f"/settings/team/members/{other_member.id}/role", data={"role": "admin"}
        ).status_code
        == 404
    )
    assert client.post(f"/settings/team/members/{other_member.id}/remove").status_code == 404
    assert client.post("/settings/team/members/999999/remove").status_code == 404
    assert _role(other_member) == "member"
    db.session.expire_all()
    assert db.session.get(User, other_member.id).is_active
    assert other_member.name not in page_text(client.get("/settings/team"))


def test_owner_hands_over_the_workspace_with_their_password(client, team):
    login(client, team.owner)
    page = page_text(client.get("/settings/team/transfer"))
    assert team.admin.email in page and team.member.email in page

    response = client.post(
        "/settings/team/transfer",
        data={"new_owner": str(team.admin.id), "password": "wrong password"},
    )
    assert response.status_code == 422
    assert "not your password" in page_text(response)
    assert _role(team.owner) == "owner"

    response = client.post(
        "/settings/team/transfer", data={"new_owner": str(team.admin.id), "password": PASSWORD}
    )
    assert response.status_code == 303
    assert (_role(team.owner), _role(team.admin)) == ("admin", "owner")
    assert "ownership_transferred" in _kinds()
    # The old owner is now an admin: the transfer page is closed to them.
    assert client.get("/settings/team/transfer").status_code == 403


def test_transfer_refuses_strangers_and_nonsense(client, team):
    stranger = make_user(email="stranger@example.com")
    login(client, team.owner)
    for value in (str(stranger.id), str(team.owner.id), "abc", ""):
        response = client.post(
            "/settings/team/transfer", data={"new_owner": value, "password": PASSWORD}
        )
        assert response.status_code == 422, value
        assert "Choose someone on your team." in page_text(response)
    assert _role(team.owner) == "owner" and _role(stranger) == "owner"


def test_admin_cannot_transfer_by_url(client, team):
    login(client, team.admin)
    response = client.post(
        "/settings/team/transfer", data={"new_owner": str(team.admin.id), "password": PASSWORD}
    )
    assert response.status_code == 403
    assert _role(team.owner) == "owner"


def test_activity_page_lists_security_events(client, team):
    login(client, team.owner)
    client.post(f"/settings/team/members/{team.member.id}/role", data={"role": "admin"})
    body = page_text(client.get("/settings/team/activity"))
    assert "Layla Owner logged in" in body
    assert "Layla Owner changed the role of Mona Member from Member to Admin" in body
    assert client.get("/settings/team/activity?page=2").status_code == 200


def test_owner_without_a_password_confirms_with_their_email(client, team):
    from tests.integration.security.routes import sign_in

    team.owner.password_hash = None  # signed up with Google
    sign_in(client, team.owner)
    page = page_text(client.get("/settings/team/transfer"))
    assert "Type your email address to confirm" in page
    response = client.post(
        "/settings/team/transfer",
        data={"new_owner": str(team.admin.id), "password": "someone@else.com"},
    )
    assert response.status_code == 422
    assert "Type your email address exactly" in page_text(response)
    response = client.post(
        "/settings/team/transfer",
        data={"new_owner": str(team.admin.id), "password": " Owner@Example.com "},
    )
    assert response.status_code == 303
    assert (_role(team.owner), _role(team.admin)) == ("admin", "owner")


def test_team_pages_render_in_arabic(client, team):
    team.owner.locale = "ar"
    login(client, team.owner)
    for path in ("/settings/team", "/settings/team/activity", "/settings/team/transfer"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="ar" dir="rtl"' in response.get_data(as_text=True)
