"""Forms of the shop (checkout) and of the seller's shop settings (shape checks only;
the rules live in `checkout.py` and `settings.py`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from kyora.core.tenancy import id_or_none
from kyora.storefront.models import ABOUT_MAX


class CheckoutForm(FlaskForm):
    name = StringField(_l("Your name"))
    phone_country = SelectField(_l("Country code"), validate_choice=False)
    phone = StringField(_l("Phone number"))
    address = TextAreaField(_l("Delivery address"))
    city = StringField(_l("City or area"))
    zone_id = SelectField(_l("Delivery to"), coerce=id_or_none, validate_choice=False)
    note = TextAreaField(_l("Note for the shop (optional)"))
    # Left empty by people; bots that fill every field give themselves away.
    website = StringField(_l("Leave this empty"))
    key = HiddenField()


class SettingsForm(FlaskForm):
    enabled = BooleanField(_l("Open my shop"))
    brand_color = StringField(_l("Main colour"))
    accent_color = StringField(_l("Accent colour"))
    about = TextAreaField(_l("About your shop"), validators=[Optional()])
    all_categories = BooleanField(_l("Show every category"))
    category_ids = SelectMultipleField(
        _l("Categories to show"), coerce=id_or_none, validate_choice=False
    )
    show_whatsapp = BooleanField(_l("WhatsApp button"))
    show_instagram = BooleanField(_l("Instagram button"))
    show_tiktok = BooleanField(_l("TikTok button"))

    def chosen_categories(self) -> list[int]:
        return [cid for cid in (self.category_ids.data or []) if cid is not None]


ABOUT_HELP = _l("Up to %(count)d characters, shown on your shop's home.", count=ABOUT_MAX)
