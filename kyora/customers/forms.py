"""Forms of the customer pages (shape checks; the identity rules live in services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from kyora.customers.drafts import AddressDraft, CustomerDraft
from kyora.customers.identity import PLATFORMS


class CustomerForm(FlaskForm):
    """Name, numbers, handles, email and tags (the first address is a separate form)."""

    name = StringField(_l("Name"), validators=[Length(max=120)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    whatsapp = StringField(_l("WhatsApp, if different"), validators=[Length(max=40)])
    instagram = StringField(_l("Instagram"), validators=[Length(max=200)])
    tiktok = StringField(_l("TikTok"), validators=[Length(max=200)])
    facebook = StringField(_l("Facebook"), validators=[Length(max=200)])
    snapchat = StringField(_l("Snapchat"), validators=[Length(max=200)])
    x_handle = StringField(_l("X"), validators=[Length(max=200)])
    email = StringField(_l("Email"), validators=[Length(max=320)])
    tags = StringField(_l("Tags"), validators=[Length(max=700)])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])

    def draft(self, address: AddressDraft | None = None) -> CustomerDraft:
        fields = ("name", "phone", "whatsapp", "email", "tags", "note", *PLATFORMS)
        return CustomerDraft(address=address, **{name: self[name].data for name in fields})


class AddressForm(FlaskForm):
    label = StringField(_l("Label"), validators=[Length(max=40)])
    line = StringField(_l("Street, building, flat"), validators=[Length(max=200)])
    area = StringField(_l("Area"), validators=[Length(max=100)])
    city = StringField(_l("City"), validators=[Length(max=100)])
    country = SelectField(_l("Country"), validate_choice=False)
    notes = StringField(_l("Delivery notes"), validators=[Length(max=300)])

    def draft(self) -> AddressDraft:
        names = ("label", "line", "area", "city", "country", "notes")
        return AddressDraft(**{name: self[name].data for name in names})

    @property
    def filled(self) -> bool:
        return any((self[name].data or "").strip() for name in ("line", "area", "city", "notes"))


class NoteForm(FlaskForm):
    body = TextAreaField(
        _l("Add a note"),
        validators=[DataRequired(_l("Write a note first.")), Length(max=2000)],
    )


class MergeForm(FlaskForm):
    """Which of the two records stays (`keep` is a customer id)."""

    keep = HiddenField()
    other = HiddenField()
