"""The orders list: status tabs with counts, search, filters, sort and pages; moving the
ticked orders to a status; the CSV export of what the filters show.
"""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kyora.core.htmx import render_page_or_partial
from kyora.core.permissions import can, requires
from kyora.core.tenancy import id_or_none
from kyora.extensions import db
from kyora.orders import queries, services
from kyora.orders import status as st
from kyora.orders.models import CHANNELS, PAYMENT_STATUS_LABELS
from kyora.orders.totals import PAYMENT_DUE
from kyora.orders.web.blueprint import bp
from kyora.orders.web.csv_export import export_response


@bp.get("/")
@requires("view", "orders")
def index():
    """Status tabs with counts, search, filters, sort, pages; htmx gets just the table."""
    return render_page_or_partial(
        "orders/index.html",
        "orders/_table.html",
        "orders-table",
        **page_context(g.business, request.args),
    )


def page_context(business, args) -> dict:
    """What the list's templates show for the query string `args`."""
    filters = queries.OrderFilters.from_args(args)
    counts = queries.status_counts(business, filters)
    return {
        # The tab's count is the list's total: no second count of the orders.
        "results": queries.list_orders(business, filters, total=counts[filters.status]),
        "counts": counts,
        "filters": filters,
        "statuses": st.STATUSES,
        "labels": st.LABELS,
        "channels": CHANNELS,
        "payment_labels": {PAYMENT_DUE: _("Waiting for payment"), **PAYMENT_STATUS_LABELS},
    }


@bp.get("/export.csv")
@requires("export", "orders")
def export():
    filters = queries.OrderFilters.from_args(request.args)
    return export_response(g.business, filters, with_costs=can("view", "costs"))


@bp.post("/bulk")
@requires("status", "orders")
def bulk():
    """Move the ticked orders to one status; the ones that can't move are listed."""
    target = request.form.get("status", "")
    ids = [number for number in map(id_or_none, request.form.getlist("order_ids")) if number]
    back = url_for("orders.index", **queries.OrderFilters.from_args(request.form).args())
    if not ids or target not in st.STATUSES:
        flash(_("Tick some orders and choose a status."), "warning")
        return redirect(back, 303)
    result = services.bulk_change_status(g.business, current_user, ids, target)
    db.session.commit()
    if result.changed:
        flash(
            _(
                "%(count)d orders marked %(status)s.",
                count=len(result.changed),
                status=str(st.LABELS[target]).lower(),
            ),
            "success",
        )
    for number, reason in result.skipped:
        flash(_("#%(number)d: %(reason)s", number=number, reason=reason), "warning")
    return redirect(back, 303)
