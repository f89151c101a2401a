"""The page after placing an order: send it to the shop on WhatsApp (a QR code of
the same link on wide screens), and the order's status page link."""

from __future__ import annotations

from flask import abort, g, render_template, url_for
from flask_babel import get_locale

from kyora.core.permissions import public
from kyora.orders.queries import get_by_token, order_items
from kyora.storefront.checkout import CHANNEL
from kyora.storefront.handoff import order_message, qr_code, whatsapp_url
from kyora.storefront.web.blueprint import bp, current_cart
from kyora.storefront.web.page import page_context


@bp.get("/placed/<token>")
@public
def placed(token: str):
    """The hand-off: the WhatsApp message ready to send, and where to follow the order."""
    order = get_by_token(token) if len(token) <= 64 else None
    if order is None or order.business_id != g.business.id or order.channel != CHANNEL:
        abort(404)
    items = order_items(order)
    status_url = url_for("order_status.show", token=order.public_token, _external=True)
    text = order_message(order, items, g.business, status_url, str(get_locale() or "en"))
    link = whatsapp_url(g.business, text)
    body = render_template(
        "storefront/placed.html",
        order=order,
        items=items,
        message=text,
        whatsapp=link,
        qr=qr_code(link) if link else None,
        status_url=status_url,
        **page_context(current_cart(), "storefront.placed", token=order.public_token),
    )
    # A private link: keep it out of search engines and shared caches.
    return body, 200, {"X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer"}
