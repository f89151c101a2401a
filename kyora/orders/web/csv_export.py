"""The orders CSV export (the list's filters apply)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from kyora.core.csv import csv_response
from kyora.core.db import utcnow
from kyora.core.money import quantize
from kyora.core.phones import display_phone
from kyora.orders.queries import OrderFilters, export_rows


def export_response(business, filters: OrderFilters, with_costs: bool):
    """A CSV download of every order matching `filters`; costs and profit only for those
    allowed to see them."""
    zone = ZoneInfo(business.timezone or "UTC")
    header = [
        _("Order"),
        _("Date"),
        _("Status"),
        _("Payment"),
        _("Channel"),
        _("Customer"),
        _("Phone"),
        _("Items"),
        _("Subtotal"),
        _("Discount"),
        _("VAT"),
        _("Delivery"),
        _("Total"),
        _("Paid"),
        _("Still to pay"),
        _("Payment fees"),
        _("Currency"),
    ]
    if with_costs:
        header += [_("Cost of items"), _("Profit")]

    def amount(value):
        return quantize(value, business.currency)

    def rows():
        for order, name, phone, units in export_rows(business, filters):
            row = [
                order.number,
                order.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                order.status_label,
                order.payment_status_label,
                order.channel_label,
                name or "",
                display_phone(phone),
                units,
                amount(order.subtotal),
                amount(order.discount),
                amount(order.vat),
                amount(order.shipping),
                amount(order.total),
                amount(order.amount_paid),
                amount(order.balance),
                amount(order.fees),
                business.currency,
            ]
            if with_costs:
                row += [amount(order.cost_total), amount(order.profit)]
            yield row

    filename = f"{business.handle}-orders-{utcnow().astimezone(zone).date().isoformat()}.csv"
    return csv_response(filename, header, rows())
