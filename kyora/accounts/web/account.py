"""Your account: profile and language, password, email address, open sessions."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from kyora.accounts import services
from kyora.accounts.web.blueprint import AUTH_LIMIT, bp
from kyora.accounts.web.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    CodeForm,
    ProfileForm,
)
from kyora.core.errors import DomainError, apply_to_form
from kyora.core.i18n import LANG_COOKIE
from kyora.core.permissions import authenticated, public
from kyora.core.security import safe_next
from kyora.extensions import db, limiter


def _form_failed(form, template: str, error: DomainError | None = None, **ctx):
    if error is not None:
        apply_to_form(form, error)
    return render_template(template, form=form, **ctx), 422


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
