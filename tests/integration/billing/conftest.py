"""Billing tests run on an app with billing on, its Stripe SDK pointed at a local fake.

`app` here is that app (same database engine choice as the rest of the suite);
`stripe_fake` is the fake Stripe server, with the paid plans synced into it once.
Helpers: `on_plan(owner, plan)` gives a workspace a subscription row, `post_event`
sends a webhook event signed with the test secret.
"""

from __future__ import annotations

import json

import pytest

from kyora.billing.models import Subscription
from kyora.extensions import db
from tests.conftest import build_app, dispose
from tests.fakes.stripe_server import WEBHOOK_SECRET, FakeStripe, sign


@pytest.fixture(scope="session")
def stripe_fake():
    fake = FakeStripe().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def app(tmp_path_factory, stripe_fake):
    app = build_app(
        tmp_path_factory,
        STRIPE_SECRET_KEY="sk_test_kyora",
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        STRIPE_API_BASE=stripe_fake.url,
    )
    runner = app.test_cli_runner()
    result = runner.invoke(args=["kyora", "billing", "sync-plans"])
    assert result.exit_code == 0, result.output
    yield app
    dispose(app)


@pytest.fixture(autouse=True)
def _fresh_idempotency_keys(stripe_fake):
    # Each test's database starts its ids again at 1, so the keys Kyora derives from them
    # repeat; Stripe forgets keys after a day, the fake forgets them between tests.
    stripe_fake.idempotent.clear()
    yield


def on_plan(owner, plan: str = "starter", **fields) -> Subscription:
    """Put the owner's workspace on `plan` (a subscription row, no Stripe call)."""
    row = Subscription(workspace_id=owner.workspace_id, plan=plan, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def post_event(client, event: dict, secret: str = WEBHOOK_SECRET, signature: str | None = None):
    """POST `event` to the webhook, signed like Stripe signs it (unless `signature`)."""
    body = json.dumps({k: v for k, v in event.items() if k != "delivered"}).encode()
    return client.post(
        "/stripe/webhook",
        data=body,
        headers={
            "Stripe-Signature": signature if signature is not None else sign(body, secret),
            "Content-Type": "application/json",
        },
    )
