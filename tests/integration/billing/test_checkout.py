"""The plan step of sign-up, Stripe Checkout and its return page (the real SDK, a fake Stripe)."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa

from kyora.billing.models import Subscription
from kyora.extensions import db
from tests import factories
from tests.integration.billing.conftest import on_plan, post_event
from tests.integration.security.routes import sign_in


def _row(owner) -> Subscription | None:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(Subscription).where(Subscription.workspace_id == owner.workspace_id)
    )


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _checkout(client, plan: str = "professional", url: str = "/signup/plan") -> str:
    response = client.post(url, data={"plan": plan})
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    return response.headers["Location"]


def test_a_new_owner_chooses_a_plan_first_and_the_free_plan_works_at_once(client):
    owner, business = factories.make_tenant()
    sign_in(client, owner)

    home = client.get(f"/b/{business.handle}/")
    assert home.status_code == 302
    assert home.headers["Location"].endswith("/signup/plan")
    page = factories.page_text(client.get("/signup/plan"))
    assert "Choose your plan" in page
    assert "AED 54.99 a month" in page or "AED\xa054.99 a month" in page

    chosen = client.post("/signup/plan", data={"plan": "starter"})

    assert chosen.status_code == 303
    row = _row(owner)
    assert (row.plan, row.status) == ("starter", "active")
    assert client.get(f"/b/{business.handle}/").status_code == 200


def test_an_admin_is_not_asked_to_choose(client):
    owner, business = factories.make_tenant()
    admin = factories.make_user(role="admin", workspace=owner.workspace)
    sign_in(client, admin)

    assert client.get(f"/b/{business.handle}/").status_code == 200


def test_a_paid_plan_goes_through_checkout_and_the_return_page_confirms_it(
    client, stripe_fake, outbox
):
    owner, business = factories.make_tenant()
    sign_in(client, owner)

    checkout = _checkout(client)
    again = _checkout(client)

    assert checkout.startswith(stripe_fake.url + "/checkout/cs_")
    assert again == checkout, "a double click opens the same Checkout page"
    row = _row(owner)
    assert row.stripe_customer_id and row.plan == "starter"
    session_id = checkout.rsplit("/", 1)[1]

    success = stripe_fake.complete_checkout(session_id)
    back = client.get(_path(success))

    assert back.status_code == 303
    row = _row(owner)
    assert (row.plan, row.status) == ("professional", "active")
    assert row.current_period_end is not None
    page = factories.page_text(client.get("/billing"))
    assert "Professional is active" in page
    assert "Your plan: Professional" in page
    assert "Renews on" in page
    assert any("now on the Professional plan" in m["Subject"] + str(m) for m in outbox)


def test_the_webhook_alone_activates_the_plan_and_replays_change_nothing(
    client, stripe_fake, outbox
):
    owner, _business = factories.make_tenant()
    sign_in(client, owner)
    session_id = _checkout(client).rsplit("/", 1)[1]
    start = len(stripe_fake.events)
    stripe_fake.complete_checkout(session_id)
    events = stripe_fake.events[start:]

    for event in events:
        assert post_event(client, event).status_code == 200
    row = _row(owner)
    assert row.plan == "professional"
    emails = len(outbox)
    for event in events:
        assert post_event(client, event).status_code == 200

    assert len(outbox) == emails
    assert _row(owner).plan == "professional"
    # The return page finds the plan already active.
    back = client.get(f"/billing/checkout/return?session_id={session_id}")
    assert back.status_code == 303


def test_before_stripe_confirms_the_return_page_says_activating(client, stripe_fake):
    owner, _business = factories.make_tenant()
    sign_in(client, owner)
    session_id = _checkout(client).rsplit("/", 1)[1]

    page = client.get(f"/billing/checkout/return?session_id={session_id}")

    assert page.status_code == 200
    assert "Activating your plan" in factories.page_text(page)
    assert _row(owner).plan == "starter"


def test_another_workspaces_checkout_return_is_not_found(client, stripe_fake):
    owner, _business = factories.make_tenant()
    sign_in(client, owner)
    session_id = _checkout(client).rsplit("/", 1)[1]
    stripe_fake.complete_checkout(session_id)
    intruder, _other = factories.make_tenant(name="Omar Intruder")
    on_plan(intruder)
    sign_in(client, intruder)

    response = client.get(f"/billing/checkout/return?session_id={session_id}")

    assert response.status_code == 404
    assert _row(intruder).plan == "starter"
    assert client.get("/billing/checkout/return?session_id=cs_nothing").status_code == 404


def test_upgrading_from_the_billing_page_then_moving_between_paid_plans(client, stripe_fake):
    owner, _business = factories.make_tenant()
    on_plan(owner)
    sign_in(client, owner)
    before = len(stripe_fake.requests)
    session_id = _checkout(client, "professional", "/billing/plan").rsplit("/", 1)[1]
    client.get(_path(stripe_fake.complete_checkout(session_id)))

    bigger = client.post("/billing/plan", data={"plan": "enterprise"})

    assert bigger.status_code == 303
    assert _row(owner).plan == "enterprise"
    calls = stripe_fake.requests[before:]
    sessions = [path for _method, path in calls if path == "/v1/checkout/sessions"]
    assert len(sessions) == 1, "a paid plan changes plan without a second Checkout"

    ending = client.post("/billing/plan", data={"plan": "starter"})
    assert ending.status_code == 303
    row = _row(owner)
    assert (row.plan, row.cancel_at_period_end) == ("enterprise", True)
    assert "Ends on" in factories.page_text(client.get("/billing"))


def test_a_downgrade_that_does_not_fit_is_refused_with_the_reason(client, stripe_fake):
    owner, business = factories.make_tenant()
    on_plan(owner)
    factories.make_business(owner, name="Second")
    row = _row(owner)
    row.plan = "professional"
    row.stripe_subscription_id = "sub_unknown"
    sign_in(client, owner)

    response = client.post("/billing/plan", data={"plan": "starter"})

    assert response.status_code == 422
    assert "Starter allows 1 business and you have 2." in factories.page_text(response)
    assert _row(owner).plan == "professional"


def test_manage_card_opens_the_customer_portal(client, stripe_fake):
    owner, _business = factories.make_tenant()
    sign_in(client, owner)
    session_id = _checkout(client).rsplit("/", 1)[1]
    client.get(_path(stripe_fake.complete_checkout(session_id)))

    page = client.get("/billing")
    assert "Manage card and invoices" in factories.page_text(page)
    assert "https://invoice.stripe.test/in_" in page.get_data(as_text=True)
    portal = client.post("/billing/portal")

    assert portal.status_code == 303
    assert portal.headers["Location"].startswith(stripe_fake.url + "/portal/bps_")


def test_sync_plans_is_idempotent(app, stripe_fake):
    prices = len(stripe_fake.objects["prices"])
    result = app.test_cli_runner().invoke(args=["kyora", "billing", "sync-plans"])

    assert result.exit_code == 0
    assert "professional: unchanged" in result.output
    assert len(stripe_fake.objects["prices"]) == prices
    keys = sorted(p["lookup_key"] for p in stripe_fake.objects["prices"].values())
    assert keys == ["kyora_enterprise_monthly", "kyora_professional_monthly"]
    amounts = {p["lookup_key"]: p["unit_amount"] for p in stripe_fake.objects["prices"].values()}
    assert amounts["kyora_professional_monthly"] == 5499


def test_when_stripe_cannot_be_reached_nothing_changes_and_the_owner_is_told(app, client):
    import stripe

    owner, _business = factories.make_tenant()
    on_plan(owner)
    sign_in(client, owner)
    # A Stripe address nothing listens on.
    dead = stripe.StripeClient("sk_test_kyora", base_addresses={"api": "http://127.0.0.1:9"})
    real = app.extensions["kyora_stripe"]
    app.extensions["kyora_stripe"] = dead
    try:
        response = client.post("/billing/plan", data={"plan": "professional"})
    finally:
        app.extensions["kyora_stripe"] = real

    assert response.status_code == 503
    assert "We could not reach our payment provider" in factories.page_text(response)
    row = _row(owner)
    assert (row.plan, row.stripe_customer_id) == ("starter", None)


def test_the_activating_page_polls_and_moves_on_once_confirmed(client, stripe_fake):
    owner, _business = factories.make_tenant()
    sign_in(client, owner)
    session_id = _checkout(client).rsplit("/", 1)[1]
    url = f"/billing/checkout/return?session_id={session_id}"
    htmx = {"HX-Request": "true", "HX-Target": "billing-activating"}

    waiting = client.get(url, headers=htmx)
    assert waiting.status_code == 200
    assert 'id="billing-activating"' in waiting.get_data(as_text=True)
    assert "<html" not in waiting.get_data(as_text=True)

    stripe_fake.complete_checkout(session_id)
    done = client.get(url, headers=htmx)

    assert done.headers["HX-Redirect"] == "/billing"
    assert _row(owner).plan == "professional"


def test_the_plan_step_is_asked_once(client):
    owner, _business = factories.make_tenant()
    on_plan(owner)
    sign_in(client, owner)

    assert client.get("/signup/plan").status_code == 302


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in ("/billing", "/signup/plan", "/billing/checkout/return?session_id=cs_x"):
        response = client.get(url)
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == "/login"
