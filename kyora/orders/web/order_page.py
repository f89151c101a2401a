"""One order's page and what can be done on it: move its status, record a payment or a
refund, add a note, delete it. htmx posts get the refreshed detail back.
"""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kyora.core.errors import DomainError, apply_to_form
from kyora.core.forms import options
from kyora.core.htmx import is_htmx, render_page_or_partial, trigger, wants_partial
from kyora.core.i18n import LANGUAGE_NAMES
from kyora.core.money import quantize
from kyora.core.permissions import requires
from kyora.core.tenancy import get_or_404
from kyora.extensions import db
from kyora.orders import queries, services
from kyora.orders import status as st
from kyora.orders.models import METHOD_LABELS, Order
from kyora.orders.web import whatsapp
from kyora.orders.web.blueprint import bp, locale
from kyora.orders.web.forms import NoteForm, PaymentForm, RefundForm


def _status_url(order) -> str:
    return url_for("order_status.show", token=order.public_token, _external=True)


def _whatsapp_links(order, items) -> list[tuple[str, str, str]]:
    """(language code, language name, wa.me link), the viewer's language first."""
    current = locale()
    codes = [current, *(code for code in LANGUAGE_NAMES if code != current)]
    links = []
    for code in codes:
        text = whatsapp.order_message(order, items, g.business, _status_url(order), code)
        links.append((code, LANGUAGE_NAMES.get(code, code), whatsapp.link(order, text)))
    return links


def _payment_form(order, formdata=None) -> PaymentForm:
    form = PaymentForm(formdata=formdata)
    form.method.choices = options((m.kind, m.label) for m in services.enabled_methods(g.business))
    if formdata is None and order.balance > 0:
        form.amount.data = quantize(order.balance, g.business.currency)
    return form


def _refund_form(formdata=None) -> RefundForm:
    form = RefundForm(formdata=formdata, prefix="refund")
    form.method.choices = options((m.kind, m.label) for m in services.payment_methods(g.business))
    return form


def _show(order: Order, status: int = 200, **overrides):
    """The order page (htmx aimed at `order-detail` gets the detail partial)."""
    context = queries.order_page(order)
    context.update(
        order=order,
        business=g.business,
        next_steps=st.next_steps(order.status),
        actions=st.ACTIONS,
        labels=st.LABELS,
        method_labels=METHOD_LABELS,
        editable=order.status in st.EDITABLE_STATUSES,
        deletable=order.status in st.DELETABLE_STATUSES,
        whatsapp_links=_whatsapp_links(order, context["items"]),
        status_url=_status_url(order),
        payment_form=_payment_form(order),
        refund_form=_refund_form(),
        note_form=NoteForm(formdata=None),
        needs_overpay_confirm=False,
    )
    context.update(overrides)
    return render_page_or_partial(
        "orders/show.html", "orders/_detail.html", "order-detail", status=status, **context
    )


@bp.get("/<int:order_id>")
@requires("view", "orders")
def show(order_id: int):
    return _show(get_or_404(Order, order_id))


def _done(order: Order, message: str):
    """After a change: the refreshed detail for htmx, else back to the order page."""
    if is_htmx() and wants_partial("order-detail"):
        db.session.expire_all()
        response = _show(db.session.get(Order, order.id))
        return trigger(response, "orders-changed")
    flash(message, "success")
    return redirect(url_for("orders.show", order_id=order.id), 303)


def _failed(order_id: int, error: DomainError, form_name: str | None = None, form=None, **extra):
    """Re-show the order page with the error (beside the field of `form`, if given)."""
    if form is not None:
        apply_to_form(form, error)
    else:
        db.session.rollback()
    order = db.session.get(Order, order_id)
    overrides = {form_name: form} if form_name else {}
    if form is None:
        overrides["page_error"] = error.message
    return _show(order, status=error.status_code, **overrides, **extra)


@bp.post("/<int:order_id>/status")
@requires("status", "orders")
def set_status(order_id: int):
    order = get_or_404(Order, order_id)
    target = request.form.get("status", "")
    try:
        services.change_status(
            g.business,
            current_user,
            order,
            target,
            resellable=request.form.get("resellable") == "1",
        )
    except DomainError as error:
        return _failed(order_id, error)
    db.session.commit()
    return _done(
        order,
        _(
            "Order #%(number)d is now %(status)s.",
            number=order.number,
            status=order.status_label.lower(),
        ),
    )


@bp.post("/<int:order_id>/payments")
@requires("create", "payments")
def pay(order_id: int):
    order = get_or_404(Order, order_id)
    form = _payment_form(order, request.form)
    if not form.validate():
        return _show(order, status=422, payment_form=form)
    try:
        services.record_payment(
            g.business,
            current_user,
            order,
            amount=form.amount.data,
            method=form.method.data,
            reference=form.reference.data,
            received_on=form.received_on.data,
            allow_overpay=bool(form.confirm_overpay.data),
        )
    except DomainError as error:
        overpay = isinstance(error, services.Overpayment)
        return _failed(order_id, error, "payment_form", form, needs_overpay_confirm=overpay)
    db.session.commit()
    return _done(order, _("Payment recorded."))


@bp.post("/<int:order_id>/refunds")
@requires("refund", "payments")
def refund(order_id: int):
    order = get_or_404(Order, order_id)
    form = _refund_form(request.form)
    if not form.validate():
        return _show(order, status=422, refund_form=form, refund_open=True)
    try:
        services.refund_payment(
            g.business,
            current_user,
            order,
            amount=form.amount.data,
            method=form.method.data or None,
            reference=form.reference.data,
        )
    except DomainError as error:
        return _failed(order_id, error, "refund_form", form, refund_open=True)
    db.session.commit()
    return _done(order, _("Refund recorded."))


@bp.post("/<int:order_id>/notes")
@requires("edit", "orders")
def note(order_id: int):
    order = get_or_404(Order, order_id)
    form = NoteForm(request.form)
    try:
        services.add_note(g.business, current_user, order, form.body.data)
    except DomainError as error:
        return _failed(order_id, error, "note_form", form)
    db.session.commit()
    return _done(order, _("Note added."))


@bp.post("/<int:order_id>/delete")
@requires("delete", "orders")
def delete(order_id: int):
    order = get_or_404(Order, order_id)
    number = order.number
    try:
        services.delete_order(g.business, current_user, order)
    except DomainError as error:
        return _failed(order_id, error)
    db.session.commit()
    flash(_("Order #%(number)d deleted.", number=number), "success")
    return redirect(url_for("orders.index"), 303)
