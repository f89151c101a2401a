"""Posting fields a form does not offer (role, workspace, business, costs) changes nothing."""

from __future__ import annotations

import sqlalchemy as sa

from kyora.accounts.models import User
from kyora.businesses.models import Business
from kyora.core.permissions import role_allows
from kyora.extensions import db
from kyora.team.models import Invitation
from tests.integration.security.routes import (
    COST,
    PRICE,
    STATE_CHANGING,
    build_url,
    describe,
    request,
    routes,
    sign_in,
    url_values,
)


def _extras(world) -> dict:
    """Fields an attacker would add to any form."""
    return {
        "role": "owner",
        "workspace_id": str(world.b.owner.workspace_id),
        "business_id": str(world.b.business.id),
        "user_id": str(world.b.owner.id),
        "owner_id": str(world.b.owner.id),
        "created_by_id": str(world.b.owner.id),
        "email_verified_at": "",
        "deactivated_at": "",
        "cost": "0.01",
        "cost_price": "0.01",
        "unit_cost": "0.01",
        "avg_cost": "0.01",
        "price": "0.01",
        "sale_price": "0.01",
    }


def _business_rows(business_id: int) -> dict[str, int]:
    """How many rows each business-scoped table holds for one business."""
    counts = {}
    for table in db.metadata.sorted_tables:
        if "business_id" in table.c:
            counts[table.name] = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(table)
                .where(table.c.business_id == business_id)
            )
    return counts


def _variant_prices(tenant) -> list[tuple]:
    product = tenant.cache.get("product")
    if product is None:
        return []
    db.session.expire_all()
    from kyora.inventory.models import Variant

    return list(
        db.session.execute(
            sa.select(Variant.id, Variant.price, Variant.avg_cost).where(
                Variant.product_id == product.id
            )
        )
    )


def test_profile_ignores_role_workspace_and_email(client, world):
    sign_in(client, world.a.member)
    response = client.post(
        "/account",
        data={"name": "Helper Renamed", "locale": "ar", **_extras(world), "email": "x@evil.test"},
    )
    assert response.status_code == 303
    db.session.expire_all()
    member = db.session.get(User, world.a.member.id)
    assert (member.name, member.locale) == ("Helper Renamed", "ar")
    assert member.role == "member"
    assert member.workspace_id == world.a.owner.workspace_id
    assert member.email == "member-a@example.com" and member.email_verified


def test_business_settings_ignore_the_workspace(client, world):
    sign_in(client, world.a.owner)
    data = {
        "name": "Renamed Shop",
        "handle": world.a.business.handle,
        "country": "AE",
        "currency": "AED",
        "timezone": "Asia/Dubai",
        "vat_percent": "5",
        **_extras(world),
        "id": str(world.b.business.id),
    }
    response = client.post(f"/b/{world.a.business.handle}/settings", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    business = db.session.get(Business, world.a.business.id)
    assert business.name == "Renamed Shop" and business.workspace_id == world.a.owner.workspace_id
    assert db.session.get(Business, world.b.business.id).name == "Shop b"


def test_invitation_ignores_workspace_and_inviter(client, world):
    sign_in(client, world.a.admin)
    response = client.post(
        "/settings/team/invitations",
        data={
            **_extras(world),
            "email": "new@example.com",
            "role": "member",
            "locale": "en",
            "invited_by_id": str(world.b.owner.id),
            "expires_at": "2099-01-01",
            "token_hash": "x",
        },
    )
    assert response.status_code == 303
    invitation = db.session.scalar(sa.select(Invitation))
    assert invitation.workspace_id == world.a.owner.workspace_id
    assert invitation.invited_by_id == world.a.admin.id
    assert invitation.token_hash != "x" and invitation.expires_at.year < 2099


def test_role_change_cannot_make_an_owner_or_move_people(client, world):
    sign_in(client, world.a.admin)
    response = client.post(
        f"/settings/team/members/{world.a.member.id}/role",
        data={**_extras(world), "role": "admin"},
    )
    assert response.status_code == 303
    db.session.expire_all()
    member = db.session.get(User, world.a.member.id)
    assert member.role == "admin" and member.workspace_id == world.a.owner.workspace_id


def test_member_routes_cannot_reach_another_business_or_change_prices(app, client, world):
    problems = world.build_all(app)
    assert not problems, "\n".join(problems)
    before_b = _business_rows(world.b.business.id)
    prices_before = _variant_prices(world.a)
    targets = [
        (route, build_url(app, route, url_values(route, world.a)))
        for route in routes(app)
        if route.method in STATE_CHANGING
        and route.rule.rule.startswith("/b/<handle>")
        and route.permission is not None
        and role_allows("member", *route.permission)
    ]
    sign_in(client, world.a.member)
    failures = []
    for route, url in targets:
        response = request(client, route, url, data={"name": "Extra Fields", **_extras(world)})
        if response.status_code >= 500:
            failures.append(f"{route}: {describe(response)}")
    assert not failures, "\n".join(failures)
    assert _business_rows(world.b.business.id) == before_b, (
        "a member's form wrote into another business"
    )
    assert _variant_prices(world.a) == prices_before, "a member's form changed a price or a cost"
    if prices_before:
        assert all(price == PRICE and cost == COST for _id, price, cost in prices_before)
    db.session.expire_all()
    assert db.session.get(User, world.a.member.id).role == "member"
