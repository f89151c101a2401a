"""The customer's order status page: an unguessable link, no login.

It shows the status, items, totals and how to reach the business; never internal
notes, costs or who did what.
"""

from __future__ import annotations

from flask import abort, g, render_template

from kyora.businesses.models import Business
from kyora.core.permissions import public
from kyora.core.phones import display_phone
from kyora.extensions import db
from kyora.orders import queries
from kyora.orders import status as st
from kyora.orders.web.blueprint import status_bp as bp

# The steps shown as a progress line on the page.
PROGRESS = (st.PENDING, st.CONFIRMED, st.READY, st.SHIPPED, st.DELIVERED)


def progress_steps(status: str) -> list[tuple[str, bool, bool]]:
    """(label, reached, current) for each step shown; "pending" and "ready" only while
    the order is in them. Empty for a cancelled or returned order."""
    if status not in PROGRESS:
        return []
    reached = PROGRESS.index(status)
    return [
        (str(st.LABELS[step]), position <= reached, step == status)
        for position, step in enumerate(PROGRESS)
        if step not in (st.PENDING, st.READY) or step == status
    ]


@bp.get("/<token>")
@public
def show(token: str):
    order = queries.get_by_token(token)
    if order is None:
        abort(404)
    business = db.session.get(Business, order.business_id)
    # The page speaks for this business: its currency and its time zone.
    g.business = business
    items = queries.order_items(order)
    response = render_template(
        "orders/public.html",
        order=order,
        business=business,
        items=items,
        steps=progress_steps(order.status),
        display_phone=display_phone,
    )
    # A private link: keep it out of search engines and shared caches.
    return response, 200, {"X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"}
