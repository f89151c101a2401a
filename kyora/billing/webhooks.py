"""Stripe webhooks: verified on the raw body, each event applied once, newest wins.

`handle_event` records the event id in the same transaction as its effect, so a replay
is a no-op (and two deliveries racing each other collide on the unique id). Events that
change a subscription are compared by their creation time with the newest one applied
(`Subscription.last_event_at`): an older event arriving late changes nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
import stripe
from flask import current_app

from kyora.billing import limits, services
from kyora.billing.gateway import value
from kyora.billing.models import PAST_DUE, ProcessedEvent, Subscription
from kyora.core.db import utcnow
from kyora.extensions import db

HANDLED = (
    "checkout.session.completed",
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "invoice.paid",
    "invoice.payment_failed",
    "customer.subscription.trial_will_end",
)


class BadSignature(Exception):
    """The payload is not a Stripe event signed with our webhook secret."""


def verify(payload: bytes, signature: str | None):
    """The event in `payload` when `signature` matches it, else BadSignature."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET") or ""
    if not secret or not signature:
        raise BadSignature("missing secret or signature")
    try:
        return stripe.Webhook.construct_event(payload, signature, secret)
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise BadSignature(str(error)) from error


def _already_processed(event_id: str) -> bool:
    return (
        db.session.scalar(
            sa.select(ProcessedEvent.id).where(ProcessedEvent.stripe_event_id == event_id)
        )
        is not None
    )


def _workspace_id(obj) -> int | None:
    """The workspace an object belongs to: its metadata, else its Stripe customer."""
    raw = value(value(obj, "metadata"), "workspace_id") or value(obj, "client_reference_id")
    if raw and str(raw).isdigit():
        return int(raw)
    customer = value(obj, "customer")
    if not isinstance(customer, str):
        customer = value(customer, "id")
    if not customer:
        return None
    return db.session.scalar(
        sa.select(Subscription.workspace_id).where(Subscription.stripe_customer_id == customer)
    )


def _fresh_row(obj, created: int) -> Subscription | None:
    """The workspace's row, locked, when this event is not older than the last applied."""
    workspace_id = _workspace_id(obj)
    if workspace_id is None:
        return None
    row = limits.get_subscription(workspace_id, lock=True)
    if row is None or created < (row.last_event_at or 0):
        return None
    row.last_event_at = created
    return row


def handle_event(event) -> bool:
    """Apply one verified event in the current transaction; False for a replay."""
    event_id = value(event, "id")
    if _already_processed(event_id):
        return False
    kind = value(event, "type")
    obj = value(value(event, "data"), "object")
    created = int(value(event, "created", 0))
    if kind == "checkout.session.completed":
        workspace_id = _workspace_id(obj)
        if workspace_id is not None:
            services.fulfil_checkout(workspace_id, obj)
    elif kind.startswith("customer.subscription.") and kind != (
        "customer.subscription.trial_will_end"
    ):
        row = _fresh_row(obj, created)
        if row is not None:
            services.apply_subscription(row, obj, deleted=kind.endswith(".deleted"))
    elif kind in ("invoice.paid", "invoice.payment_failed"):
        _invoice(kind, obj, created)
    # trial_will_end: Kyora offers no trials of its own; Stripe's reminder is enough.
    db.session.add(ProcessedEvent(stripe_event_id=event_id, event_type=kind or ""))
    db.session.flush()
    return True


def _invoice(kind: str, invoice, created: int) -> None:
    """A failed payment starts the grace period (and tells the owner); a paid one ends it."""
    if not value(invoice, "subscription") and not value(invoice, "parent"):
        return
    row = _fresh_row(invoice, created)
    if row is None:
        return
    if kind == "invoice.payment_failed":
        first = row.status != PAST_DUE
        row.status = PAST_DUE
        row.past_due_since = row.past_due_since or utcnow()
        if first:
            services.notify_owner(row.workspace_id, "billing_payment_failed", plan=row.plan)
    elif row.status == PAST_DUE:
        row.status = "active"
        row.past_due_since = None
    db.session.flush()
