"""After the order: the message the shopper sends the shop on WhatsApp, its wa.me
link, and the same link as a QR code (SVG, drawn on the server) for desktop shoppers
who want to continue on their phone."""

from __future__ import annotations

from dataclasses import dataclass

import segno
from flask_babel import force_locale
from flask_babel import gettext as _

from kyora.core.money import format_money
from kyora.core.phones import display_phone, whatsapp_link


def order_message(order, items, business, status_url: str, locale: str) -> str:
    """The shopper's message to the shop: the order number, items, delivery, total,
    who it is for and the status link, in the shopper's language."""

    def money(amount) -> str:
        return format_money(amount, business.currency, locale)

    with force_locale(locale):
        lines = [
            _(
                "Hello %(business)s! I just placed order #%(number)d in your shop:",
                business=business.name,
                number=order.number,
            )
        ]
        lines += [f"• {item.quantity} × {item.name} — {money(item.line_total)}" for item in items]
        if order.shipping:
            lines.append(_("Delivery: %(amount)s", amount=money(order.shipping)))
        if order.vat and not order.vat_included:
            lines.append(_("VAT: %(amount)s", amount=money(order.vat)))
        lines.append(_("Total: %(amount)s", amount=money(order.total)))
        customer = order.customer
        if customer is not None:
            lines.append(_("Name: %(name)s", name=customer.name))
            if customer.phone:
                lines.append(_("Phone: %(phone)s", phone=display_phone(customer.phone)))
        if order.delivery_address:
            lines.append(_("Address: %(address)s", address=order.delivery_address))
        lines.append(_("Order status: %(url)s", url=status_url))
        return "\n".join(lines)


def whatsapp_url(business, text: str) -> str | None:
    """wa.me to the shop's WhatsApp number with the message, or None without one."""
    return whatsapp_link(business.whatsapp, text)


@dataclass(frozen=True)
class QrCode:
    """A QR code as one SVG path: `size` modules square (quiet zone included) and the
    path data of its dark modules (only letters and digits: nothing to escape)."""

    size: int
    path: str


def qr_code(url: str, border: int = 2) -> QrCode:
    """`url` as a QR code, drawn as horizontal runs of dark modules."""
    matrix = segno.make(url, error="l", micro=False).matrix
    parts = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                parts.append(f"M{start + border} {y + border}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return QrCode(len(matrix) + 2 * border, "".join(parts))
