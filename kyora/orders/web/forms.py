"""Forms of the order pages (shape checks only; the rules live in the services).

Amounts and quantities accept what sellers type on a phone: Arabic-Indic digits,
thousands separators ("1,250.50").
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from kyora.core.forms import options
from kyora.core.money import normalize_digits, parse_amount
from kyora.core.tenancy import id_or_none
from kyora.customers.models import CHANNELS
from kyora.orders import status as st
from kyora.orders.drafts import NOTE_MAX


class AmountField(StringField):
    """A money amount as typed; `data` is a Decimal or None."""

    def process_formdata(self, valuelist):
        try:
            self.data = parse_amount(valuelist[0] if valuelist else "")
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter an amount, like 12.50.")) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if isinstance(self.data, Decimal):
            return format(self.data, "f")
        return self.data or ""


class CountField(StringField):
    """A whole number as typed; `data` is an int or None."""

    def process_formdata(self, valuelist):
        text = normalize_digits(valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            return
        try:
            self.data = int(text)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a whole number.")) from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class IdField(HiddenField):
    """A hidden id; anything that is not a number reads as None."""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = id_or_none(text) if text.isdigit() else None

    def _value(self):
        return "" if self.data is None else str(self.data)


class ItemForm(Form):
    """One line of the order (a sub-form: the outer form carries the CSRF token)."""

    variant_id = IdField()
    query = StringField(_l("Product"), validators=[Length(max=100)])
    quantity = CountField(_l("Quantity"), default=1)
    unit_price = AmountField(_l("Price"))


DELIVERY_NONE = "none"
DELIVERY_MANUAL = "manual"


class OrderForm(FlaskForm):
    """The quick entry (and, without the first-payment and status parts, the edit form)."""

    idempotency_key = HiddenField()
    version = IdField()
    message = TextAreaField(_l("Paste the customer's message"), validators=[Length(max=4000)])

    customer_id = IdField()
    customer_query = StringField(_l("Find a customer"), validators=[Length(max=100)])
    customer_name = StringField(_l("Name"), validators=[Length(max=120)])
    customer_phone = StringField(_l("Phone"), validators=[Length(max=40)])
    customer_handle = StringField(_l("Handle"), validators=[Length(max=200)])

    items = FieldList(FormField(ItemForm), min_entries=1, max_entries=50)
    allow_zero_price = BooleanField(_l("Some items are free (price 0)"))

    channel = SelectField(_l("Channel"), choices=options(CHANNELS), validate_choice=False)
    delivery = SelectField(_l("Delivery"), validate_choice=False)
    shipping_fee = AmountField(_l("Delivery fee"))
    address_id = SelectField(_l("Address"), validate_choice=False)
    address_line = StringField(_l("Address"), validators=[Length(max=200)])
    address_city = StringField(_l("City or area"), validators=[Length(max=100)])

    discount_kind = SelectField(
        _l("Discount type"),
        choices=options([("amount", _l("Amount")), ("percent", _l("Percent (%)"))]),
        validate_choice=False,
    )
    discount_value = AmountField(_l("Discount"))

    payment = SelectField(
        _l("Paid now"),
        choices=options(
            [("none", _l("Not yet")), ("part", _l("Part of it")), ("full", _l("Paid in full"))]
        ),
        validate_choice=False,
    )
    payment_amount = AmountField(_l("Amount paid"))
    payment_method = SelectField(_l("Paid by"), validate_choice=False)
    payment_reference = StringField(_l("Reference"), validators=[Length(max=120)])

    status = SelectField(
        _l("Status"),
        choices=options(
            [(st.CONFIRMED, _l("Confirmed")), (st.PENDING, _l("Pending (waiting on the customer)"))]
        ),
        validate_choice=False,
    )
    note = TextAreaField(_l("Note for your team"), validators=[Length(max=NOTE_MAX)])


class PaymentForm(FlaskForm):
    amount = AmountField(_l("Amount"))
    method = SelectField(_l("Paid by"), validate_choice=False)
    reference = StringField(_l("Reference"), validators=[Length(max=120)])
    received_on = DateField(_l("Date"), validators=[Optional()])
    confirm_overpay = BooleanField(_l("Yes, record it (more than what is owed)"))


class RefundForm(FlaskForm):
    """Shown on the same page as the payment form: views give it the prefix "refund"."""

    amount = AmountField(_l("Amount to refund"))
    method = SelectField(_l("Refunded by"), validate_choice=False)
    reference = StringField(_l("Reference"), validators=[Length(max=120)])


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Add a note"), validators=[Length(max=NOTE_MAX)])


class ZoneForm(FlaskForm):
    name = StringField(_l("Zone name"), validators=[Length(max=80)])
    countries = SelectMultipleField(_l("Countries"), validate_choice=False)
    cities = TextAreaField(_l("Cities or areas"), validators=[Length(max=2000)])
    cost = AmountField(_l("Delivery fee"))
    free_threshold = AmountField(_l("Free delivery from"))


class MethodForm(Form):
    enabled = BooleanField(_l("Accept"))
    fee_percent = AmountField(_l("Fee %"))
    fee_fixed = AmountField(_l("Fixed fee"))


class PaymentMethodsForm(FlaskForm):
    """One row per method kind, named after it (`card-fee_percent`)."""

    cod = FormField(MethodForm)
    bank_transfer = FormField(MethodForm)
    card = FormField(MethodForm)
    wallet = FormField(MethodForm)
    bnpl = FormField(MethodForm)
    other = FormField(MethodForm)


class OrderDefaultsForm(FlaskForm):
    default_channel = SelectField(
        _l("Channel new orders start with"), choices=options(CHANNELS), validate_choice=False
    )
