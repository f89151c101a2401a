"""Expenses (list, filters, totals, CSV, add, edit, delete), categories and recurring
expenses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kyora.accounting import chart, expenses, recurring
from kyora.accounting.ledger import business_day
from kyora.accounting.models import Expense, RecurringExpense
from kyora.accounting.receipts import prepare_receipt, receipt_url
from kyora.accounting.web.blueprint import bp
from kyora.accounting.web.forms import CategoryForm, ExpenseForm, RecurringForm
from kyora.accounting.web.views_home import prepare_books
from kyora.core.csv import csv_response
from kyora.core.errors import DomainError, ValidationFailed, apply_to_form
from kyora.core.forms import options
from kyora.core.money import quantize
from kyora.core.pagination import PageNumbers, page_number
from kyora.core.permissions import requires
from kyora.core.tenancy import get_or_404, id_or_none
from kyora.extensions import db

PER_PAGE = 30


def _day_arg(name: str) -> date | None:
    try:
        return date.fromisoformat((request.args.get(name) or "").strip())
    except ValueError:
        return None


@dataclass
class ExpenseFilters:
    start: date | None
    end: date | None
    category_id: int | None
    page: int = 1

    @classmethod
    def from_args(cls, args):
        return cls(
            _day_arg("from"),
            _day_arg("to"),
            id_or_none(args.get("category")),
            page_number(args.get("page")),
        )

    def args(self, **changes) -> dict:
        values = {
            "from": self.start.isoformat() if self.start else None,
            "to": self.end.isoformat() if self.end else None,
            "category": self.category_id,
            "page": self.page if self.page > 1 else None,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value}


@dataclass
class ExpensePage(PageNumbers):
    rows: list
    total: int
    page: int
    per_page: int = PER_PAGE


def _category_choices(business, include_archived=False):
    return [
        (str(a.id), chart.account_name(a)) for a in chart.categories(business, include_archived)
    ]


@bp.get("/expenses")
@requires("view", "accounting")
def expenses_index():
    """Expenses with filters, totals by category and pages."""
    business = g.business
    prepare_books(business)
    filters = ExpenseFilters.from_args(request.args)
    if filters.start and filters.end and filters.end < filters.start:
        flash(_("The end date is before the start date, so all dates are shown."), "error")
        filters = ExpenseFilters(None, None, filters.category_id)
    query = expenses.list_expenses(
        business, start=filters.start, end=filters.end, category_id=filters.category_id
    )
    count = db.session.scalar(query.with_only_columns(db.func.count(Expense.id)).order_by(None))
    rows = list(db.session.scalars(query.limit(PER_PAGE).offset((filters.page - 1) * PER_PAGE)))
    totals = expenses.totals_by_category(business, filters.start, filters.end, filters.category_id)
    return render_template(
        "accounting/expenses.html",
        results=ExpensePage(rows, count, filters.page),
        totals=totals,
        grand_total=sum((t for _a, t in totals), 0),
        filters=filters,
        categories=_category_choices(business, include_archived=True),
        category_form=CategoryForm(formdata=None),
        account_name=chart.account_name,
    )


@bp.get("/expenses.csv")
@requires("view", "accounting")
def expenses_csv():
    """The filtered expenses as CSV (deleted ones marked)."""
    business = g.business
    filters = ExpenseFilters.from_args(request.args)
    query = expenses.list_expenses(
        business, start=filters.start, end=filters.end, category_id=filters.category_id
    )
    headers = [_("Date"), _("Category"), _("Amount"), _("Paid from"), _("Note"), _("Deleted")]
    rows = (
        [
            expense.spent_on.isoformat(),
            chart.account_name(expense.account),
            str(quantize(expense.amount, business.currency)),
            _("Bank") if expense.paid_from == "bank" else _("Cash"),
            expense.note or "",
            _("Yes") if expense.deleted_at else "",
        ]
        for expense in db.session.scalars(query.options(db.joinedload(Expense.account)))
    )
    return csv_response(f"expenses-{business.handle}.csv", headers, rows)


def _expense_form(form=None, expense=None):
    form = form or ExpenseForm(formdata=None, obj=expense)
    form.category_id.choices = options(_category_choices(g.business))
    if expense is not None and not form.is_submitted():
        form.category_id.data = str(expense.account_id)
        form.spent_on.data = expense.spent_on.isoformat()
        form.amount.data = str(quantize(expense.amount, g.business.currency))
    if not form.spent_on.data:
        form.spent_on.data = business_day(g.business).isoformat()
    return form


def _save(form, expense=None):
    """Check the whole form, receipt included, then save: nothing is written if any
    field is wrong, and every wrong field gets its message."""
    receipt_errors = {}
    try:
        receipt = prepare_receipt(request.files.get("receipt"))
    except ValidationFailed as error:
        receipt, receipt_errors = None, error.errors
    draft = expenses.ExpenseDraft(
        amount=form.amount.data,
        category_id=form.category_id.data,
        spent_on=form.spent_on.data,
        paid_from=form.paid_from.data or "cash",
        note=form.note.data or "",
        order_number=form.order_number.data,
        receipt=receipt,
        remove_receipt=bool(form.remove_receipt.data),
    )
    if receipt_errors:
        try:
            expenses.check_expense(g.business, draft)
        except ValidationFailed as error:
            raise ValidationFailed({**error.errors, **receipt_errors}) from None
        raise ValidationFailed(receipt_errors)
    if expense is None:
        return expenses.create_expense(g.business, current_user, draft)
    return expenses.update_expense(g.business, current_user, expense, draft)


@bp.route("/expenses/new", methods=["GET", "POST"])
@requires("edit", "accounting")
def new_expense():
    if request.method == "GET":
        return render_template("accounting/expense_form.html", form=_expense_form(), expense=None)
    form = _expense_form(ExpenseForm())
    if form.validate():
        try:
            _save(form)
        except DomainError as error:
            apply_to_form(form, error)
        else:
            db.session.commit()
            flash(_("Expense saved."), "success")
            return redirect(url_for("accounting.expenses_index"), 303)
    return render_template("accounting/expense_form.html", form=form, expense=None), 422


@bp.route("/expenses/<int:expense_id>/edit", methods=["GET", "POST"])
@requires("edit", "accounting")
def edit_expense(expense_id: int):
    expense = get_or_404(Expense, expense_id)
    if expense.deleted_at is not None:
        abort(404)
    order_number = None
    if expense.order_id:
        from kyora.orders.models import Order

        order_number = db.session.get(Order, expense.order_id).number
    if request.method == "GET":
        form = _expense_form(expense=expense)
        form.order_number.data = str(order_number or "")
        return render_template(
            "accounting/expense_form.html",
            form=form,
            expense=expense,
            receipt=receipt_url(expense.receipt_key),
            past=expense.spent_on.replace(day=1) < business_day(g.business).replace(day=1),
        )
    form = _expense_form(ExpenseForm(), expense)
    if form.validate():
        try:
            _save(form, expense)
        except DomainError as error:
            apply_to_form(form, error)
        else:
            db.session.commit()
            flash(_("Expense updated."), "success")
            return redirect(url_for("accounting.expenses_index"), 303)
    return (
        render_template(
            "accounting/expense_form.html",
            form=form,
            expense=expense,
            receipt=receipt_url(expense.receipt_key),
        ),
        422,
    )


@bp.post("/expenses/<int:expense_id>/delete")
@requires("edit", "accounting")
def delete_expense(expense_id: int):
    """Delete (a reversal in the books); a past month's figures change, and we say so."""
    expense = get_or_404(Expense, expense_id)
    past = expense.spent_on.replace(day=1) < business_day(g.business).replace(day=1)
    expenses.delete_expense(g.business, current_user, expense)
    db.session.commit()
    if past:
        flash(
            _(
                "Expense deleted. It was dated %(day)s, so the reports for that month changed.",
                day=expense.spent_on.isoformat(),
            ),
            "success",
        )
    else:
        flash(_("Expense deleted."), "success")
    return redirect(url_for("accounting.expenses_index"), 303)


@bp.post("/categories")
@requires("edit", "accounting")
def new_category():
    form = CategoryForm()
    if form.validate():
        try:
            expenses.create_category(g.business, current_user, form.name.data)
        except DomainError as error:
            flash(error.message, "error")
            db.session.rollback()
        else:
            db.session.commit()
            flash(_("Category added."), "success")
    return redirect(url_for("accounting.expenses_index"), 303)


# --- Recurring --------------------------------------------------------------------------


def _recurring_form(form=None):
    form = form or RecurringForm(formdata=None)
    form.category_id.choices = options(_category_choices(g.business))
    if not form.start_on.data:
        form.start_on.data = business_day(g.business).isoformat()
    return form


def _recurring_page(form, status=200):
    rows = list(
        db.session.scalars(
            db.select(RecurringExpense)
            .where(RecurringExpense.business_id == g.business.id)
            .order_by(RecurringExpense.id.desc())
        )
    )
    return (
        render_template(
            "accounting/recurring.html", form=form, rows=rows, account_name=chart.account_name
        ),
        status,
    )


@bp.get("/recurring")
@requires("view", "accounting")
def recurring_index():
    prepare_books(g.business)
    return _recurring_page(_recurring_form())


@bp.post("/recurring")
@requires("edit", "accounting")
def new_recurring():
    form = _recurring_form(RecurringForm())
    if form.validate():
        draft = recurring.RecurringDraft(
            amount=form.amount.data,
            category_id=form.category_id.data,
            paid_from=form.paid_from.data or "cash",
            note=form.note.data or "",
            frequency=form.frequency.data,
            start_on=form.start_on.data,
            end_on=form.end_on.data,
        )
        try:
            recurring.create_recurring(g.business, current_user, draft)
        except DomainError as error:
            apply_to_form(form, error)
        else:
            db.session.commit()
            flash(_("Recurring expense saved."), "success")
            return redirect(url_for("accounting.recurring_index"), 303)
    return _recurring_page(form, 422)


def _change_recurring(recurring_id: int, service, message: str):
    row = get_or_404(RecurringExpense, recurring_id)
    service(g.business, row)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("accounting.recurring_index"), 303)


@bp.post("/recurring/<int:recurring_id>/pause")
@requires("edit", "accounting")
def pause_recurring(recurring_id: int):
    return _change_recurring(recurring_id, recurring.pause_recurring, _("Paused."))


@bp.post("/recurring/<int:recurring_id>/resume")
@requires("edit", "accounting")
def resume_recurring(recurring_id: int):
    return _change_recurring(recurring_id, recurring.resume_recurring, _("Resumed."))


@bp.post("/recurring/<int:recurring_id>/end")
@requires("edit", "accounting")
def end_recurring(recurring_id: int):
    return _change_recurring(recurring_id, recurring.end_recurring, _("Ended."))
