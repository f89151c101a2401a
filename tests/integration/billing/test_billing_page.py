"""The billing page: who sees what, usage bars, and one workspace never sees another's."""

from __future__ import annotations

from datetime import timedelta

from kyora.core.db import utcnow
from kyora.team.models import Invitation
from tests import factories
from tests.integration.billing.conftest import on_plan
from tests.integration.security.routes import sign_in


def _team(owner):
    admin = factories.make_user(role="admin", workspace=owner.workspace, name="Ali Admin")
    member = factories.make_user(role="member", workspace=owner.workspace, name="Mona Member")
    return admin, member


def test_members_get_403_on_every_billing_page_and_see_no_link(client):
    owner, business = factories.make_tenant()
    on_plan(owner)
    _admin, member = _team(owner)
    sign_in(client, member)

    for method, url in (
        ("GET", "/billing"),
        ("POST", "/billing/plan"),
        ("POST", "/billing/portal"),
        ("GET", "/billing/checkout/return?session_id=cs_x"),
    ):
        assert client.open(url, method=method, data={"plan": "enterprise"}).status_code == 403
    home = client.get(f"/b/{business.handle}/")
    assert 'href="/billing"' not in home.get_data(as_text=True)


def test_admins_read_the_page_but_cannot_change_the_plan(client):
    owner, _business = factories.make_tenant()
    on_plan(owner)
    admin, _member = _team(owner)
    sign_in(client, admin)

    page = client.get("/billing")

    assert page.status_code == 200
    text = factories.page_text(page)
    assert "Only the owner can change the plan." in text
    assert "Choose Enterprise" not in text
    assert client.post("/billing/plan", data={"plan": "enterprise"}).status_code == 403
    assert client.post("/billing/portal").status_code == 403


def test_usage_counts_orders_people_with_invitations_and_businesses(client):
    owner, business = factories.make_tenant()
    on_plan(owner, "professional", stripe_subscription_id="sub_x")
    _team(owner)
    factories.db.session.add(
        Invitation(
            workspace_id=owner.workspace_id,
            email="waiting@example.com",
            role="member",
            token_hash="h" * 64,
            invited_by_id=owner.id,
            expires_at=utcnow() + timedelta(days=7),
        )
    )
    variant = factories.make_product(business, stock=10).variants[0]
    for _ in range(3):
        factories.make_order(business, owner, [(variant, 1)], status="confirmed")
    sign_in(client, owner)

    text = factories.page_text(client.get("/billing"))

    assert "Your plan: Professional" in text
    assert "3 of 500" in text
    assert "4 of 5" in text  # owner, admin, member and the pending invitation
    assert "1 of 3" in text


def test_enterprise_shows_unlimited_usage(client):
    owner, _business = factories.make_tenant()
    on_plan(owner, "enterprise", stripe_subscription_id="sub_x")
    sign_in(client, owner)

    text = factories.page_text(client.get("/billing"))

    assert "0 (unlimited)" in text
    assert "1 (unlimited)" in text


def test_the_page_shows_only_the_own_workspace(client, stripe_fake):
    owner, _business = factories.make_tenant()
    on_plan(owner, "starter")
    other, _shop = factories.make_tenant(name="Omar Other")
    on_plan(other, "enterprise", stripe_subscription_id="sub_other")
    sign_in(client, owner)

    text = factories.page_text(client.get("/billing"))

    assert "Your plan: Starter" in text
    assert "Enterprise" in text  # offered as a plan to choose
    assert "unlimited" not in text.split("Plans")[0]


def test_the_page_asks_a_fixed_number_of_queries(client, count_queries):
    owner, business = factories.make_tenant()
    on_plan(owner, "professional", stripe_subscription_id="sub_x")
    variant = factories.make_product(business, stock=10).variants[0]
    sign_in(client, owner)
    few = count_queries.page(client, "/billing")
    for _ in range(5):
        factories.make_order(business, owner, [(variant, 1)], status="confirmed")
    factories.make_business(owner, name="Another")
    _team(owner)

    assert count_queries.page(client, "/billing") == few
