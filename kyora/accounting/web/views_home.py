"""The money home, the owner's money forms and the starting point."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kyora.accounting import figures, owner, queries
from kyora.accounting.chart import account_name
from kyora.accounting.ledger import accounts_by_id, business_day
from kyora.accounting.recurring import catch_up
from kyora.accounting.web.blueprint import bp
from kyora.accounting.web.forms import OwnerForm, StartForm
from kyora.accounting.web.words import describe
from kyora.core.errors import DomainError, apply_to_form
from kyora.core.money import format_money
from kyora.core.permissions import requires
from kyora.extensions import db


def money_formatter():
    from flask_babel import get_locale

    locale = str(get_locale() or "en")
    return lambda amount: format_money(amount, g.business.currency, locale)


def prepare_books(business) -> None:
    """Book any recurring expense that came due, so figures include it."""
    if catch_up(business):
        db.session.commit()


@bp.get("/")
@requires("view", "accounting")
def index():
    """Cash in hand, what customers owe, safe to take out, this month's profit, activity."""
    business = g.business
    prepare_books(business)
    today = business_day(business)
    home = figures.home(business, today)
    accounts = accounts_by_id(business)
    money = money_formatter()
    activity = [
        (entry, describe(entry, accounts, money)) for entry in queries.recent_entries(business)
    ]
    return render_template(
        "accounting/index.html",
        home=home,
        activity=activity,
        today=today,
        account_name=account_name,
    )


# --- Owner money ----------------------------------------------------------------------

OWNER_ACTIONS = {
    "in": (owner.put_money_in, "accounting.put_in"),
    "out": (owner.take_money_out, "accounting.take_out"),
    "equipment": (owner.buy_equipment, "accounting.equipment"),
}


def _owner_form(action: str, form=None):
    form = form or OwnerForm(formdata=None)
    if not form.day.data:
        form.day.data = business_day(g.business).isoformat()
    return form


def _owner_page(action: str, form, status: int = 200, above_safe: bool = False):
    home = figures.home(g.business, business_day(g.business))
    return (
        render_template(
            "accounting/owner.html",
            action=action,
            form=form,
            home=home,
            above_safe=above_safe,
            endpoint=OWNER_ACTIONS[action][1],
        ),
        status,
    )


def _owner_post(action: str):
    form = OwnerForm()
    service = OWNER_ACTIONS[action][0]
    draft = owner.OwnerDraft(
        amount=form.amount.data,
        day=form.day.data,
        account=form.account.data or "cash",
        note=form.note.data or "",
        confirmed=bool(form.confirmed.data),
    )
    if not form.validate():
        return _owner_page(action, _owner_form(action, form), 422)
    try:
        service(g.business, current_user, draft)
    except DomainError as error:
        apply_to_form(form, error)
        return _owner_page(action, form, 422, above_safe=isinstance(error, owner.AboveSafe))
    db.session.commit()
    flash(
        {
            "in": _("Saved: money put in."),
            "out": _("Saved: money taken out."),
            "equipment": _("Saved: equipment bought."),
        }[action],
        "success",
    )
    return redirect(url_for("accounting.index"), 303)


@bp.get("/put-in")
@requires("edit", "accounting")
def put_in_form():
    return _owner_page("in", _owner_form("in"))


@bp.post("/put-in")
@requires("edit", "accounting")
def put_in():
    return _owner_post("in")


@bp.get("/take-out")
@requires("edit", "accounting")
def take_out_form():
    return _owner_page("out", _owner_form("out"))


@bp.post("/take-out")
@requires("edit", "accounting")
def take_out():
    return _owner_post("out")


@bp.get("/equipment")
@requires("edit", "accounting")
def equipment_form():
    return _owner_page("equipment", _owner_form("equipment"))


@bp.post("/equipment")
@requires("edit", "accounting")
def equipment():
    return _owner_post("equipment")


# --- Starting point -------------------------------------------------------------------


@bp.route("/starting-point", methods=["GET", "POST"])
@requires("edit", "accounting")
def starting_point():
    """What the business has today, entered once (entering it again replaces it)."""
    current = owner.current_opening(g.business)
    if request.method == "GET":
        form = StartForm(formdata=None, obj=owner.opening_figures(g.business, current))
        return render_template("accounting/starting_point.html", form=form, current=current)
    form = StartForm()
    if form.validate():
        point = owner.StartingPoint(
            form.cash.data, form.bank.data, form.owed_to_you.data, form.you_owe.data
        )
        try:
            owner.set_starting_point(g.business, current_user, point)
        except DomainError as error:
            apply_to_form(form, error)
        else:
            db.session.commit()
            flash(_("Your starting point is saved."), "success")
            return redirect(url_for("accounting.index"), 303)
    return render_template("accounting/starting_point.html", form=form, current=current), 422
