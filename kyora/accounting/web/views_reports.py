"""Reports for a period (or a date): profit & earnings, business health, cash
movement, VAT and profit per order. Each has a CSV export (`?format=csv`) and a
print view (`?print=1`); the period is in the URL."""

from __future__ import annotations

from flask import g, render_template, request
from flask_babel import gettext as _

from kyora.accounting import figures, reports
from kyora.accounting.chart import NAMES, account_name
from kyora.accounting.ledger import business_day
from kyora.accounting.periods import PRESETS, parse_day, parse_period, preset
from kyora.accounting.web.blueprint import bp
from kyora.accounting.web.views_home import prepare_books
from kyora.core.csv import csv_response
from kyora.core.errors import ValidationFailed
from kyora.core.money import quantize
from kyora.core.permissions import requires


def _amount(value) -> str:
    """An amount for CSV: plain digits, the currency's decimals."""
    return str(quantize(value, g.business.currency))


def _render(name: str, title: str, context: dict, csv_rows=None):
    """The report page, its print view or its CSV."""
    if request.args.get("format") == "csv" and csv_rows is not None:
        headers, rows = csv_rows()
        return csv_response(f"{name}-{g.business.handle}.csv", headers, rows)
    template = (
        "accounting/report_print.html" if request.args.get("print") else "accounting/report.html"
    )
    return render_template(
        template,
        report=name,
        title=title,
        presets=PRESETS,
        partial=f"accounting/reports/_{name}.html",
        account_name=account_name,
        **context,
    )


def _period_or_error(name: str, title: str):
    business = g.business
    prepare_books(business)
    today = business_day(business)
    try:
        return parse_period(request.args, today), None
    except ValidationFailed as error:
        context = {"period": preset("month", today), "errors": error.errors, "args": request.args}
        return None, (
            render_template(
                "accounting/report.html",
                report=name,
                title=title,
                presets=PRESETS,
                partial=None,
                **context,
            ),
            422,
        )


@bp.get("/reports/profit")
@requires("view", "reports")
def report_profit():
    title = _("Profit & earnings")
    period, failed = _period_or_error("profit", title)
    if failed:
        return failed
    profit = figures.profit(g.business, period.start, period.end)

    def rows():
        lines = [
            (_("Sales"), profit.gross_sales),
            (_("Discounts"), -profit.discounts),
            (_("Net sales"), profit.net_sales),
            (_("Delivery charged"), profit.shipping),
            (_("Cost of goods sold"), -profit.cost_of_goods),
            (_("Gross profit"), profit.gross_profit),
        ]
        lines += [(account_name(account), -amount) for account, amount in profit.expenses]
        lines += [(_("Expenses"), -profit.total_expenses), (_("Net profit"), profit.net_profit)]
        return [_("Line"), _("Amount")], [(label, _amount(amount)) for label, amount in lines]

    return _render("profit", title, {"period": period, "profit": profit}, rows)


@bp.get("/reports/health")
@requires("view", "reports")
def report_health():
    title = _("Business health")
    business = g.business
    prepare_books(business)
    today = business_day(business)
    try:
        day = parse_day(request.args, today)
    except ValidationFailed as error:
        return (
            render_template(
                "accounting/report.html",
                report="health",
                title=title,
                presets=PRESETS,
                partial=None,
                errors=error.errors,
                args=request.args,
                day=today,
            ),
            422,
        )
    health = figures.health(business, day)

    def rows():
        lines = [(str(NAMES[code]), amount) for code, amount in health.own]
        lines.append((_("What you own"), health.total_own))
        lines += [(str(NAMES[code]), amount) for code, amount in health.owe]
        lines.append((_("What you owe"), health.total_owe))
        lines += [
            (_("Money you put in"), health.capital),
            (_("Money you took out"), -health.drawings),
            (_("Profit kept in the business"), health.earnings),
            (_("Your stake"), health.stake),
        ]
        return [_("Line"), _("Amount")], [(label, _amount(amount)) for label, amount in lines]

    return _render("health", title, {"day": day, "health": health, "names": NAMES}, rows)


@bp.get("/reports/cash")
@requires("view", "reports")
def report_cash():
    title = _("Cash movement")
    period, failed = _period_or_error("cash", title)
    if failed:
        return failed
    movement = reports.cash_movement(g.business, period.start, period.end)

    def rows():
        lines = [(_("Cash and bank at the start"), movement.opening)]
        lines += [(str(label), amount) for _key, label, amount in movement.lines]
        if movement.fees:
            lines.append((_("Payment fees"), -movement.fees))
        lines += [(_("Change"), movement.net), (_("Cash and bank at the end"), movement.closing)]
        return [_("Line"), _("Amount")], [(label, _amount(amount)) for label, amount in lines]

    return _render("cash", title, {"period": period, "movement": movement}, rows)


@bp.get("/reports/vat")
@requires("view", "reports")
def report_vat():
    title = _("VAT")
    period, failed = _period_or_error("vat", title)
    if failed:
        return failed
    result = reports.vat(g.business, period.start, period.end)

    def rows():
        return [_("Line"), _("Amount")], [
            (_("VAT collected in the period"), _amount(result.collected)),
            (_("VAT owed at the end of the period"), _amount(result.owed)),
        ]

    return _render("vat", title, {"period": period, "vat": result}, rows)


@bp.get("/reports/orders")
@requires("view", "reports")
def report_orders():
    title = _("Profit per order")
    period, failed = _period_or_error("orders", title)
    if failed:
        return failed
    least, most = reports.order_profits(g.business, period.start, period.end)

    def rows():
        headers = [
            _("List"),
            _("Order"),
            _("Customer"),
            _("Sale"),
            _("Cost of goods"),
            _("Payment fees"),
            _("Delivery paid"),
            _("Profit"),
        ]
        data = [
            (
                label,
                f"#{row.number}",
                row.customer or "",
                _amount(row.sale),
                _amount(row.cost),
                _amount(row.fees),
                _amount(row.delivery),
                _amount(row.profit),
            )
            for label, group in ((_("Least profitable"), least), (_("Most profitable"), most))
            for row in group
        ]
        return headers, data

    return _render("orders", title, {"period": period, "least": least, "most": most}, rows)
