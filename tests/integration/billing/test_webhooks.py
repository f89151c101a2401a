"""The Stripe webhook: signatures, replays, events out of order, failed payments."""

from __future__ import annotations

import itertools
import json

import sqlalchemy as sa

from kyora.billing.models import ProcessedEvent, Subscription
from kyora.extensions import db
from tests import factories
from tests.fakes.stripe_server import sign
from tests.integration.billing.conftest import on_plan, post_event

_ids = itertools.count(1)


def _row(owner) -> Subscription:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(Subscription).where(Subscription.workspace_id == owner.workspace_id)
    )


def _subscription_event(kind: str, created: int, plan: str, status: str = "active", **extra):
    return {
        "id": f"evt_hand{next(_ids)}",
        "object": "event",
        "type": kind,
        "created": created,
        "data": {
            "object": {
                "id": "sub_hand",
                "object": "subscription",
                "customer": "cus_hand",
                "status": status,
                "cancel_at_period_end": False,
                "items": {
                    "object": "list",
                    "data": [
                        {
                            "id": "si_hand",
                            "price": {"id": f"price_{plan}", "lookup_key": f"kyora_{plan}_monthly"},
                            "current_period_end": created + 30 * 86400,
                        }
                    ],
                },
                **extra,
            }
        },
    }


def _invoice_event(kind: str, created: int):
    return {
        "id": f"evt_hand{next(_ids)}",
        "object": "event",
        "type": kind,
        "created": created,
        "data": {
            "object": {
                "id": f"in_hand{created}",
                "object": "invoice",
                "customer": "cus_hand",
                "subscription": "sub_hand",
            }
        },
    }


def _customer(owner):
    return on_plan(owner, "starter", stripe_customer_id="cus_hand")


def test_a_badly_signed_or_unsigned_event_is_refused_and_changes_nothing(client):
    owner, _business = factories.make_tenant()
    _customer(owner)
    event = _subscription_event("customer.subscription.updated", 1_800_000_000, "enterprise")

    wrong_secret = post_event(client, event, secret="whsec_someone_else")
    unsigned = post_event(client, event, signature="")
    garbage = post_event(client, event, signature="t=1,v1=deadbeef")
    body = json.dumps(event).encode()
    tampered = client.post(
        "/stripe/webhook",
        data=body.replace(b"enterprise", b"professional"),
        headers={"Stripe-Signature": sign(body)},
    )

    assert [r.status_code for r in (wrong_secret, unsigned, garbage, tampered)] == [400] * 4
    assert _row(owner).plan == "starter"
    assert db.session.scalar(sa.select(sa.func.count(ProcessedEvent.id))) == 0


def test_an_older_event_arriving_late_is_ignored(client, outbox):
    owner, _business = factories.make_tenant()
    _customer(owner)
    newer = _subscription_event("customer.subscription.updated", 1_800_000_100, "enterprise")
    older = _subscription_event("customer.subscription.updated", 1_800_000_050, "professional")

    assert post_event(client, newer).status_code == 200
    assert post_event(client, older).status_code == 200

    assert _row(owner).plan == "enterprise"
    assert len(outbox) == 1, "one plan change, one email"
    assert "Enterprise" in outbox[0]["Subject"]


def test_a_replayed_event_is_a_no_op(client, outbox):
    owner, _business = factories.make_tenant()
    _customer(owner)
    failed = _invoice_event("invoice.payment_failed", 1_800_000_000)
    on = _subscription_event("customer.subscription.updated", 1_799_999_000, "professional")
    post_event(client, on)

    first = post_event(client, failed)
    replay = post_event(client, failed)

    assert (first.status_code, replay.status_code) == (200, 200)
    assert [m["Subject"] for m in outbox].count("Your Kyora payment did not go through") == 1
    count = sa.select(sa.func.count(ProcessedEvent.id)).where(
        ProcessedEvent.stripe_event_id == failed["id"]
    )
    assert db.session.scalar(count) == 1


def test_a_failed_payment_starts_the_grace_period_and_a_paid_invoice_ends_it(client):
    owner, business = factories.make_tenant()
    _customer(owner)
    post_event(
        client, _subscription_event("customer.subscription.updated", 1_800_000_000, "professional")
    )
    post_event(client, _invoice_event("invoice.payment_failed", 1_800_000_010))
    row = _row(owner)
    assert (row.status, row.past_due_since is not None) == ("past_due", True)

    from tests.integration.security.routes import sign_in

    sign_in(client, owner)
    assert "Your last payment failed" in factories.page_text(client.get("/billing"))

    post_event(client, _invoice_event("invoice.paid", 1_800_000_020))
    row = _row(owner)
    assert (row.status, row.past_due_since) == ("active", None)
    assert "Your last payment failed" not in factories.page_text(client.get("/billing"))


def test_a_deleted_subscription_puts_the_workspace_back_on_starter(client, outbox):
    owner, _business = factories.make_tenant()
    _customer(owner)
    post_event(
        client, _subscription_event("customer.subscription.created", 1_800_000_000, "professional")
    )

    post_event(
        client,
        _subscription_event(
            "customer.subscription.deleted", 1_800_000_100, "professional", "canceled"
        ),
    )

    row = _row(owner)
    assert (row.plan, row.status) == ("starter", "canceled")
    assert outbox[-1]["Subject"] == "Your Kyora plan is now Starter"


def test_an_event_for_an_unknown_customer_is_recorded_and_ignored(client):
    event = _subscription_event("customer.subscription.updated", 1_800_000_000, "enterprise")

    assert post_event(client, event).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(Subscription.id))) == 0


_SEQUENCE = [
    ("customer.subscription.created", "professional", "active"),
    ("customer.subscription.updated", "professional", "past_due"),
    ("customer.subscription.updated", "enterprise", "active"),
    ("customer.subscription.updated", "enterprise", "trialing"),
]


def test_any_order_of_subscription_events_ends_in_the_newest_state(client):
    owner, _business = factories.make_tenant()
    for count in range(1, len(_SEQUENCE) + 1):
        for order in itertools.permutations(range(count)):
            _customer(owner)
            events = [
                _subscription_event(kind, 1_800_000_000 + n, plan, status)
                for n, (kind, plan, status) in enumerate(_SEQUENCE[:count])
            ]
            for index in order:
                assert post_event(client, events[index]).status_code == 200

            _kind, plan, status = _SEQUENCE[count - 1]
            row = _row(owner)
            assert (row.plan, row.status) == (plan, status), order
            db.session.execute(sa.delete(ProcessedEvent))
            db.session.execute(sa.delete(Subscription))
