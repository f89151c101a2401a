"""Billing on a phone (390×844): pay for a plan through (fake) Stripe Checkout, and meet
the free plan's order limit without losing the order typed.

The app here has billing on; its Stripe SDK talks to the local fake, which sends its
signed webhooks to the live server as Stripe would.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from kyora import create_app
from kyora.billing.models import Subscription
from kyora.extensions import db
from kyora.orders.services import setup_new_business
from tests.conftest import build_app, dispose
from tests.factories import PASSWORD, make_business, make_order, make_product, make_user
from tests.fakes.stripe_server import WEBHOOK_SECRET, FakeStripe

BILLING = {"STRIPE_SECRET_KEY": "sk_test_kyora", "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET}


@pytest.fixture(scope="module")
def stripe_fake():
    fake = FakeStripe().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def app(tmp_path_factory, stripe_fake):
    app = build_app(tmp_path_factory, STRIPE_API_BASE=stripe_fake.url, **BILLING)
    result = app.test_cli_runner().invoke(args=["kyora", "billing", "sync-plans"])
    assert result.exit_code == 0, result.output
    yield app
    dispose(app)


@pytest.fixture(scope="module")
def live_server(app, stripe_fake, tmp_path_factory):
    live_app = create_app(
        {
            "TESTING": True,
            "WTF_CSRF_ENABLED": True,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "UPLOAD_DIR": app.config["UPLOAD_DIR"],
            "MAIL_OUTBOX_DIR": str(tmp_path_factory.mktemp("live") / "mail"),
            "STRIPE_API_BASE": stripe_fake.url,
            **BILLING,
        }
    )
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    live_app.config["BASE_URL"] = base_url
    stripe_fake.webhook_url = f"{base_url}/stripe/webhook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=5)
    dispose(live_app)


def _log_in(page, live_server, user, next_path: str = "") -> None:
    page.goto(f"{live_server}/login{next_path}")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action^='/login'] button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_the_owner_pays_for_professional_through_checkout(page, live_server, stripe_fake):
    owner = make_user(name="Noor Owner", email="noor@example.com")
    make_business(owner, name="Noor Sweets", handle="noor-sweets")
    db.session.commit()

    _log_in(page, live_server, owner)
    # A new owner chooses a plan first.
    page.wait_for_selector("text=Choose your plan")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#plan-professional button[type=submit]")

    # Stripe Checkout (the fake's page), then back to Kyora with the plan active.
    page.wait_for_selector("text=Pay Kyora")
    page.click("button[type=submit]")
    page.wait_for_selector("#billing-plan")
    assert "Your plan: Professional" in page.inner_text("#billing-plan")
    assert "Professional is active" in page.inner_text(".flashes")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    db.session.rollback()
    row = db.session.scalar(
        sa.select(Subscription).where(Subscription.workspace_id == owner.workspace_id)
    )
    assert (row.plan, row.status) == ("professional", "active")
    delivered = [event["type"] for event in stripe_fake.events if event["delivered"]]
    assert "checkout.session.completed" in delivered


def test_the_order_limit_prompt_keeps_what_was_typed(page, live_server):
    owner = make_user(name="Huda Owner", email="huda@example.com")
    business = make_business(owner, name="Huda Caps", handle="huda-caps")
    setup_new_business(business)
    db.session.add(Subscription(workspace_id=owner.workspace_id, plan="starter"))
    cap = make_product(business, "Linen Cap", price="30", cost="12", stock=40)
    for _ in range(25):
        make_order(business, owner, [(cap.variants[0], 1)], status="confirmed")
    db.session.commit()

    _log_in(page, live_server, owner, f"?next=/b/{business.handle}/orders/new")
    page.wait_for_selector("#order-form")
    page.fill("#message", "2 linen cap")
    page.click("button[name=action][value=parse]")
    page.wait_for_selector(".ord-parsed")
    page.fill("#customer_name", "Salma Customer")
    page.click("button.ord-save")

    summary = page.wait_for_selector("#order-errors")
    assert "You have used the 25 orders of Starter this month" in summary.inner_text()
    assert page.input_value("#customer_name") == "Salma Customer"
    assert page.locator("#order-errors a[href='/billing']").count() == 1
