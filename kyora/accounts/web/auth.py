"""Sign-up, email verification, login and logout, forgotten passwords."""

from __future__ import annotations

from flask import (
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from kyora.accounts import jobs, services
from kyora.accounts.sessions import SESSION_KEY, after_login_url, start_session
from kyora.accounts.web import signup_answer
from kyora.accounts.web.blueprint import ACCOUNT_LIMIT, AUTH_LIMIT, SIGNUP_LIMIT, account_key, bp
from kyora.accounts.web.forms import (
    CodeForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    SignupForm,
)
from kyora.core.db import utcnow
from kyora.core.errors import DomainError, apply_to_form
from kyora.core.i18n import select_locale
from kyora.core.permissions import public
from kyora.core.security import safe_next
from kyora.extensions import db, limiter


def _form_failed(form, template: str, error: DomainError | None = None, **ctx):
    if error is not None:
        apply_to_form(form, error)
    return render_template(template, form=form, **ctx), 422


# --- Landing, sign-up and verification ----------------------------------------------


@bp.get("/")
@public
def landing():
    if current_user.is_authenticated:
        return redirect(after_login_url(current_user))
    return render_template("accounts/landing.html")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(SIGNUP_LIMIT, methods=["POST"])
@public
def signup():
    if current_user.is_authenticated:
        return redirect(after_login_url(current_user))
    form = SignupForm()
    if request.method == "POST":
        if not form.validate():
            return _form_failed(form, "accounts/signup.html")
        try:
            user = services.register_user(
                form.name.data, form.email.data, form.password.data, locale=select_locale()
            )
        except services.EmailTaken as taken:
            # The same answer as for a new address; the mailbox hears the rest.
            db.session.rollback()
            signup_answer.start(taken.email)
            return redirect(url_for("accounts.verify"), 303)
        except DomainError as error:
            return _form_failed(form, "accounts/signup.html", error)
        signup_answer.forget()
        start_session(user)
        db.session.commit()
        return redirect(url_for("accounts.verify"), 303)
    return render_template("accounts/signup.html", form=form)


@bp.route("/signup/verify", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@public
def verify():
    if not current_user.is_authenticated:
        state = signup_answer.pending()
        if state is None:
            return redirect(url_for("accounts.login", next=url_for("accounts.verify")))
        return signup_answer.verify(state, request.method == "POST")
    if current_user.email_verified:
        return redirect(url_for("businesses.start"))
    form = CodeForm()
    wait = services.seconds_until_resend(current_user)
    if request.method == "POST":
        if not form.validate():
            return _form_failed(form, "accounts/verify.html", wait=wait, email=current_user.email)
        try:
            services.verify_email_code(current_user, form.code.data)
        except DomainError as error:
            # A wrong try still counts: keep the attempt, then show the message.
            db.session.commit()
            form.code.errors = [*form.code.errors, error.message]
            return render_template(
                "accounts/verify.html", form=form, wait=wait, email=current_user.email
            ), 422
        db.session.commit()
        flash(_("Your email is verified."), "success")
        return redirect(url_for("businesses.start"), 303)
    return render_template("accounts/verify.html", form=form, wait=wait, email=current_user.email)


@bp.post("/signup/verify/resend")
@limiter.limit(AUTH_LIMIT)
@public
def resend_code():
    if not current_user.is_authenticated:
        state = signup_answer.pending()
        if state is None:
            return redirect(url_for("accounts.login"), 303)
        return signup_answer.resend(state)
    if current_user.email_verified:
        return redirect(url_for("businesses.start"), 303)
    try:
        services.send_verification(current_user, resend=True)
    except DomainError as error:
        db.session.rollback()
        form = CodeForm()
        form.code.errors = [error.message]
        wait = services.seconds_until_resend(current_user)
        return render_template(
            "accounts/verify.html", form=form, wait=wait, email=current_user.email
        ), 429
    db.session.commit()
    flash(_("We sent you a new code."), "success")
    return redirect(url_for("accounts.verify"), 303)


@bp.get("/signup/verify/<token>")
@limiter.limit(AUTH_LIMIT)
@public
def verify_link(token: str):
    try:
        user = services.verify_email_link(token)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        target = "accounts.verify" if current_user.is_authenticated else "accounts.login"
        return redirect(url_for(target))
    db.session.commit()
    flash(_("Your email is verified."), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("businesses.start"))
    return redirect(url_for("accounts.login"))


# --- Login and logout ---------------------------------------------------------------


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@limiter.limit(ACCOUNT_LIMIT, methods=["POST"], key_func=account_key)
@public
def login():
    if current_user.is_authenticated:
        return redirect(after_login_url(current_user))
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "POST":
        if not form.validate():
            return _form_failed(form, "accounts/login.html")
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.commit()  # keeps the failed-login record for the audit log
            form.form_errors.append(
                _("That email and password don't match. Try again, or reset your password.")
            )
            return render_template("accounts/login.html", form=form), 422
        start_session(user)
        db.session.commit()
        return redirect(safe_next(form.next.data, after_login_url(user)), 303)
    return render_template("accounts/login.html", form=form)


@bp.post("/signup/restart")
@public
def restart_signup():
    """ "Use a different email" on the code page: back to a blank sign-up."""
    signup_answer.forget()
    if current_user.is_authenticated:
        _end_session()
    return redirect(url_for("accounts.signup"), 303)


def _end_session() -> None:
    record = g.get("user_session")
    if record is not None:
        record.revoked_at = utcnow()
        db.session.commit()
    logout_user()
    session.pop(SESSION_KEY, None)


@bp.post("/logout")
@public
def logout():
    _end_session()
    flash(_("You are logged out."), "success")
    return redirect(url_for("accounts.login"), 303)


# --- Passwords ----------------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
@limiter.limit(ACCOUNT_LIMIT, methods=["POST"], key_func=account_key)
@public
def forgot_password():
    form = ForgotPasswordForm()
    if request.method == "POST":
        if not form.validate():
            return _form_failed(form, "accounts/forgot_password.html")
        try:
            email = services.normalize_email(form.email.data)
        except DomainError as error:
            return _form_failed(form, "accounts/forgot_password.html", error)
        # The lookup and the email happen in a background job: the page does the same
        # work, in the same time, whether or not the address has an account.
        jobs.send_password_reset(email)
        return render_template("accounts/forgot_password_sent.html", email=form.email.data)
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@public
def reset_password(token: str):
    if not services.check_reset_token(token):
        return render_template("accounts/reset_password_invalid.html"), 410
    form = ResetPasswordForm()
    if request.method == "POST":
        if not form.validate():
            return _form_failed(form, "accounts/reset_password.html", token=token)
        try:
            services.reset_password(token, form.password.data)
        except DomainError as error:
            error.field = error.field or "password"
            return _form_failed(form, "accounts/reset_password.html", error, token=token)
        db.session.commit()
        logout_user()
        session.pop(SESSION_KEY, None)
        flash(_("Your password is changed. Log in with your new password."), "success")
        return redirect(url_for("accounts.login"), 303)
    return render_template("accounts/reset_password.html", form=form, token=token)
