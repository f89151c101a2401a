"""apply_to_form: a service's messages land beside the right field, however nested."""

import pytest
from wtforms import FieldList, Form, FormField, IntegerField, StringField

from kyora.core.errors import DomainError, ValidationFailed, apply_to_form


class Line(Form):
    query = StringField()
    quantity = IntegerField()


class Fees(Form):
    fee_percent = StringField()


class OrderForm(Form):
    customer = StringField()
    items = FieldList(FormField(Line), min_entries=2)
    card = FormField(Fees)


@pytest.fixture
def form(app_ctx):
    return OrderForm()


def test_messages_go_beside_plain_nested_and_sub_form_fields(form):
    apply_to_form(
        form,
        ValidationFailed(
            {
                "customer": "Pick a customer.",
                "items-1-quantity": "Only 1 left.",
                "card-fee_percent": "Use 0 to 100.",
            }
        ),
    )
    assert form.customer.errors == ["Pick a customer."]
    assert form.items.entries[1].form.quantity.errors == ["Only 1 left."]
    assert not form.items.entries[0].form.quantity.errors
    assert form.card.form.fee_percent.errors == ["Use 0 to 100."]
    assert form.form_errors == []


def test_aliases_rename_whole_and_nested_names(form):
    aliases = {"variant_id": "query", "phone": "customer", "items": None}
    apply_to_form(
        form,
        ValidationFailed(
            {
                "items-0-variant_id": "Pick a product.",
                "phone": "Bad phone.",
                "items": "Add an item.",
            }
        ),
        aliases,
    )
    assert form.items.entries[0].form.query.errors == ["Pick a product."]
    assert form.customer.errors == ["Bad phone."]
    assert form.form_errors == ["Add an item."]


@pytest.mark.parametrize("key", [None, "nothing_like_it", "items-9-quantity", "items-x-quantity"])
def test_unknown_places_go_above_the_form(form, key):
    apply_to_form(form, DomainError("Something is off.", key))
    assert form.form_errors == ["Something is off."]


def test_it_rolls_back_what_the_service_flushed(form):
    from kyora.extensions import db
    from tests.factories import make_user

    user = make_user()
    db.session.commit()
    user.name = "Half Written"
    db.session.flush()
    apply_to_form(form, DomainError("No."))
    db.session.expire_all()
    assert user.name != "Half Written"
