"""Stock actions on one variant (restock, adjust, its low-stock threshold) and the
business-wide low-stock alert level."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from kyora.core.errors import DomainError, ValidationFailed, apply_to_form
from kyora.core.permissions import requires
from kyora.core.tenancy import get_or_404
from kyora.extensions import db
from kyora.inventory import services
from kyora.inventory.models import Variant
from kyora.inventory.parsing import parse_count, parse_money
from kyora.inventory.web.blueprint import bp
from kyora.inventory.web.forms import AdjustForm, RestockForm, ThresholdForm


def _page(variant: Variant, status: int = 200, **forms):
    threshold = ThresholdForm(
        formdata=None,
        data={
            "threshold": ""
            if variant.low_stock_threshold is None
            else str(variant.low_stock_threshold)
        },
    )
    context = {
        "restock_form": RestockForm(formdata=None),
        "adjust_form": AdjustForm(formdata=None),
        "threshold_form": threshold,
        **forms,
    }
    return (
        render_template("inventory/variant_stock.html", variant=variant, **context),
        status,
    )


def _done(variant: Variant, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("inventory.show", product_id=variant.product_id) + "#variants", 303)


@bp.route("/alerts", methods=["GET", "POST"])
@requires("edit", "settings")
def alerts():
    """The business-wide low-stock alert level."""
    business = g.business
    form = ThresholdForm(data={"threshold": str(business.low_stock_threshold)})
    if request.method == "POST":
        errors: dict[str, str] = {}
        value = parse_count(form.threshold.data, "threshold", errors)
        try:
            if errors:
                raise ValidationFailed(errors)
            services.set_default_threshold(business, current_user, value)
        except DomainError as error:
            apply_to_form(form, error)
            return render_template("inventory/alerts.html", form=form), 422
        db.session.commit()
        flash(_("Low-stock alerts now start at %(count)d.", count=value), "success")
        return redirect(url_for("inventory.index"), 303)
    return render_template("inventory/alerts.html", form=form)


@bp.get("/variants/<int:variant_id>/stock")
@requires("adjust", "stock")
def variant_stock(variant_id: int):
    """The stock page of one variant: restock, adjust, alert threshold."""
    return _page(get_or_404(Variant, variant_id))


@bp.post("/variants/<int:variant_id>/restock")
@requires("adjust", "stock")
def restock(variant_id: int):
    variant = get_or_404(Variant, variant_id)
    form = RestockForm()
    errors: dict[str, str] = {}
    quantity = parse_count(form.quantity.data, "quantity", errors)
    unit_cost = parse_money(form.unit_cost.data, g.business.currency, "unit_cost", errors, 4)
    paid = form.paid.data != "no"
    try:
        if quantity is None and "quantity" not in errors:
            errors["quantity"] = _("Enter how many came in.")
        if paid and unit_cost is None and "unit_cost" not in errors:
            errors["unit_cost"] = _("Enter what you paid for each one.")
        if errors:
            raise ValidationFailed(errors)
        services.restock(
            g.business, current_user, variant.id, quantity, unit_cost, paid, form.note.data
        )
    except DomainError as error:
        apply_to_form(form, error)
        return _page(get_or_404(Variant, variant_id), 422, restock_form=form)
    message = ngettext(
        "Added %(num)d to %(name)s.", "Added %(num)d to %(name)s.", quantity, name=variant.title
    )
    return _done(variant, message)


@bp.post("/variants/<int:variant_id>/adjust")
@requires("adjust", "stock")
def adjust(variant_id: int):
    variant = get_or_404(Variant, variant_id)
    form = AdjustForm()
    errors: dict[str, str] = {}
    reason = form.reason.data
    counted = parse_count(form.counted.data, "counted", errors) if reason == "correction" else None
    quantity = (
        parse_count(form.quantity.data, "quantity", errors) if reason != "correction" else None
    )
    try:
        if errors:
            raise ValidationFailed(errors)
        movement = services.adjust_stock(
            g.business,
            current_user,
            variant.id,
            reason,
            counted=counted,
            quantity=quantity,
            note=form.note.data,
        )
    except DomainError as error:
        apply_to_form(form, error)
        return _page(get_or_404(Variant, variant_id), 422, adjust_form=form)
    return _done(
        variant,
        _("%(name)s now has %(count)d in stock.", name=variant.title, count=movement.stock_after),
    )


@bp.post("/variants/<int:variant_id>/threshold")
@requires("adjust", "stock")
def threshold(variant_id: int):
    variant = get_or_404(Variant, variant_id)
    form = ThresholdForm()
    errors: dict[str, str] = {}
    value = parse_count(form.threshold.data, "threshold", errors)
    try:
        if errors:
            raise ValidationFailed(errors)
        services.set_threshold(g.business, current_user, variant.id, value)
    except DomainError as error:
        apply_to_form(form, error)
        return _page(get_or_404(Variant, variant_id), 422, threshold_form=form)
    if value is None:
        message = _(
            "%(name)s follows your default alert (%(count)d).",
            name=variant.title,
            count=g.business.low_stock_threshold,
        )
    else:
        message = _(
            "You'll be told when %(name)s is at %(count)d or less.", name=variant.title, count=value
        )
    return _done(variant, message)
