"""Forms of the business pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DecimalField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from kyora.core.forms import LANGUAGE_OPTIONS, options


class BusinessForm(FlaskForm):
    """The onboarding / new-business step."""

    name = StringField(
        _l("Business name"),
        validators=[DataRequired(_l("Give your business a name.")), Length(max=120)],
    )
    handle = StringField(_l("Your Kyora address"), validators=[Length(max=40)])
    handle_auto = HiddenField(default="1")
    country = SelectField(_l("Country"), validate_choice=False)
    locale = SelectField(_l("Language"), choices=options(LANGUAGE_OPTIONS))


class SettingsForm(FlaskForm):
    """The business profile."""

    name = StringField(
        _l("Business name"),
        validators=[DataRequired(_l("Give your business a name.")), Length(max=120)],
    )
    handle = StringField(
        _l("Your Kyora address"),
        validators=[DataRequired(_l("Choose an address for your business.")), Length(max=40)],
    )
    country = SelectField(_l("Country"), validate_choice=False)
    currency = SelectField(_l("Currency"), validate_choice=False)
    timezone = SelectField(_l("Time zone"), validate_choice=False)
    vat_percent = DecimalField(
        _l("VAT (%)"),
        places=None,
        validators=[Optional()],
    )
    vat_mode = SelectField(
        _l("Your prices"),
        choices=options(
            [
                ("included", _l("Include VAT")),
                ("on_top", _l("Have VAT added on top")),
            ]
        ),
        validate_choice=False,
    )
    tax_number = StringField(_l("Tax registration number (TRN)"), validators=[Length(max=40)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    whatsapp = StringField(_l("WhatsApp number"), validators=[Length(max=40)])
    instagram = StringField(_l("Instagram"), validators=[Length(max=100)])
    tiktok = StringField(_l("TikTok"), validators=[Length(max=100)])
    facebook = StringField(_l("Facebook"), validators=[Length(max=100)])
    snapchat = StringField(_l("Snapchat"), validators=[Length(max=100)])
    x_handle = StringField(_l("X (Twitter)"), validators=[Length(max=100)])
    website = StringField(_l("Website"), validators=[Length(max=200)])
    logo = FileField(_l("Logo"))
