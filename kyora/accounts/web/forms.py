"""Forms of the accounts pages (shape checks; the rules live in services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from kyora.accounts.passwords import MAX_LENGTH
from kyora.core.forms import LANGUAGE_OPTIONS, options


class SignupForm(FlaskForm):
    name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Tell us your name.")), Length(max=120)]
    )
    email = EmailField(
        _l("Email"), validators=[DataRequired(_l("Enter your email address.")), Length(max=320)]
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Choose a password.")), Length(max=MAX_LENGTH)],
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    next = HiddenField()


class CodeForm(FlaskForm):
    code = StringField(
        _l("6-digit code"),
        validators=[DataRequired(_l("Enter the code from the email.")), Length(max=20)],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Enter your email address."))])


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Choose a password.")), Length(max=MAX_LENGTH)],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"))
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(_l("Choose a password.")), Length(max=MAX_LENGTH)],
    )


class ChangeEmailForm(FlaskForm):
    email = EmailField(
        _l("New email"), validators=[DataRequired(_l("Enter your email address.")), Length(max=320)]
    )
    password = PasswordField(_l("Current password"))


class ProfileForm(FlaskForm):
    name = StringField(
        _l("Your name"), validators=[DataRequired(_l("Tell us your name.")), Length(max=120)]
    )
    locale = SelectField(_l("Language"), choices=options(LANGUAGE_OPTIONS))


class DeleteWorkspaceForm(FlaskForm):
    password = PasswordField(
        _l("Your password"), validators=[DataRequired(_l("Enter your password."))]
    )
