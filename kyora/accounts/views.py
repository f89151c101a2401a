"""Sign-up, email verification, login/logout, passwords, profile, sessions, language."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from kyora.accounts import google, services
from kyora.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    CodeForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
    SignupForm,
)
from kyora.core.db import utcnow
from kyora.core.errors import DomainError, apply_to_form
from kyora.core.i18n import LANG_COOKIE, select_locale
from kyora.core.permissions import authenticated, public
from kyora.core.security import safe_next
from kyora.extensions import db, limiter, login_manager

bp = Blueprint("accounts", __name__)

SESSION_KEY = "sk"
AUTH_LIMIT = "10 per minute;50 per hour"
SIGNUP_LIMIT = "5 per minute;30 per hour"


def init_app(app) -> None:
    app.register_blueprint(bp)
    google.init_app(app)
    login_manager.user_loader(_load_user)

    @app.before_request
    def _load_current_user():
        # Resolve the session before the view runs, so refreshing "last seen"
        # commits on its own and never mixes with the view's unit of work.
        if request.endpoint != "static":
            _ = current_user.is_authenticated


def _load_user(user_id: str):
    found = services.load_session(user_id, session.get(SESSION_KEY))
    if found is None:
        return None
    user, record = found
    g.user_session = record
    g.kyora_user_id = user.id
    if services.touch_session(record):
        db.session.commit()
    return user


def _start_session(user) -> None:
    """Open a server-side session for `user` and put its key in a fresh cookie."""
    record, raw_key = services.open_session(
        user, request.remote_addr, request.headers.get("User-Agent")
    )
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    session[SESSION_KEY] = raw_key
    login_user(user)
    g.user_session = record


def _after_login_url(user) -> str:
    if not user.email_verified:
        return url_for("accounts.verify")
    return url_for("businesses.start")


def _form_failed(form, template: str, error: DomainError | None = None, **ctx):
    if error is not None:
        apply_to_form(form, error)
    return render_template(template, form=form, **ctx), 422


# --- Landing, sign-up and verification ----------------------------------------------


@bp.get("/")
@public
def landing():
    if current_user.is_authenticated:
        return redirect(_after_login_url(current_user))
    return render_template("accounts/landing.html")


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(SIGNUP_LIMIT, methods=["POST"])
@public
def signup():
    if current_user.is_authenticated:
        return redirect(_after_login_url(current_user))
    form = SignupForm()
    if request.method == "POST":
        if not form.validate():
            return _form_failed(form, "accounts/signup.html")
        try:
            user = services.register_user(
                form.name.data, form.email.data, form.password.data, locale=select_locale()
            )
        except DomainError as error:
            return _form_failed(form, "accounts/signup.html", error)
        _start_session(user)
        db.session.commit()
        return redirect(url_for("accounts.verify"), 303)
    return render_template("accounts/signup.html", form=form)


@bp.route("/signup/verify", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@authenticated(allow_unverified=True)
def verify():
    if current_user.email_verified:
        return redirect(url_for("businesses.start"))
    form = CodeForm()
    wait = services.seconds_until_resend(current_user)
    if request.method == "POST":
        if not form.validate():
            return _form_failed(form, "accounts/verify.html", wait=wait)
        try:
            services.verify_email_code(current_user, form.code.data)
        except DomainError as error:
            # A wrong try still counts: keep the attempt, then show the message.
            db.session.commit()
            form.code.errors = [*form.code.errors, error.message]
            return render_template("accounts/verify.html", form=form, wait=wait), 422
        db.session.commit()
        flash(_("Your email is verified."), "success")
        return redirect(url_for("businesses.start"), 303)
    return render_template("accounts/verify.html", form=form, wait=wait)


@bp.post("/signup/verify/resend")
@limiter.limit(AUTH_LIMIT)
@authenticated(allow_unverified=True)
def resend_code():
    if current_user.email_verified:
        return redirect(url_for("businesses.start"), 303)
    try:
        services.send_verification(current_user, resend=True)
    except DomainError as error:
        db.session.rollback()
        form = CodeForm()
        form.code.errors = [error.message]
        wait = services.seconds_until_resend(current_user)
        return render_template("accounts/verify.html", form=form, wait=wait), 429
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
@public
def login():
    if current_user.is_authenticated:
        return redirect(_after_login_url(current_user))
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
        _start_session(user)
        db.session.commit()
        return redirect(safe_next(form.next.data, _after_login_url(user)), 303)
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
@public
def logout():
    record = g.get("user_session")
    if record is not None:
        record.revoked_at = utcnow()
        db.session.commit()
    logout_user()
    session.pop(SESSION_KEY, None)
    flash(_("You are logged out."), "success")
    return redirect(url_for("accounts.login"), 303)


# --- Passwords ----------------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
@public
def forgot_password():
    form = ForgotPasswordForm()
    if request.method == "POST":
        if not form.validate():
            return _form_failed(form, "accounts/forgot_password.html")
        try:
            services.request_password_reset(form.email.data)
        except DomainError as error:
            return _form_failed(form, "accounts/forgot_password.html", error)
        db.session.commit()
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


# --- Your account -------------------------------------------------------------------


@bp.route("/account", methods=["GET", "POST"])
@authenticated
def profile():
    form = ProfileForm(obj=current_user)
    if request.method == "POST":
        if not form.validate():
            return _form_failed(form, "accounts/profile.html")
        try:
            services.update_profile(
                current_user, form.name.data, form.locale.data, current_app.config["LANGUAGES"]
            )
        except DomainError as error:
            return _form_failed(form, "accounts/profile.html", error)
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"), 303)
    return render_template("accounts/profile.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@authenticated
def change_password():
    form = ChangePasswordForm()
    if request.method == "POST":
        if not form.validate():
            return _form_failed(form, "accounts/change_password.html")
        try:
            services.change_password(
                current_user,
                form.current_password.data,
                form.new_password.data,
                keep_session_id=g.user_session.id,
            )
        except DomainError as error:
            return _form_failed(form, "accounts/change_password.html", error)
        db.session.commit()
        flash(_("Your password is changed. Your other devices are logged out."), "success")
        return redirect(url_for("accounts.profile"), 303)
    return render_template("accounts/change_password.html", form=form)


@bp.route("/account/email", methods=["GET", "POST"])
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@authenticated
def change_email():
    form = ChangeEmailForm()
    code_form = CodeForm(prefix="confirm")
    pending = services.pending_email_change(current_user)
    ctx = {"code_form": code_form, "pending": pending}
    if request.method == "POST":
        if not form.validate():
            return _form_failed(form, "accounts/change_email.html", **ctx)
        try:
            services.request_email_change(current_user, form.email.data, form.password.data)
        except DomainError as error:
            return _form_failed(form, "accounts/change_email.html", error, **ctx)
        db.session.commit()
        flash(_("We sent a code to your new address. Enter it below."), "success")
        return redirect(url_for("accounts.change_email"), 303)
    return render_template("accounts/change_email.html", form=form, **ctx)


@bp.post("/account/email/confirm")
@limiter.limit(AUTH_LIMIT)
@authenticated
def confirm_email():
    form = ChangeEmailForm(formdata=None)
    code_form = CodeForm(prefix="confirm")
    pending = services.pending_email_change(current_user)
    if not code_form.validate():
        return render_template(
            "accounts/change_email.html", form=form, code_form=code_form, pending=pending
        ), 422
    try:
        services.confirm_email_change(current_user, code_form.code.data)
    except DomainError as error:
        db.session.commit()  # the wrong try counts
        code_form.code.errors = [*code_form.code.errors, error.message]
        return render_template(
            "accounts/change_email.html", form=form, code_form=code_form, pending=pending
        ), 422
    db.session.commit()
    flash(_("Your email address is changed."), "success")
    return redirect(url_for("accounts.profile"), 303)


@bp.get("/account/sessions")
@authenticated
def sessions():
    records = services.list_sessions(current_user)
    return render_template("accounts/sessions.html", records=records, current_id=g.user_session.id)


@bp.post("/account/sessions/<int:session_id>/revoke")
@authenticated
def revoke_session(session_id: int):
    if session_id == g.user_session.id:
        return redirect(url_for("accounts.sessions"), 303)
    try:
        services.revoke_session(current_user, session_id)
    except DomainError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(_("That device is logged out."), "success")
    return redirect(url_for("accounts.sessions"), 303)


@bp.post("/account/sessions/revoke-others")
@authenticated
def revoke_other_sessions():
    count = services.revoke_sessions(current_user, keep_session_id=g.user_session.id)
    db.session.commit()
    flash(_("Logged out of %(count)d other devices.", count=count), "success")
    return redirect(url_for("accounts.sessions"), 303)


@bp.post("/language")
@public
def set_language():
    lang = request.form.get("lang", "")
    target = safe_next(request.form.get("next"), url_for("accounts.landing"))
    response = redirect(target, 303)
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return response
