"""Forms of the team pages and the invitation page (shape checks; rules live in services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from kyora.accounts.passwords import MAX_LENGTH
from kyora.core.forms import LANGUAGE_OPTIONS, options
from kyora.core.permissions import ADMIN, MEMBER


def role_options():
    return options([(MEMBER, str(_l("Member"))), (ADMIN, str(_l("Admin")))])


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Email"), validators=[DataRequired(_l("Enter their email address.")), Length(max=320)]
    )
    # Choices are checked by the service, which explains a wrong role in plain words.
    role = SelectField(_l("Role"), default=MEMBER, validate_choice=False)
    locale = SelectField(_l("Email language"), choices=options(LANGUAGE_OPTIONS))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_options()


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), validate_choice=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_options()


class AcceptForm(FlaskForm):
    name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Tell us your name.")), Length(max=120)]
    )
    password = PasswordField(
        _l("Choose a password"),
        validators=[DataRequired(_l("Choose a password.")), Length(max=MAX_LENGTH)],
    )


class TransferForm(FlaskForm):
    new_owner = SelectField(_l("New owner"), validate_choice=False)
    password = PasswordField(_l("Your password"))
