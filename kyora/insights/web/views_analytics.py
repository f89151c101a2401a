"""Sales, customers and inventory analytics (/b/<handle>/insights/...).

The period is in the URL (`?period=last_30`, or `?period=custom&from=...&to=...`), so a
page can be bookmarked or sent to a partner. A period that cannot be shown gets its
message beside the date fields (422) above this month's figures.
"""

from __future__ import annotations

from decimal import Decimal

from flask import g, render_template, request
from flask_babel import format_date, format_decimal, format_percent, get_locale
from flask_babel import gettext as _

from kyora.accounting.ledger import business_day
from kyora.core.i18n import country_name, is_rtl
from kyora.core.money import format_money
from kyora.core.permissions import can, requires
from kyora.customers.models import CHANNEL_LABELS
from kyora.insights import analytics, charts
from kyora.insights.periods import DAY, MONTH, PRESETS, granularity, read_period
from kyora.insights.web.blueprint import bp


class Formats:
    """How figures read in the viewer's language: money in the business currency,
    counts, shares and the change from the period before."""

    def __init__(self, business):
        self.locale = str(get_locale() or "en")
        self.currency = business.currency
        self.rtl = is_rtl(self.locale)

    def money(self, amount) -> str:
        return format_money(amount, self.currency, self.locale)

    @staticmethod
    def count(value) -> str:
        return format_decimal(value)

    @staticmethod
    def share(value: Decimal | None) -> str:
        return "—" if value is None else format_percent(value)

    def change(self, now, before) -> tuple[str, str]:
        """(words, tone) for how a figure moved from the period before."""
        moved = analytics.change(now, before)
        if moved is None:
            return _("Nothing to compare with"), "muted"
        percent = format_percent(abs(moved))
        if moved > 0:
            return _("%(percent)s more", percent=percent), "positive"
        if moved < 0:
            return _("%(percent)s less", percent=percent), "negative"
        return _("No change"), "muted"

    def country(self, code: str) -> str:
        return country_name(code, self.locale)


def bucket_labels(period, points) -> tuple[list[str], str]:
    """Chart labels for the buckets of `period`, and the heading of their column."""
    step = granularity(period)
    if step == DAY:
        return [format_date(p.bucket.start, "d MMM") for p in points], _("Day")
    if step == MONTH:
        return [format_date(p.bucket.start, "MMM y") for p in points], _("Month")
    return [format_date(p.bucket.start, "d MMM") for p in points], _("Week from")


def _over_time(labels, series, *, title, fmt, fm: Formats, heading):
    """Lines for many points, bars for a few (a line of one or two points says little)."""
    draw = charts.line_chart if len(labels) > 12 else charts.bar_chart
    return draw(labels, series, title=title, fmt=fmt, rtl=fm.rtl, label_header=heading)


DONUT_SLICES = 6


def channel_slices(channels) -> list[tuple[str, Decimal]]:
    """The channels' sales as donut slices: the biggest ones by name, the rest together
    with the "Other" channel as one "Other" slice (never two slices named Other)."""
    named = [(key, sold.sales) for key, sold in channels if key != "other"]
    kept = named[: DONUT_SLICES - 1] if len(named) >= DONUT_SLICES else named
    rest = sum((sales for key, sales in named[len(kept) :]), Decimal(0))
    rest += sum((sold.sales for key, sold in channels if key == "other"), Decimal(0))
    slices = [(str(CHANNEL_LABELS.get(key, key)), sales) for key, sales in kept]
    if rest:
        slices.append((str(CHANNEL_LABELS["other"]), rest))
    return slices


def sales_charts(figures: analytics.SalesFigures, fm: Formats, *, with_profit: bool) -> dict:
    """Sales (and profit) over time, orders over time and the channels' shares."""
    labels, heading = bucket_labels(figures.period, figures.points)
    step = granularity(figures.period)
    series = [charts.Series(_("Sales"), [p.sold.sales for p in figures.points])]
    if with_profit:
        series.append(
            charts.Series(_("Profit"), [p.profit for p in figures.points], tone="positive")
        )
        title = {
            DAY: _("Sales and profit by day"),
            MONTH: _("Sales and profit by month"),
        }.get(step, _("Sales and profit by week"))
    else:
        title = {DAY: _("Sales by day"), MONTH: _("Sales by month")}.get(step, _("Sales by week"))
    orders_title = {DAY: _("Orders by day"), MONTH: _("Orders by month")}.get(
        step, _("Orders by week")
    )
    return {
        "sales": _over_time(labels, series, title=title, fmt=fm.money, fm=fm, heading=heading),
        "orders": charts.bar_chart(
            labels,
            [charts.Series(_("Orders"), [p.sold.orders for p in figures.points], tone="secondary")],
            title=orders_title,
            fmt=fm.count,
            rtl=fm.rtl,
            label_header=heading,
        ),
        "channels": charts.donut_chart(
            channel_slices(figures.channels),
            title=_("Sales by channel"),
            fmt=fm.money,
            label_header=_("Channel"),
        )
        if figures.channels
        else None,
    }


def customer_chart(figures: analytics.CustomerFigures, fm: Formats):
    """New and returning customers per bucket, stacked."""
    labels, heading = bucket_labels(figures.period, figures.points)
    step = granularity(figures.period)
    title = {
        DAY: _("New and returning customers by day"),
        MONTH: _("New and returning customers by month"),
    }.get(step, _("New and returning customers by week"))
    return charts.stacked_bar_chart(
        labels,
        [
            charts.Series(_("New"), [p.sold.new_customers for p in figures.points]),
            charts.Series(
                _("Came back"),
                [p.sold.returning_customers for p in figures.points],
                tone="secondary",
            ),
        ],
        title=title,
        fmt=fm.count,
        rtl=fm.rtl,
        label_header=heading,
    )


def _page(template: str, errors: dict, **context):
    """The page; with a refused period, the same page (this month's figures) and 422."""
    body = render_template(template, presets=PRESETS, errors=errors, args=request.args, **context)
    return (body, 422) if errors else body


def _period():
    business = g.business
    today = business_day(business)
    period, errors = read_period(request.args, today)
    return business, today, period, errors


@bp.get("/sales")
@requires("view", "reports")
def sales():
    """Sales over time, against the period before, by channel, product and place."""
    business, _today, period, errors = _period()
    with_profit = can("view", "profit")
    figures = analytics.sales(business, period, with_profit=with_profit)
    fm = Formats(business)
    return _page(
        "insights/sales.html",
        errors,
        period=period,
        figures=figures,
        fm=fm,
        with_profit=with_profit,
        charts=sales_charts(figures, fm, with_profit=with_profit),
        channel_labels=CHANNEL_LABELS,
    )


@bp.get("/customers")
@requires("view", "reports")
def customers():
    """New and returning customers, repeat rate, lifetime value, best customers."""
    business, _today, period, errors = _period()
    figures = analytics.customers(business, period)
    fm = Formats(business)
    return _page(
        "insights/customers.html",
        errors,
        period=period,
        figures=figures,
        fm=fm,
        customers_chart=customer_chart(figures, fm),
    )


@bp.get("/inventory")
@requires("view", "reports")
def inventory():
    """Stock value, sell-through, slow movers and days of stock left."""
    business, today, period, errors = _period()
    figures = analytics.stock(business, period, today)
    return _page(
        "insights/inventory.html",
        errors,
        period=period,
        figures=figures,
        fm=Formats(business),
        pace_days=analytics.PACE_DAYS,
        slow_days=analytics.SLOW_DAYS,
    )
