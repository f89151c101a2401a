"""The customers CSV export (headers translated, formula cells neutralised)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from kyora.core.csv import csv_response
from kyora.core.db import utcnow
from kyora.core.money import quantize
from kyora.customers import queries


def _local(moment, zone):
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""


def export_response(business, filters: queries.CustomerFilters):
    """A CSV download of the business's customers matching `filters`, in list order."""
    zone = ZoneInfo(business.timezone or "UTC")
    currency = business.currency
    header = [
        _("Name"),
        _("Phone"),
        _("WhatsApp"),
        _("Email"),
        _("Instagram"),
        _("TikTok"),
        _("Facebook"),
        _("Snapchat"),
        _("X"),
        _("Country"),
        _("City"),
        _("Tags"),
        _("Came from"),
        _("Orders"),
        _("Total spent (%(currency)s)", currency=currency),
        _("Owes (%(currency)s)", currency=currency),
        _("Last order"),
        _("Customer since"),
    ]

    def rows():
        for customer, city in queries.export_rows(business, filters):
            yield [
                customer.name,
                customer.phone,
                customer.whatsapp,
                customer.email,
                customer.instagram,
                customer.tiktok,
                customer.facebook,
                customer.snapchat,
                customer.x_handle,
                customer.country,
                city,
                ", ".join(customer.tag_list),
                customer.first_channel_label,
                customer.orders_count,
                quantize(customer.total_spent or 0, currency),
                quantize(customer.amount_due or 0, currency),
                _local(customer.last_order_at, zone),
                _local(customer.created_at, zone),
            ]

    filename = f"customers-{business.handle}-{utcnow().astimezone(zone):%Y-%m-%d}.csv"
    return csv_response(filename, header, rows())
