"""The business home's insights section: sentences first, then tiles, the chart and
the lists. Members get the same section without profit, cost or cash figures."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from kyora.core.i18n import is_rtl
from kyora.core.money import format_money
from kyora.core.permissions import can
from kyora.customers.models import CHANNEL_LABELS
from kyora.insights import charts
from kyora.insights.home import KPI_PERIODS, build_home
from kyora.insights.words import sentences


def sales_chart(home, business, locale: str, *, with_money: bool):
    """Sales (and profit, for those who may see it) over the last 30 days."""
    labels = [format_date(day, "d MMM") for day, _delta, _profit in home.chart_days]
    series = [charts.Series(_("Sales"), [delta.sales for _d, delta, _p in home.chart_days])]
    if with_money:
        series.append(
            charts.Series(
                _("Profit"), [profit for _d, _delta, profit in home.chart_days], tone="positive"
            )
        )
    return charts.line_chart(
        labels,
        series,
        title=_("Sales and profit, last 30 days") if with_money else _("Sales, last 30 days"),
        fmt=lambda value: format_money(value, business.currency, locale),
        rtl=is_rtl(locale),
    )


def home_section(business):
    """The context of templates/insights/_home.html."""
    with_money = can("view", "profit")
    locale = str(get_locale() or "en")
    home = build_home(business, with_money=with_money)
    period = request.args.get("kpi", "month")
    return {
        "home": home,
        "with_money": with_money,
        "kpi": period if period in KPI_PERIODS else "month",
        "channel_labels": CHANNEL_LABELS,
        "sentences": sentences(home, business, link=url_for, locale=locale, with_money=with_money),
        "chart": None
        if home.is_new
        else sales_chart(home, business, locale, with_money=with_money),
    }
