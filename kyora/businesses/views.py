"""Business pages: onboarding, new business, home, settings, archive, logo."""

from __future__ import annotations

from babel import Locale
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
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from kyora.businesses import services
from kyora.businesses.blueprint import bp, home_bp
from kyora.businesses.forms import BusinessForm, SettingsForm
from kyora.core import i18n
from kyora.core.errors import DomainError, apply_to_form
from kyora.core.forms import options
from kyora.core.htmx import render_page_or_partial
from kyora.core.images import encode, load_image
from kyora.core.money import rate_to_percent
from kyora.core.permissions import authenticated, can, requires
from kyora.core.storage import get_storage
from kyora.core.tenancy import id_or_none
from kyora.extensions import db


def _locale() -> str:
    return str(get_locale() or "en")


def _guess_country() -> str:
    for language, _quality in request.accept_languages:
        parts = language.replace("_", "-").split("-")
        if len(parts) > 1 and parts[-1].upper() in i18n.country_codes():
            return parts[-1].upper()
    return "AE"


def _business_form(**kwargs) -> BusinessForm:
    form = BusinessForm(**kwargs)
    form.country.choices = options(i18n.country_choices(_locale()))
    if not form.country.data:
        form.country.data = _guess_country()
    if not form.locale.data or request.method == "GET":
        form.locale.data = current_user.locale
    return form


def _create_from_form(form: BusinessForm, template: str):
    """Shared by onboarding and "New business": create, commit, go to its home."""
    if request.method == "POST":
        if not form.validate():
            return render_template(template, form=form), 422
        handle = (form.handle.data or "").strip().lower() or services.suggest_handle(form.name.data)
        try:
            business = services.create_business(
                current_user.workspace, current_user, form.name.data, handle, form.country.data
            )
        except DomainError as error:
            apply_to_form(form, error)
            return render_template(template, form=form), 422
        if form.locale.data in current_app.config["LANGUAGES"]:
            current_user.locale = form.locale.data
        db.session.commit()
        flash(_("%(name)s is ready.", name=business.name), "success")
        return redirect(url_for("business.home", handle=business.handle), 303)
    return render_template(template, form=form)


@bp.get("/start")
@authenticated
def start():
    """Where a signed-in user lands: their first business, or the business step."""
    businesses = services.list_businesses(current_user.workspace_id, include_archived=True)
    active = [business for business in businesses if not business.archived]
    if active:
        return redirect(url_for("business.home", handle=active[0].handle))
    if not businesses and can("create", "business"):
        return redirect(url_for("businesses.onboard"))
    return render_template("businesses/no_business.html", archived=businesses)


@bp.route("/signup/business", methods=["GET", "POST"])
@authenticated
def onboard():
    if services.list_businesses(current_user.workspace_id, include_archived=True):
        return redirect(url_for("businesses.start"))
    if not can("create", "business"):
        return redirect(url_for("businesses.start"))
    return _create_from_form(_business_form(), "businesses/onboard.html")


@bp.route("/businesses/new", methods=["GET", "POST"])
@authenticated
def new():
    if not can("create", "business"):
        abort(403)
    return _create_from_form(_business_form(), "businesses/new.html")


@bp.get("/businesses/handle")
@authenticated
def handle_check():
    """Live handle feedback: availability as the handle is typed, a suggestion from the name."""
    name = request.args.get("name", "")
    handle = request.args.get("handle", "").strip().lower()
    exclude = id_or_none(request.args.get("business_id"))
    if request.headers.get("HX-Trigger-Name") == "name":
        if request.args.get("handle_auto", "1") != "1":
            return "", 204
        handle = services.suggest_handle(name) if name.strip() else ""
        problem = None if handle else ""
        return render_template(
            "businesses/_handle_field.html", handle=handle, problem=problem, auto=True
        )
    problem = services.handle_problem(handle, exclude_business_id=exclude)
    return render_template("businesses/_handle_status.html", handle=handle, problem=problem)


# --- Business-scoped pages ----------------------------------------------------------


@home_bp.get("/")
@requires("view", "business")
def home():
    steps = []
    business = g.business
    if can("edit", "settings"):
        if not business.whatsapp:
            steps.append(("whatsapp", _("Add your WhatsApp number so customers can reach you")))
        if not business.logo_path:
            steps.append(("logo", _("Upload your logo")))
    return render_template("businesses/home.html", business=business, steps=steps)


def _settings_form(business, formdata=None) -> SettingsForm:
    form = SettingsForm(formdata=formdata, obj=business)
    locale = _locale()
    form.country.choices = options(i18n.country_choices(locale))
    names = Locale.parse(locale).currencies
    codes = sorted({i18n.country_currency(code) for code in i18n.country_codes()})
    form.currency.choices = options((code, f"{code} · {names.get(code, code)}") for code in codes)
    form.timezone.choices = options((zone, zone.replace("_", " ")) for zone in i18n.all_timezones())
    if formdata is None:
        form.vat_percent.data = rate_to_percent(business.vat_rate)
        form.vat_mode.data = "included" if business.prices_include_vat else "on_top"
    return form


@home_bp.route("/settings", methods=["GET", "POST"])
@requires("view", "settings")
def settings():
    business = g.business
    locked = services.currency_locked(business)
    if request.method == "POST":
        if not can("edit", "settings"):
            abort(403)
        form = _settings_form(business, request.form)
        if not form.validate():
            return _settings_page(form, locked, 422)
        data = {name: form[name].data for name in (*services.PROFILE_FIELDS, "handle", "currency")}
        data["vat_percent"] = form.vat_percent.data if form.vat_percent.data is not None else 0
        if form.vat_mode.raw_data:
            data["prices_include_vat"] = form.vat_mode.data == "included"
        if form.tax_number.raw_data:
            data["tax_number"] = form.tax_number.data
        try:
            services.update_business(business, data)
            logo = request.files.get("logo")
            if logo and logo.filename:
                _save_logo(business, logo.read())
        except DomainError as error:
            apply_to_form(form, error)
            return _settings_page(form, locked, 422)
        db.session.commit()
        flash(_("Business details saved."), "success")
        return redirect(url_for("business.settings", handle=business.handle), 303)
    return _settings_page(_settings_form(business), locked)


def _settings_page(form, locked: bool, status: int = 200):
    return render_page_or_partial(
        "businesses/settings.html",
        "businesses/_settings_form.html",
        "settings-form",
        status=status,
        form=form,
        business=g.business,
        currency_locked=locked,
    )


def _save_logo(business, data: bytes) -> None:
    image = load_image(data, "logo", current_app.config["UPLOAD_MAX_IMAGE_BYTES"])
    storage = get_storage()
    old = business.logo_path
    business.logo_path = storage.save(
        encode(image, 256, square=True), f"logos/{business.id}", "webp"
    )
    if old:
        storage.delete(old)


@home_bp.post("/settings/archive")
@requires("archive", "business")
def archive():
    services.set_archived(g.business, True)
    db.session.commit()
    flash(
        _("%(name)s is archived. You can restore it from its settings.", name=g.business.name),
        "success",
    )
    return redirect(url_for("businesses.start"), 303)


@home_bp.post("/settings/unarchive")
@requires("archive", "business")
def unarchive():
    services.set_archived(g.business, False)
    db.session.commit()
    flash(_("%(name)s is back in your list.", name=g.business.name), "success")
    return redirect(url_for("business.settings"), 303)
