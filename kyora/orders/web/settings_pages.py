"""The order settings pages: delivery zones, payment methods and the default channel."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kyora.core import i18n
from kyora.core.errors import DomainError, ValidationFailed, apply_to_form
from kyora.core.forms import options
from kyora.core.money import rate_to_percent
from kyora.core.permissions import requires
from kyora.core.tenancy import get_or_404
from kyora.extensions import db
from kyora.orders import services
from kyora.orders.models import METHOD_KEYS, ShippingZone
from kyora.orders.web.blueprint import locale
from kyora.orders.web.blueprint import settings_bp as bp
from kyora.orders.web.forms import OrderDefaultsForm, PaymentMethodsForm, ZoneForm


def _zone_form(formdata=None, zone=None) -> ZoneForm:
    form = ZoneForm(formdata=formdata, obj=None)
    form.countries.choices = options(i18n.country_choices(locale()))
    if formdata is None:
        if zone is not None:
            form.name.data = zone.name
            form.countries.data = zone.country_list
            form.cities.data = zone.cities
            form.cost.data = zone.cost
            form.free_threshold.data = zone.free_threshold
        else:
            form.countries.data = [g.business.country]
    return form


def _zone_draft(form) -> services.ZoneDraft:
    return services.ZoneDraft(
        name=form.name.data or "",
        countries=form.countries.data or [],
        cities=form.cities.data or "",
        cost=form.cost.data,
        free_threshold=form.free_threshold.data,
    )


def _zones_page(form, status: int = 200):
    return (
        render_template(
            "orders/settings_shipping.html",
            zones=services.list_zones(g.business),
            form=form,
            business=g.business,
        ),
        status,
    )


@bp.get("/shipping")
@requires("view", "settings")
def shipping():
    """The delivery zones, and a form to add one."""
    return _zones_page(_zone_form())


@bp.post("/shipping")
@requires("edit", "settings")
def create_zone():
    return _save_zone(None)


def _save_zone(zone):
    form = _zone_form(request.form, zone)
    if not form.validate():
        return _zone_failed(form, zone)
    try:
        services.save_zone(g.business, zone, _zone_draft(form))
    except DomainError as error:
        apply_to_form(form, error)
        return _zone_failed(form, zone)
    db.session.commit()
    flash(_("Delivery zone saved."), "success")
    return redirect(url_for("order_settings.shipping"), 303)


def _zone_failed(form, zone):
    if zone is None:
        return _zones_page(form, 422)
    return render_template(
        "orders/settings_zone.html", form=form, zone=zone, business=g.business
    ), 422


@bp.get("/shipping/<int:zone_id>")
@requires("view", "settings")
def zone(zone_id: int):
    found = get_or_404(ShippingZone, zone_id)
    return render_template(
        "orders/settings_zone.html", form=_zone_form(zone=found), zone=found, business=g.business
    )


@bp.post("/shipping/<int:zone_id>")
@requires("edit", "settings")
def update_zone(zone_id: int):
    return _save_zone(get_or_404(ShippingZone, zone_id))


@bp.post("/shipping/<int:zone_id>/delete")
@requires("edit", "settings")
def delete_zone(zone_id: int):
    found = get_or_404(ShippingZone, zone_id)
    services.delete_zone(g.business, found)
    db.session.commit()
    flash(_("Delivery zone removed."), "success")
    return redirect(url_for("order_settings.shipping"), 303)


def _methods_form(formdata=None) -> PaymentMethodsForm:
    form = PaymentMethodsForm(formdata=formdata)
    if formdata is None:
        for config in services.payment_methods(g.business):
            row = form[config.kind].form
            row.enabled.data = config.enabled
            row.fee_percent.data = rate_to_percent(config.fee_rate)
            row.fee_fixed.data = config.fee_fixed.normalize() if config.fee_fixed else None
    return form


def _payments_page(form, defaults, status: int = 200):
    methods = [(config, form[config.kind].form) for config in services.payment_methods(g.business)]
    return (
        render_template(
            "orders/settings_payments.html",
            form=form,
            defaults=defaults,
            methods=methods,
            business=g.business,
        ),
        status,
    )


def _defaults_form(formdata=None) -> OrderDefaultsForm:
    form = OrderDefaultsForm(formdata=formdata)
    if formdata is None:
        form.default_channel.data = services.get_settings(g.business).default_channel
    return form


@bp.get("/payments")
@requires("view", "settings")
def payments():
    """Payment methods (on/off, fees) and the channel new orders start with."""
    return _payments_page(_methods_form(), _defaults_form())


@bp.post("/payments")
@requires("edit", "settings")
def save_payments():
    form = _methods_form(request.form)
    if not form.validate():
        return _payments_page(form, _defaults_form(), 422)
    methods = {
        kind: services.MethodDraft(
            enabled=bool(form[kind].form.enabled.data),
            fee_percent=form[kind].form.fee_percent.data,
            fee_fixed=form[kind].form.fee_fixed.data,
        )
        for kind in METHOD_KEYS
    }
    try:
        services.update_payment_methods(g.business, methods)
    except ValidationFailed as error:
        db.session.rollback()
        # Keys name a method's row and field (`card-fee_percent`).
        for key, message in error.errors.items():
            kind, _sep, name = key.partition("-")
            getattr(form[kind].form, name).errors = [message]
        return _payments_page(form, _defaults_form(), 422)
    db.session.commit()
    flash(_("Payment methods saved."), "success")
    return redirect(url_for("order_settings.payments"), 303)


@bp.post("/defaults")
@requires("edit", "settings")
def save_defaults():
    form = _defaults_form(request.form)
    try:
        services.set_default_channel(g.business, form.default_channel.data)
    except DomainError as error:
        apply_to_form(form, error)
        return _payments_page(_methods_form(), form, 422)
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("order_settings.payments"), 303)
