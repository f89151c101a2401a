"""Plan limits, checked before the action, with an upgrade prompt that keeps the input."""

from __future__ import annotations

from datetime import timedelta

from kyora.core.db import utcnow
from tests import factories
from tests.integration.billing.conftest import on_plan
from tests.integration.security.routes import sign_in


def _fill_orders(business, owner, count: int):
    variant = factories.make_product(business, stock=count + 5).variants[0]
    for _ in range(count):
        factories.make_order(business, owner, [(variant, 1)], status="confirmed")
    return variant


def _order_form(variant, name: str = "Mariam Haddad") -> dict:
    return {
        "action": "save",
        "status": "confirmed",
        "channel": "instagram",
        "customer_name": name,
        "items-0-variant_id": str(variant.id),
        "items-0-quantity": "1",
        "delivery": "none",
        "idempotency_key": "a" * 32,
    }


def test_the_26th_order_on_starter_is_refused_with_the_form_kept(client):
    owner, business = factories.make_tenant()
    on_plan(owner, "starter")
    variant = _fill_orders(business, owner, 25)
    sign_in(client, owner)

    response = client.post(f"/b/{business.handle}/orders/new", data=_order_form(variant))

    assert response.status_code == 402
    text = factories.page_text(response)
    assert "You have used the 25 orders of Starter this month" in text
    assert 'href="/billing"' in response.get_data(as_text=True)
    assert 'value="Mariam Haddad"' in response.get_data(as_text=True)


def test_orders_of_last_month_do_not_count(client):
    from kyora.orders.models import Order

    owner, business = factories.make_tenant()
    on_plan(owner, "starter")
    variant = _fill_orders(business, owner, 25)
    for order in factories.db.session.scalars(factories.db.select(Order)):
        order.created_at = utcnow() - timedelta(days=40)
    sign_in(client, owner)

    response = client.post(f"/b/{business.handle}/orders/new", data=_order_form(variant))

    assert response.status_code == 303


def test_unlimited_orders_are_really_unlimited(client):
    owner, business = factories.make_tenant()
    on_plan(owner, "enterprise", stripe_subscription_id="sub_x")
    variant = _fill_orders(business, owner, 30)
    sign_in(client, owner)

    response = client.post(f"/b/{business.handle}/orders/new", data=_order_form(variant))

    assert response.status_code == 303


def test_orders_count_across_the_workspace_businesses(client):
    owner, business = factories.make_tenant()
    other = factories.make_business(owner, name="Second shop")
    on_plan(owner, "starter")
    _fill_orders(other, owner, 25)
    variant = factories.make_product(business, stock=5).variants[0]
    sign_in(client, owner)

    response = client.post(f"/b/{business.handle}/orders/new", data=_order_form(variant))

    assert response.status_code == 402


def test_an_invitation_over_the_plan_is_refused_pending_ones_counting(client):
    owner, _business = factories.make_tenant()
    on_plan(owner, "professional", stripe_subscription_id="sub_x")
    for n in range(3):
        factories.make_user(role="member", workspace=owner.workspace, email=f"m{n}@example.com")
    sign_in(client, owner)
    first = client.post(
        "/settings/team/invitations",
        data={"email": "fifth@example.com", "role": "member", "locale": "en"},
    )
    assert first.status_code == 303

    refused = client.post(
        "/settings/team/invitations",
        data={"email": "sixth@example.com", "role": "member", "locale": "en"},
    )

    assert refused.status_code == 402
    assert "Professional includes 5 people" in factories.page_text(refused)
    assert 'value="sixth@example.com"' in refused.get_data(as_text=True)


def test_starter_allows_one_business(client):
    owner, _business = factories.make_tenant()
    on_plan(owner, "starter")
    sign_in(client, owner)

    response = client.post(
        "/businesses/new",
        data={"name": "Second Shop", "handle": "second-shop", "country": "AE", "locale": "en"},
    )

    assert response.status_code == 422
    assert "Starter includes 1 business." in factories.page_text(response)
    assert 'value="Second Shop"' in response.get_data(as_text=True)


def test_an_archived_business_frees_its_place(client):
    owner, business = factories.make_tenant()
    business.archived_at = utcnow()
    on_plan(owner, "starter")
    sign_in(client, owner)

    response = client.post(
        "/businesses/new",
        data={"name": "Fresh Start", "handle": "fresh-start", "country": "AE", "locale": "en"},
    )

    assert response.status_code == 303


def test_past_due_keeps_writes_during_the_grace_period_then_pauses_them(client):
    owner, business = factories.make_tenant()
    row = on_plan(
        owner,
        "professional",
        status="past_due",
        stripe_subscription_id="sub_x",
        past_due_since=utcnow() - timedelta(days=1),
    )
    variant = factories.make_product(business, stock=5).variants[0]
    sign_in(client, owner)

    home = client.get(f"/b/{business.handle}/orders/")
    assert "Your last payment failed" in factories.page_text(home)
    assert (
        client.post(f"/b/{business.handle}/orders/new", data=_order_form(variant)).status_code
        == 303
    )

    row.past_due_since = utcnow() - timedelta(days=4)
    form = _order_form(variant, "Late Customer")
    form["idempotency_key"] = "b" * 32
    refused = client.post(f"/b/{business.handle}/orders/new", data=form)
    assert refused.status_code == 402
    assert "Your payment is overdue" in factories.page_text(refused)
    # Everything stays readable.
    assert client.get(f"/b/{business.handle}/orders/").status_code == 200
