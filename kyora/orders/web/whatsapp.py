"""The order summary a seller sends the customer on WhatsApp (a wa.me link)."""

from __future__ import annotations

from urllib.parse import quote

from flask_babel import force_locale
from flask_babel import gettext as _

from kyora.core.money import format_money
from kyora.core.phones import whatsapp_link


def order_message(order, items, business, status_url: str, locale: str) -> str:
    """Items, total, what is paid and still owed, status and its link, in `locale`."""

    def money(amount) -> str:
        return format_money(amount, business.currency, locale)

    with force_locale(locale):
        customer = order.customer
        if customer is not None and customer.name and not customer.name.startswith("@"):
            greeting = _("Hello %(name)s!", name=customer.name.split(" ")[0])
        else:
            greeting = _("Hello!")
        lines = [
            greeting,
            _(
                "Your order #%(number)d from %(business)s:",
                number=order.number,
                business=business.name,
            ),
        ]
        lines += [f"• {item.quantity} × {item.name} — {money(item.line_total)}" for item in items]
        if order.discount:
            lines.append(_("Discount: %(amount)s", amount=money(order.discount)))
        if order.shipping:
            lines.append(_("Delivery: %(amount)s", amount=money(order.shipping)))
        if order.vat and not order.vat_included:
            lines.append(_("VAT: %(amount)s", amount=money(order.vat)))
        lines.append(_("Total: %(amount)s", amount=money(order.total)))
        if order.vat and order.vat_included:
            lines.append(_("Includes VAT: %(amount)s", amount=money(order.vat)))
        lines.append(_("Paid: %(amount)s", amount=money(order.amount_paid)))
        if order.balance > 0:
            lines.append(_("Still to pay: %(amount)s", amount=money(order.balance)))
        lines.append(_("Status: %(status)s", status=order.status_label))
        lines.append(_("Follow your order here: %(url)s", url=status_url))
        return "\n".join(lines)


def link(order, text: str) -> str:
    """wa.me to the customer's WhatsApp number, or a chat picker when there is none."""
    customer = order.customer
    number = customer.whatsapp_number if customer is not None else None
    return whatsapp_link(number, text) or f"https://wa.me/?text={quote(text)}"
