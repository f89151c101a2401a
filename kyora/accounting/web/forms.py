"""Forms of the money pages: shapes only; amounts and dates are checked by the services
(so the same rules hold for the demo data and the tests)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import Length

from kyora.core.forms import options

PAID_FROM_CHOICES = options([("cash", _l("Cash")), ("bank", _l("Bank"))])
FREQUENCY_CHOICES = options(
    [
        ("daily", _l("Every day")),
        ("weekly", _l("Every week")),
        ("monthly", _l("Every month")),
        ("yearly", _l("Every year")),
    ]
)
AMOUNT = {"inputmode": "decimal", "autocomplete": "off"}


class ExpenseForm(FlaskForm):
    amount = StringField(_l("Amount"), validators=[Length(max=40)], render_kw=AMOUNT)
    category_id = SelectField(_l("Category"), validate_choice=False)
    spent_on = StringField(_l("Date"), render_kw={"type": "date"})
    paid_from = SelectField(_l("Paid from"), choices=PAID_FROM_CHOICES, validate_choice=False)
    note = StringField(_l("Note"), validators=[Length(max=300)], render_kw={"dir": "auto"})
    order_number = StringField(
        _l("Delivery for order number (optional)"),
        validators=[Length(max=12)],
        render_kw={"inputmode": "numeric"},
    )
    receipt = FileField(_l("Receipt photo (optional)"), render_kw={"accept": "image/*"})
    remove_receipt = BooleanField(_l("Remove the receipt photo"))


class CategoryForm(FlaskForm):
    name = StringField(_l("New category"), validators=[Length(max=60)], render_kw={"dir": "auto"})


class RecurringForm(FlaskForm):
    amount = StringField(_l("Amount"), validators=[Length(max=40)], render_kw=AMOUNT)
    category_id = SelectField(_l("Category"), validate_choice=False)
    frequency = SelectField(_l("How often"), choices=FREQUENCY_CHOICES, validate_choice=False)
    start_on = StringField(_l("First payment"), render_kw={"type": "date"})
    end_on = StringField(_l("Last payment (optional)"), render_kw={"type": "date"})
    paid_from = SelectField(_l("Paid from"), choices=PAID_FROM_CHOICES, validate_choice=False)
    note = StringField(_l("Note"), validators=[Length(max=300)], render_kw={"dir": "auto"})


class OwnerForm(FlaskForm):
    amount = StringField(_l("Amount"), validators=[Length(max=40)], render_kw=AMOUNT)
    day = StringField(_l("Date"), render_kw={"type": "date"})
    account = SelectField(_l("Cash or bank"), choices=PAID_FROM_CHOICES, validate_choice=False)
    note = StringField(_l("Note"), validators=[Length(max=300)], render_kw={"dir": "auto"})
    confirmed = BooleanField(_l("Yes, take it out"))


class StartForm(FlaskForm):
    cash = StringField(_l("Cash you have"), validators=[Length(max=40)], render_kw=AMOUNT)
    bank = StringField(_l("Money in the bank"), validators=[Length(max=40)], render_kw=AMOUNT)
    owed_to_you = StringField(
        _l("What customers still owe you"), validators=[Length(max=40)], render_kw=AMOUNT
    )
    you_owe = StringField(
        _l("What you owe others (suppliers, loans)"),
        validators=[Length(max=40)],
        render_kw=AMOUNT,
    )
