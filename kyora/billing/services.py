"""Billing operations: choosing a plan, Checkout, fulfilment, plan changes, the portal.

Services take explicit arguments, flush but never commit, and raise DomainError
subclasses with translated messages. Every path that learns a subscription's state
(the webhook, the Checkout return page, a plan change) goes through
`apply_subscription`, and every completed Checkout through `fulfil_checkout`, so they
agree and a repeat changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
import stripe
from flask import current_app
from flask_babel import gettext as _

from kyora.accounts.models import User, Workspace
from kyora.billing import gateway, limits, plans
from kyora.billing.gateway import value
from kyora.billing.models import ACTIVE, PAST_DUE, UNPAID, Subscription
from kyora.core.db import utcnow
from kyora.core.errors import DomainError, NotAllowed, ValidationFailed
from kyora.core.mail import queue_email
from kyora.core.permissions import OWNER
from kyora.extensions import db


class BillingUnavailable(DomainError):
    """Stripe could not be reached or refused the call; nothing was changed."""

    status_code = 503


def _stripe_failed(error: Exception) -> BillingUnavailable:
    current_app.logger.warning("stripe call failed: %s", error)
    return BillingUnavailable(
        _("We could not reach our payment provider. Nothing was changed; please try again.")
    )


def _require_owner(actor: User, workspace: Workspace) -> None:
    if actor.workspace_id != workspace.id or actor.role != OWNER:
        raise NotAllowed(_("Only the owner can change the plan."))


def ensure_subscription(workspace: Workspace) -> Subscription:
    """The workspace's row, created on the free plan if it has none (row locked)."""
    row = limits.get_subscription(workspace.id, lock=True)
    if row is not None:
        return row
    row = Subscription(workspace_id=workspace.id, plan=plans.free_plan().key, status=ACTIVE)
    db.session.add(row)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError:  # a second tab created it a moment ago
        return limits.get_subscription(workspace.id, lock=True)
    return row


def choose_free_plan(workspace: Workspace, actor: User) -> Subscription:
    """The sign-up plan step's free choice: the subscription row exists at once."""
    _require_owner(actor, workspace)
    return ensure_subscription(workspace)


def _price_id(plan: plans.Plan) -> str:
    found = gateway.client().v1.prices.list(
        params={"lookup_keys": [plan.lookup_key], "active": True, "limit": 1}
    )
    if not found.data:
        raise BillingUnavailable(_("This plan is not available yet. Please try again later."))
    return found.data[0].id


def _customer_id(row: Subscription, workspace: Workspace, owner: User) -> str:
    """The workspace's Stripe customer, created once (the row is locked meanwhile)."""
    if row.stripe_customer_id:
        return row.stripe_customer_id
    customer = gateway.client().v1.customers.create(
        params={
            "email": owner.email,
            "name": workspace.name,
            "metadata": {"workspace_id": str(workspace.id)},
        },
        options={"idempotency_key": f"kyora-customer-{workspace.id}"},
    )
    row.stripe_customer_id = customer.id
    db.session.flush()
    return customer.id


def start_checkout(
    workspace: Workspace, actor: User, plan_key: str, success_url: str, cancel_url: str
) -> str:
    """A Stripe Checkout page (subscription mode) for a paid plan; returns its address.

    The idempotency key names the workspace, the plan, the subscription it replaces and
    the day, so a double click gets the same Checkout page instead of a second one, and
    the next subscription gets a new page.
    """
    _require_owner(actor, workspace)
    plan = plans.get_plan(plan_key)
    if plan is None or plan.is_free:
        raise ValidationFailed({"plan": _("Choose one of the plans shown.")})
    row = ensure_subscription(workspace)
    try:
        customer = _customer_id(row, workspace, actor)
        session = gateway.client().v1.checkout.sessions.create(
            params={
                "mode": "subscription",
                "customer": customer,
                "client_reference_id": str(workspace.id),
                "line_items": [{"price": _price_id(plan), "quantity": 1}],
                "success_url": success_url,
                "cancel_url": cancel_url,
                "metadata": {"workspace_id": str(workspace.id), "plan": plan.key},
                "subscription_data": {"metadata": {"workspace_id": str(workspace.id)}},
            },
            options={
                "idempotency_key": (
                    f"kyora-checkout-{workspace.id}-{plan.key}"
                    f"-{row.stripe_subscription_id or 'new'}-{utcnow():%Y%m%d}"
                )
            },
        )
    except stripe.StripeError as error:
        raise _stripe_failed(error) from error
    return session.url


def _plan_of(subscription) -> plans.Plan | None:
    items = value(value(subscription, "items"), "data", [])
    price = value(items[0], "price") if items else None
    return plans.plan_for_lookup_key(value(price, "lookup_key"))


def _period_end(subscription) -> datetime | None:
    items = value(value(subscription, "items"), "data", [])
    seconds = value(items[0], "current_period_end") if items else None
    return gateway.timestamp(seconds or value(subscription, "current_period_end"))


def apply_subscription(row: Subscription, subscription, deleted: bool = False) -> bool:
    """Copy a Stripe subscription's state onto `row`; True when the plan changed.

    A deleted subscription puts the workspace back on the free plan.
    """
    before = limits.current_plan(row).key
    status = "canceled" if deleted else value(subscription, "status", ACTIVE)
    plan = _plan_of(subscription)
    row.stripe_subscription_id = value(subscription, "id")
    row.status = status
    row.plan = plans.free_plan().key if deleted or plan is None else plan.key
    row.current_period_end = None if deleted else _period_end(subscription)
    row.cancel_at_period_end = bool(value(subscription, "cancel_at_period_end", False))
    if status in (PAST_DUE, UNPAID):
        row.past_due_since = row.past_due_since or utcnow()
    else:
        row.past_due_since = None
    db.session.flush()
    changed = limits.current_plan(row).key != before
    if changed:
        notify_owner(row.workspace_id, "billing_plan_changed", plan=limits.current_plan(row).key)
    return changed


def fulfil_checkout(workspace_id: int, session) -> bool:
    """Apply a completed Checkout Session to its workspace; True when it was applied.

    The one fulfilment path for both the webhook and the return page: a session not
    complete yet, or one already applied, changes nothing.
    """
    if value(session, "status") != "complete" or not value(session, "subscription"):
        return False
    row = limits.get_subscription(workspace_id, lock=True)
    subscription_id = value(session, "subscription")
    if not isinstance(subscription_id, str):
        subscription_id = value(subscription_id, "id")
    if row is None:
        return False
    if row.stripe_subscription_id == subscription_id and row.status != "canceled":
        return False
    subscription = gateway.client().v1.subscriptions.retrieve(subscription_id)
    apply_subscription(row, subscription)
    return True


def checkout_session_for(workspace: Workspace, session_id: str):
    """The Checkout Session `session_id` if it belongs to `workspace`, else None."""
    if not session_id or len(session_id) > 255:
        return None
    try:
        session = gateway.client().v1.checkout.sessions.retrieve(session_id)
    except stripe.InvalidRequestError:
        return None
    except stripe.StripeError as error:
        raise _stripe_failed(error) from error
    if value(session, "client_reference_id") != str(workspace.id):
        return None
    return session


def change_plan(workspace: Workspace, actor: User, plan_key: str, urls: tuple[str, str]) -> str:
    """Move to `plan_key`; returns "checkout:<url>" when Checkout must take over, else the
    outcome ("changed", "ends", "resumed", "unchanged").

    A downgrade is refused, with the reasons, when the usage does not fit the target plan.
    """
    _require_owner(actor, workspace)
    target = plans.get_plan(plan_key)
    if target is None:
        raise ValidationFailed({"plan": _("Choose one of the plans shown.")})
    row = ensure_subscription(workspace)
    current = limits.current_plan(row)
    reasons = limits.over_limits(target, limits.usage(workspace))
    if target.rank < current.rank and reasons:
        raise ValidationFailed({"plan": " ".join(reasons)})
    if target.key == current.key and not row.cancel_at_period_end:
        return "unchanged"
    paying = row.stripe_subscription_id and row.status not in ("canceled", "incomplete_expired")
    if not paying:
        if target.is_free:
            return "changed"
        return "checkout:" + start_checkout(workspace, actor, target.key, *urls)
    client = gateway.client().v1.subscriptions
    try:
        if target.is_free:
            updated = client.update(
                row.stripe_subscription_id, params={"cancel_at_period_end": True}
            )
            apply_subscription(row, updated)
            return "ends"
        if target.key == current.key:
            updated = client.update(
                row.stripe_subscription_id, params={"cancel_at_period_end": False}
            )
            apply_subscription(row, updated)
            return "resumed"
        subscription = client.retrieve(row.stripe_subscription_id)
        item = value(value(subscription, "items"), "data", [])[0]
        updated = client.update(
            row.stripe_subscription_id,
            params={
                "items": [{"id": value(item, "id"), "price": _price_id(target)}],
                "cancel_at_period_end": False,
                "proration_behavior": "create_prorations",
            },
        )
    except stripe.StripeError as error:
        raise _stripe_failed(error) from error
    apply_subscription(row, updated)
    return "changed"


def portal_url(workspace: Workspace, actor: User, return_url: str) -> str:
    """A Stripe Customer Portal session (card, invoices, cancelling) for the owner."""
    _require_owner(actor, workspace)
    row = limits.get_subscription(workspace.id)
    if row is None or not row.stripe_customer_id:
        raise ValidationFailed({"plan": _("There is no card on file yet: choose a paid plan.")})
    try:
        session = gateway.client().v1.billing_portal.sessions.create(
            params={"customer": row.stripe_customer_id, "return_url": return_url}
        )
    except stripe.StripeError as error:
        raise _stripe_failed(error) from error
    return session.url


@dataclass(frozen=True)
class InvoiceRow:
    number: str
    created: datetime | None
    amount: Decimal
    currency: str
    status: str
    url: str | None


def list_invoices(subscription: Subscription | None) -> list[InvoiceRow] | None:
    """The latest invoices (None when Stripe cannot be reached right now)."""
    if subscription is None or not subscription.stripe_customer_id:
        return []
    try:
        found = gateway.client().v1.invoices.list(
            params={"customer": subscription.stripe_customer_id, "limit": 12}
        )
    except stripe.StripeError as error:
        current_app.logger.warning("stripe invoices failed: %s", error)
        return None
    return [
        InvoiceRow(
            number=value(invoice, "number", ""),
            created=gateway.timestamp(value(invoice, "created")),
            amount=Decimal(int(value(invoice, "amount_paid", 0) or value(invoice, "amount_due", 0)))
            / 100,
            currency=str(value(invoice, "currency", "aed")).upper(),
            status=value(invoice, "status", ""),
            url=value(invoice, "hosted_invoice_url"),
        )
        for invoice in found.data
    ]


def notify_owner(workspace_id: int, template: str, **context) -> None:
    """Queue `template` for the workspace owner (sent after the commit)."""
    owner = db.session.scalar(
        sa.select(User).where(
            User.workspace_id == workspace_id, User.role == OWNER, User.deactivated_at.is_(None)
        )
    )
    if owner is None:
        return
    # A lazy name, so the email says it in the owner's language.
    plan_name = plans.NAMES.get(context.pop("plan", None), "")
    queue_email(
        owner.email, template, locale=owner.locale, name=owner.first_name, plan_name=plan_name
    )
