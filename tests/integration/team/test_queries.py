"""The team page costs the same number of queries with 10 or 1,000 rows behind it."""

from __future__ import annotations

from datetime import timedelta

from kyora.accounts.models import User
from kyora.core.db import utcnow
from kyora.core.security import hash_token
from kyora.extensions import db
from kyora.team.models import AuditEvent, Invitation
from tests.factories import make_user
from tests.integration.security.routes import sign_in


def _fill(owner, count: int) -> None:
    now = utcnow()
    workspace_id = owner.workspace_id
    people = [
        User(
            workspace_id=workspace_id,
            email=f"p{count}-{n}@example.com",
            name=f"Person {n}",
            role="member",
            email_verified_at=now,
        )
        for n in range(count)
    ]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(
        Invitation(
            workspace_id=workspace_id,
            email=f"i{count}-{n}@example.com",
            role="member",
            token_hash=hash_token(f"{count}-{n}"),
            invited_by_id=people[n % len(people)].id,
            expires_at=now + timedelta(days=(n % 3) - 1),
        )
        for n in range(count)
    )
    db.session.add_all(
        AuditEvent(
            workspace_id=workspace_id,
            kind="role_changed",
            actor_id=owner.id,
            target_user_id=people[n % len(people)].id,
            details={"email": "x@example.com", "old_role": "member", "role": "admin"},
        )
        for n in range(count)
    )


def test_team_page_queries_do_not_grow_with_rows(app, client, count_queries):
    small_owner = make_user(email="small@example.com")
    big_owner = make_user(email="big@example.com")
    _fill(small_owner, 10)
    _fill(big_owner, 1000)
    results = {}
    for label, owner in (("small", small_owner), ("big", big_owner)):
        other = app.test_client()
        sign_in(other, owner)
        other.get("/settings/team")  # warm up: the session's "last seen" write happens once
        results[label] = (
            count_queries.page(other, "/settings/team"),
            count_queries.page(other, "/settings/team/activity"),
        )
    assert results["small"] == results["big"], results
