"""The workspace overview (/overview): every business's month in one line."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from kyora.businesses import services as businesses
from kyora.core.permissions import can, requires
from kyora.insights.overview import overview
from kyora.insights.web.blueprint import workspace_bp


@workspace_bp.get("/overview")
@requires("view", "business")
def index():
    """Sales, profit (owners and admins) and orders to ship this month, per business."""
    active = businesses.list_businesses(current_user.workspace_id)
    with_money = can("view", "profit")
    return render_template(
        "insights/overview.html",
        rows=overview(active, with_money=with_money),
        with_money=with_money,
    )
