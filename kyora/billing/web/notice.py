"""The banner of a workspace whose payment failed: the grace period, then paused writes."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from kyora.billing import limits
from kyora.core.permissions import can


def billing_notice() -> dict | None:
    """For the layout: when the grace period ends and whether it has (once per request)."""
    if "billing_notice" in g:
        return g.billing_notice
    notice = None
    if current_user.is_authenticated and can("view", "billing"):
        subscription = limits.get_subscription(current_user.workspace_id)
        ends = limits.grace_ends_at(subscription)
        if ends is not None:
            notice = {"ends_at": ends, "blocked": limits.writes_blocked(subscription)}
    g.billing_notice = notice
    return notice
