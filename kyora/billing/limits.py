"""What the workspace uses against its plan, and the checks before each gated write.

Lower domains ask through their signals (`orders.events.order_limit_check`,
`team.events.member_limit_check`, `businesses.events.business_creating`); the
receivers here refuse with PlanLimitReached, whose message carries a link to the
billing page. With billing off they answer nothing: no limits at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from kyora.accounts.models import Workspace
from kyora.billing import plans
from kyora.billing.models import PAID_STATUSES, PAST_DUE, UNPAID, Subscription
from kyora.businesses import events as business_events
from kyora.businesses.models import Business
from kyora.core.db import utcnow
from kyora.core.errors import PlanLimitReached
from kyora.core.permissions import can
from kyora.extensions import db
from kyora.orders import events as order_events
from kyora.orders.models import Order
from kyora.team import events as team_events
from kyora.team.services import seats_used


@dataclass(frozen=True)
class Usage:
    orders: int
    members: int
    businesses: int


def get_subscription(workspace_id: int, lock: bool = False) -> Subscription | None:
    query = sa.select(Subscription).where(Subscription.workspace_id == workspace_id)
    if lock:
        query = query.with_for_update()
    return db.session.scalar(query)


def current_plan(subscription: Subscription | None) -> plans.Plan:
    """The plan whose limits apply: a missing, cancelled or never-paid subscription is
    the free plan (a failed renewal keeps its plan; the grace period rules its writes)."""
    if subscription is None or subscription.status not in PAID_STATUSES:
        return plans.free_plan()
    return plans.get_plan(subscription.plan) or plans.free_plan()


def grace_ends_at(subscription: Subscription | None) -> datetime | None:
    """When a failed payment stops the plan's writes (None: payments are fine)."""
    if subscription is None or subscription.status not in (PAST_DUE, UNPAID):
        return None
    since = subscription.past_due_since or subscription.updated_at or utcnow()
    return since + timedelta(days=current_app.config["BILLING_GRACE_DAYS"])


def writes_blocked(subscription: Subscription | None, now: datetime | None = None) -> bool:
    ends = grace_ends_at(subscription)
    return ends is not None and (now or utcnow()) >= ends


def month_start(timezone: str, now: datetime | None = None) -> datetime:
    """The first instant of the current calendar month in `timezone`, as UTC."""
    local = (now or utcnow()).astimezone(ZoneInfo(timezone or "UTC"))
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def orders_this_month(workspace_id: int, now: datetime | None = None) -> int:
    """Orders of every business of the workspace since the 1st, each in its own time zone."""
    businesses = db.session.execute(
        sa.select(Business.id, Business.timezone).where(Business.workspace_id == workspace_id)
    ).all()
    if not businesses:
        return 0
    since = [
        sa.and_(Order.business_id == row.id, Order.created_at >= month_start(row.timezone, now))
        for row in businesses
    ]
    return int(db.session.scalar(sa.select(sa.func.count(Order.id)).where(sa.or_(*since))) or 0)


def business_count(workspace_id: int) -> int:
    """Businesses in use (archived ones free their place)."""
    query = sa.select(sa.func.count(Business.id)).where(
        Business.workspace_id == workspace_id, Business.archived_at.is_(None)
    )
    return int(db.session.scalar(query) or 0)


def usage(workspace: Workspace) -> Usage:
    return Usage(
        orders=orders_this_month(workspace.id),
        members=seats_used(workspace),
        businesses=business_count(workspace.id),
    )


def over_limits(plan: plans.Plan, used: Usage) -> list[str]:
    """Translated reasons why `used` does not fit in `plan` (empty: it fits)."""
    reasons = []
    if not plans.allows(plan.orders, used.orders):
        reasons.append(
            ngettext(
                "%(plan)s allows %(num)d order a month and you have %(count)d this month.",
                "%(plan)s allows %(num)d orders a month and you have %(count)d this month.",
                plan.orders,
                plan=plan.name,
                count=used.orders,
            )
        )
    if not plans.allows(plan.members, used.members):
        reasons.append(
            ngettext(
                "%(plan)s allows %(num)d person and your team has %(count)d, "
                "pending invitations included.",
                "%(plan)s allows %(num)d people and your team has %(count)d, "
                "pending invitations included.",
                plan.members,
                plan=plan.name,
                count=used.members,
            )
        )
    if not plans.allows(plan.businesses, used.businesses):
        reasons.append(
            ngettext(
                "%(plan)s allows %(num)d business and you have %(count)d.",
                "%(plan)s allows %(num)d businesses and you have %(count)d.",
                plan.businesses,
                plan=plan.name,
                count=used.businesses,
            )
        )
    return reasons


def upgrade_prompt(message: str) -> Markup:
    """`message` followed by a link to the billing page (escaped, safe to show)."""
    if (
        not has_request_context()
        or "billing.index" not in current_app.view_functions
        or not can("view", "billing")
    ):
        return Markup.escape(message)
    return Markup('{} <a href="{}">{}</a>').format(
        message, url_for("billing.index"), _("See plans")
    )


def _refuse_when_overdue(subscription: Subscription | None, field: str | None) -> None:
    if writes_blocked(subscription):
        raise PlanLimitReached(
            upgrade_prompt(
                _(
                    "Your payment is overdue, so new records are paused. Everything you have "
                    "stays readable and exportable. Update your card to carry on."
                )
            ),
            field,
        )


def check_new_order(business: Business, actor=None, **_extra) -> None:
    """Refuse a new order over the plan's orders this month (all businesses together)."""
    if not plans.enabled():
        return
    subscription = get_subscription(business.workspace_id)
    _refuse_when_overdue(subscription, None)
    plan = current_plan(subscription)
    if plan.orders is None:
        return
    if not plans.allows(plan.orders, orders_this_month(business.workspace_id) + 1):
        raise PlanLimitReached(
            upgrade_prompt(
                ngettext(
                    "You have used the %(num)d order of %(plan)s this month. Upgrade to "
                    "save this order; what you typed is kept.",
                    "You have used the %(num)d orders of %(plan)s this month. Upgrade to "
                    "save this order; what you typed is kept.",
                    plan.orders,
                    plan=plan.name,
                )
            )
        )


def check_new_member(workspace: Workspace, **counts):
    """Refuse an invitation past the plan's people (pending invitations count).

    `counts` are the signal's `seats_used` (people plus pending invitations) and `adding`.
    """
    if not plans.enabled():
        return None
    subscription = get_subscription(workspace.id)
    _refuse_when_overdue(subscription, "email")
    plan = current_plan(subscription)
    taken = int(counts.get("seats_used", 0)) + int(counts.get("adding", 1))
    if not plans.allows(plan.members, taken):
        raise PlanLimitReached(
            upgrade_prompt(
                ngettext(
                    "%(plan)s includes %(num)d person, you included, and pending invitations "
                    "count too. Upgrade to invite more, or revoke an invitation.",
                    "%(plan)s includes %(num)d people, you included, and pending invitations "
                    "count too. Upgrade to invite more, or revoke an invitation.",
                    plan.members,
                    plan=plan.name,
                )
            ),
            "email",
        )
    return None


def check_new_business(workspace: Workspace, actor=None, **_extra) -> None:
    """Refuse a business past the plan's number of businesses."""
    if not plans.enabled():
        return
    subscription = get_subscription(workspace.id)
    _refuse_when_overdue(subscription, "name")
    plan = current_plan(subscription)
    if not plans.allows(plan.businesses, business_count(workspace.id) + 1):
        raise PlanLimitReached(
            upgrade_prompt(
                ngettext(
                    "%(plan)s includes %(num)d business. Upgrade to add another one; "
                    "what you typed is kept.",
                    "%(plan)s includes %(num)d businesses. Upgrade to add another one; "
                    "what you typed is kept.",
                    plan.businesses,
                    plan=plan.name,
                )
            ),
            "name",
        )


def connect() -> None:
    order_events.order_limit_check.connect(check_new_order)
    team_events.member_limit_check.connect(check_new_member)
    business_events.business_creating.connect(check_new_business)
