"""The printable receipt / invoice of an order (print CSS hides everything else)."""

from __future__ import annotations

from flask import g, render_template

from kyora.core.db import utcnow
from kyora.core.permissions import requires
from kyora.core.tenancy import get_or_404
from kyora.orders import queries
from kyora.orders.models import Order
from kyora.orders.web.blueprint import bp


@bp.get("/<int:order_id>/receipt")
@requires("view", "orders")
def receipt(order_id: int):
    """A printable receipt / invoice (print CSS hides everything else)."""
    order = get_or_404(Order, order_id)
    return render_template(
        "orders/receipt.html",
        order=order,
        business=g.business,
        printed_at=utcnow(),
        **queries.order_page(order),
    )
