"""Billing off (no STRIPE_SECRET_KEY): no plan step, no limits, no billing page or link."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import build_app, dispose
from tests.integration.security.routes import sign_in


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    # This module's tests run on an app without a Stripe key, like a fresh `make run`.
    app = build_app(tmp_path_factory, STRIPE_SECRET_KEY="")
    yield app
    dispose(app)


def test_no_billing_routes_exist(app):
    rules = [rule.rule for rule in app.url_map.iter_rules()]
    assert not [rule for rule in rules if "billing" in rule or "stripe" in rule]
    assert "/signup/plan" not in rules


def test_no_plan_step_no_billing_page_and_no_trace_of_plans(client):
    owner, business = factories.make_tenant()
    sign_in(client, owner)

    home = client.get(f"/b/{business.handle}/")

    assert home.status_code == 200
    text = factories.page_text(home)
    for word in ("Billing", "Starter", "Professional", "Enterprise", "Upgrade"):
        assert word not in text
    assert client.get("/billing").status_code == 404
    assert client.get("/signup/plan").status_code == 404
    assert client.post("/stripe/webhook", data=b"{}").status_code == 404


def test_no_limits_without_billing(client):
    owner, business = factories.make_tenant()
    variant = factories.make_product(business, stock=40).variants[0]
    for _ in range(30):
        factories.make_order(business, owner, [(variant, 1)], status="confirmed")
    for n in range(6):
        factories.make_user(role="member", workspace=owner.workspace, email=f"x{n}@example.com")
    sign_in(client, owner)

    invite = client.post(
        "/settings/team/invitations",
        data={"email": "eighth@example.com", "role": "member", "locale": "en"},
    )
    second = client.post(
        "/businesses/new",
        data={"name": "Second Shop", "handle": "second-shop-off", "country": "AE", "locale": "en"},
    )

    assert (invite.status_code, second.status_code) == (303, 303)
