"""The cart (add, change, remove: plain forms, no JavaScript needed) and the checkout.

The cart lives in a signed cookie (`cart.py`); every page that shows it trims it to
what is still in stock first, so a shopper never checks out something sold out
without being told. The checkout is rate limited per address and carries a
honeypot field and an idempotency key.
"""

from __future__ import annotations

import secrets

from flask import abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kyora.core import i18n
from kyora.core.errors import DomainError, apply_to_form
from kyora.core.permissions import public
from kyora.core.tenancy import id_or_none
from kyora.extensions import db, limiter
from kyora.orders.queries import order_items
from kyora.orders.services import list_zones
from kyora.storefront import catalog
from kyora.storefront.cart import MAX_LINES, MAX_QUANTITY, parse_quantity
from kyora.storefront.checkout import (
    CheckoutDetails,
    ItemsUnavailable,
    place_order,
    summarize,
)
from kyora.storefront.notify import notify_seller
from kyora.storefront.web.blueprint import bp, current_cart, save_cart
from kyora.storefront.web.forms import CheckoutForm
from kyora.storefront.web.page import page_context

# Placing orders costs stock and the seller's attention: a person places a few, a bot
# many. Counted per address.
CHECKOUT_LIMIT = "10 per minute;40 per hour"
UPDATED = _l("Some items sold out while you were shopping. We updated your cart.")


@bp.get("/cart")
@public
def cart():
    """The cart with its lines priced by the catalog, and the way to the checkout."""
    basket = current_cart()
    summary = summarize(g.business, g.shop_settings, basket)
    if summary.changed:
        flash(str(UPDATED), "warning")
    response = render_template(
        "storefront/cart.html",
        summary=summary,
        max_quantity=MAX_QUANTITY,
        **page_context(basket, "storefront.cart"),
    )
    return save_cart(make_response(response), basket) if summary.changed else response


@bp.post("/cart/add")
@public
def add():
    """Put units of a variant in the cart (no more than are left), back to the product."""
    variant_id = id_or_none(request.form.get("variant_id"))
    variants = catalog.cart_variants(
        g.business, g.shop_settings, [variant_id] if variant_id else []
    )
    variant = variants.get(variant_id)
    if variant is None:
        abort(404)
    quantity = parse_quantity(request.form.get("quantity"))
    basket = current_cart()
    in_cart = basket.lines.get(variant.id, 0)
    if quantity is None or quantity < 1:
        flash(_("Choose how many you want."), "error")
    elif variant.id not in basket.lines and len(basket.lines) >= MAX_LINES:
        flash(_("Your cart is full. Check out or remove something first."), "error")
    elif variant.stock <= in_cart:
        flash(_("Sorry, %(name)s is sold out.", name=variant.title), "error")
    else:
        basket.add(variant.id, min(quantity, variant.stock - in_cart))
        flash(_("Added to your cart: %(name)s", name=variant.title), "success")
    target = url_for("storefront.product", product_id=variant.product_id, variant=variant.id)
    return save_cart(redirect(target, 303), basket)


@bp.post("/cart/update")
@public
def update():
    """Change the quantities of the cart's lines, or remove one."""
    basket = current_cart()
    removed = id_or_none(request.form.get("remove"))
    if removed is not None:
        basket.set(removed, 0)
    for variant_id in list(basket.lines):
        quantity = parse_quantity(request.form.get(f"qty-{variant_id}"), default=-1)
        if quantity is not None and quantity >= 0:
            basket.set(variant_id, quantity)
    return save_cart(redirect(url_for("storefront.cart"), 303), basket)


def _form_choices(form: CheckoutForm, zones) -> None:
    locale = str(get_locale() or "en")
    form.phone_country.choices = sorted(
        (
            (code, f"{i18n.country_name(code, locale)} +{i18n.dialling_code(code)}")
            for code in i18n.country_codes()
        ),
        key=lambda choice: choice[1],
    )
    form.zone_id.choices = [(zone.id, zone.name) for zone in zones]


def _render_checkout(form: CheckoutForm, zones, status: int = 200):
    basket = current_cart()
    summary = summarize(g.business, g.shop_settings, basket, form.zone_id.data)
    body = render_template(
        "storefront/checkout.html",
        form=form,
        zones=zones,
        summary=summary,
        **page_context(basket, "storefront.checkout"),
    )
    return save_cart(make_response(body), basket), status


@bp.get("/checkout")
@public
def checkout():
    """The checkout form: who, where, delivery zone, note; the cart's totals beside it."""
    if not current_cart().lines:
        return redirect(url_for("storefront.cart"), 303)
    zones = list_zones(g.business)
    form = CheckoutForm(
        phone_country=g.business.country,
        zone_id=zones[0].id if len(zones) == 1 else None,
        key=secrets.token_urlsafe(24),
    )
    _form_choices(form, zones)
    return _render_checkout(form, zones)


@bp.post("/checkout")
@public
@limiter.limit(CHECKOUT_LIMIT)
def place():
    """Place the order; then the WhatsApp hand-off page."""
    zones = list_zones(g.business)
    form = CheckoutForm()
    _form_choices(form, zones)
    if form.website.data:
        form.form_errors.append(_("We could not take this order. Please try again."))
        return _render_checkout(form, zones, 422)
    basket = current_cart()
    details = CheckoutDetails(
        name=form.name.data or "",
        phone_country=form.phone_country.data or "",
        phone=form.phone.data or "",
        address=form.address.data or "",
        city=form.city.data or "",
        zone_id=form.zone_id.data,
        note=form.note.data or "",
        key=form.key.data or "",
    )
    try:
        saved = place_order(g.business, g.shop_settings, basket, details)
        if saved.created:
            notify_seller(g.business, saved.order, order_items(saved.order))
        token = saved.order.public_token
        db.session.commit()
    except ItemsUnavailable as error:
        db.session.rollback()
        basket.keep_only(error.available)
        form.form_errors.append(error.message)
        return _render_checkout(form, zones, 422)
    except DomainError as error:
        # A field the shopper can fix, a plan limit, or a conflicting retry.
        apply_to_form(form, error)
        return _render_checkout(form, zones, 422)
    basket.lines.clear()
    return save_cart(redirect(url_for("storefront.placed", token=token), 303), basket)
