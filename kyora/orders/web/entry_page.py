"""Quick order entry and order edits: one form, totals from the server, paste a message.

The form is one partial (`orders/_entry_form.html`, id `order-form`). Every tap that
changes its shape posts the whole form with an `action` and gets the form back, so
it works the same with htmx (swapped in place) and without JavaScript (a full page).
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kyora.core.errors import Conflict, DomainError, apply_to_form
from kyora.core.forms import options
from kyora.core.htmx import hx_redirect, is_htmx, render_page_or_partial, trigger
from kyora.core.money import format_money
from kyora.core.permissions import requires
from kyora.core.tenancy import get_or_404, id_or_none
from kyora.customers import services as customers
from kyora.extensions import db
from kyora.inventory import services as inventory
from kyora.orders import parsing, services
from kyora.orders import status as st
from kyora.orders.models import Order
from kyora.orders.queries import order_items
from kyora.orders.stock import held_units
from kyora.orders.web import entry_form
from kyora.orders.web.blueprint import bp, locale
from kyora.orders.web.forms import DELIVERY_MANUAL, DELIVERY_NONE, OrderForm

SUGGESTIONS = 6


def _zone_label(zone, currency: str) -> str:
    fee = format_money(zone.cost, currency, locale())
    if zone.free_threshold is not None:
        return _(
            "%(zone)s · %(fee)s (free from %(threshold)s)",
            zone=zone.name,
            fee=fee,
            threshold=format_money(zone.free_threshold, currency, locale()),
        )
    return f"{zone.name} · {fee}"


def _set_choices(form, customer) -> None:
    """The form's choices (zones, methods, the customer's addresses), needed to render it."""
    business = g.business
    zones = services.list_zones(business)
    form.delivery.choices = options(
        [
            (DELIVERY_NONE, _("No delivery (pickup)")),
            *((f"zone-{zone.id}", _zone_label(zone, business.currency)) for zone in zones),
            (DELIVERY_MANUAL, _("Other delivery fee")),
        ]
    )
    form.payment_method.choices = options(
        (method.kind, method.label) for method in services.enabled_methods(business)
    )
    addresses = list(customer.addresses) if customer is not None else []
    form.address_id.choices = options(
        [("", _("A new address")), *((str(a.id), a.one_line) for a in addresses)]
    )


def _prepare(data, action: str = "", order: Order | None = None):
    """Apply `action` to the posted values; return (form, context) for rendering."""
    business = g.business
    state = entry_form.EntryState(action=action)
    if action == "parse":
        text = (data.get("message") or "").strip()
        if text:
            index = parsing.build_index(
                parsing.CatalogEntry(
                    e["variant_id"], e["product_name"], tuple(e["option_values"]), e["sku"]
                )
                for e in inventory.catalog_entries(business)
            )
            entry_form.apply_parsed(
                data, parsing.parse_message(text, index, business.country), state, text
            )
            entry_form.fill_city(data, services.list_zones(business), text)
        else:
            entry_form.write_lines(data, entry_form.read_lines(data))
    elif action:
        entry_form.apply_action(data, action, state)
    else:
        entry_form.write_lines(data, entry_form.read_lines(data))
    lines = entry_form.read_lines(data)
    variant_ids = [line.get("variant_id") for line in lines]
    for ids in state.candidates.values():
        variant_ids.extend(ids)
    variants = services.load_variants(business, [i for i in map(id_or_none, variant_ids) if i])
    entry_form.prefill_prices(data, variants)
    customer_id = id_or_none(data.get("customer_id"))
    customer = customers.get_customer(business, customer_id) if customer_id else None
    if customer is None:
        data["customer_id"] = ""
    form = OrderForm(formdata=data)
    return form, {
        "state": state,
        "variants": variants,
        "customer": customer,
        "order": order,
    }


def _suggestions(form, state, variants: dict) -> dict[int, list]:
    """Products to pick for each line that has typed text but no product yet: the
    message parser's candidates (already loaded), else a catalog search."""
    found: dict[int, list] = {}
    for index, item in enumerate(form.items):
        sub = item.form
        if sub.variant_id.data is not None:
            continue
        text = (sub.query.data or "").strip()
        if state.candidates.get(index):
            ids = state.candidates[index][:SUGGESTIONS]
            found[index] = [variants[i] for i in ids if i in variants]
        elif text:
            found[index] = inventory.search_variants(g.business, text, limit=SUGGESTIONS)
    return found


def _priced(form, order: Order | None):
    """Lines and totals of the form as it is (an edited order keeps its stock and VAT rate)."""
    if order is None:
        return services.price_draft(g.business, entry_form.draft_from_form(form))
    return services.price_draft(
        g.business,
        entry_form.draft_from_form(form),
        held=held_units(order_items(order)),
        vat_rate=order.vat_rate,
        vat_included=order.vat_included,
    )


def _render(form, context, *, status: int = 200, page: str = "orders/new.html"):
    _set_choices(form, context.get("customer"))
    customer_matches = []
    if context.get("customer") is None and (form.customer_query.data or "").strip():
        customer_matches = customers.search_customers(g.business, form.customer_query.data, limit=6)
    return render_page_or_partial(
        page,
        "orders/_entry_form.html",
        "order-form",
        status=status,
        form=form,
        priced=_priced(form, context.get("order")),
        suggestions=_suggestions(form, context["state"], context["variants"]),
        customer_matches=customer_matches,
        business=g.business,
        error_links=entry_form.error_links(form) if status >= 400 else [],
        more_fields=entry_form.MORE_FIELDS,
        **context,
    )


# The services' field names that the form calls something else. An item line's product
# problem (`items-0-variant_id`) shows beside that line's product box.
ERROR_ALIASES = {
    "shipping_zone_id": "delivery",
    "customer_email": "customer_handle",
    "line": "address_line",
    "city": "address_city",
    "items": None,
    "variant_id": "query",
}


def _saved_response(target: str, message: str):
    flash(message, "success")
    if is_htmx():
        return trigger(hx_redirect(target), "orders-changed")
    return redirect(target, 303)


@bp.route("/new", methods=["GET", "POST"])
@requires("create", "orders")
def new():
    """The quick entry: GET a fresh form; POST a tap (`action`) or the save."""
    business = g.business
    if request.method == "GET":
        zones = services.list_zones(business)
        zone = services.match_zone(zones, None, business.country)
        methods = services.enabled_methods(business)
        data = entry_form.initial_data(
            services.default_channel(business, current_user),
            f"zone-{zone.id}" if zone else DELIVERY_NONE,
            methods[0].kind if methods else "",
        )
        # "New order for them" on a customer's page.
        data["customer_id"] = request.args.get("customer", "")
        form, context = _prepare(data)
        return _render(form, context)
    data = request.form.copy()
    action = data.pop("action", "") or ""
    if action != "save":
        form, context = _prepare(data, action)
        return _render(form, context)
    form, context = _prepare(data)
    if not form.validate():
        return _render(form, context, status=422)
    try:
        saved = services.create_order(business, current_user, entry_form.draft_from_form(form))
    except DomainError as error:
        apply_to_form(form, error, aliases=ERROR_ALIASES)
        if isinstance(error, Conflict):
            # That key belongs to an earlier order: show it, and let a deliberate
            # second tap save this form as a new order.
            context["conflict_order"] = db.session.scalar(
                sa.select(Order).where(
                    Order.business_id == business.id,
                    Order.idempotency_key == form.idempotency_key.data,
                )
            )
            form.idempotency_key.data = uuid.uuid4().hex
        return _render(form, context, status=error.status_code)
    # Read before the commit expires them (no second round trip for a redirect).
    target, number = url_for("orders.show", order_id=saved.order.id), saved.order.number
    db.session.commit()
    if saved.created:
        return _saved_response(target, _("Order #%(number)d saved.", number=number))
    return _saved_response(target, _("Order #%(number)d was already saved.", number=number))


@bp.post("/new/totals")
@requires("create", "orders")
def new_totals():
    """The totals box for the form as it is now (htmx, as fields change)."""
    form, _context = _prepare(request.form.copy())
    return _totals(form, None)


def _totals(form, order):
    return render_template(
        "orders/_entry_totals.html", priced=_priced(form, order), business=g.business, form=form
    )


@bp.route("/<int:order_id>/edit", methods=["GET", "POST"])
@requires("edit", "orders")
def edit(order_id: int):
    """Change an order's items, prices, discount, delivery, customer or note."""
    order = get_or_404(Order, order_id)
    if order.status not in st.EDITABLE_STATUSES:
        flash(
            _(
                "This order is %(status)s, so it can no longer be changed.",
                status=order.status_label.lower(),
            ),
            "warning",
        )
        return redirect(url_for("orders.show", order_id=order.id), 303)
    if request.method == "GET":
        data = entry_form.data_from_draft(
            services.draft_from_order(order, order_items(order)), order.version
        )
        form, context = _prepare(data, order=order)
        return _render(form, context, page="orders/edit.html")
    data = request.form.copy()
    action = data.pop("action", "") or ""
    form, context = _prepare(data, "" if action == "save" else action, order=order)
    if action != "save":
        return _render(form, context, page="orders/edit.html")
    if not form.validate():
        return _render(form, context, status=422, page="orders/edit.html")
    try:
        services.update_order(
            g.business,
            current_user,
            order,
            entry_form.draft_from_form(form),
            version=form.version.data,
        )
    except DomainError as error:
        apply_to_form(form, error, aliases=ERROR_ALIASES)
        return _render(form, context, status=error.status_code, page="orders/edit.html")
    target, number = url_for("orders.show", order_id=order_id), order.number
    db.session.commit()
    return _saved_response(target, _("Order #%(number)d updated.", number=number))


@bp.post("/<int:order_id>/edit/totals")
@requires("edit", "orders")
def edit_totals(order_id: int):
    order = get_or_404(Order, order_id)
    form, _context = _prepare(request.form.copy(), order=order)
    return _totals(form, order)


@bp.get("/customers")
@requires("create", "orders")
def customer_search():
    """Type-ahead: customers matching the text, as buttons that pick one."""
    text = request.args.get("customer_query", "")
    matches = customers.search_customers(g.business, text, limit=6) if text.strip() else []
    return render_template(
        "orders/_customer_suggestions.html", customer_matches=matches, query=text
    )


@bp.get("/variants")
@requires("create", "orders")
def variant_search():
    """Type-ahead: products matching a line's text (stock shown), as buttons that pick one."""
    index = request.args.get("line", type=int) or 0
    text = request.args.get(f"items-{index}-query", "") or request.args.get("q", "")
    found = inventory.search_variants(g.business, text, limit=SUGGESTIONS) if text.strip() else []
    return render_template(
        "orders/_variant_suggestions.html",
        index=index,
        suggestions=found,
        query=text,
        business=g.business,
    )
