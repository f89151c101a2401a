"""The seller's shop settings tab: open the shop, its colours, about text, the
categories it shows and its contact buttons (owners and admins)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from kyora.core.errors import DomainError, apply_to_form
from kyora.core.permissions import requires
from kyora.extensions import db
from kyora.inventory.services import list_categories
from kyora.storefront.settings import SettingsDraft, get_settings, update_settings
from kyora.storefront.web.blueprint import settings_bp as bp
from kyora.storefront.web.forms import ABOUT_HELP, SettingsForm


def _form(formdata=None) -> SettingsForm:
    business = g.business
    row = get_settings(business)
    form = SettingsForm(formdata=formdata)
    form.category_ids.choices = [(c.id, c.name) for c in list_categories(business)]
    if formdata is None:
        form.enabled.data = business.storefront_enabled
        form.brand_color.data = business.brand_color
        form.accent_color.data = business.accent_color
        form.about.data = row.about
        form.all_categories.data = row.shown_category_ids is None
        form.category_ids.data = list(row.shown_category_ids or [])
        form.show_whatsapp.data = row.show_whatsapp
        form.show_instagram.data = row.show_instagram
        form.show_tiktok.data = row.show_tiktok
    return form


def _page(form: SettingsForm, status: int = 200):
    business = g.business
    return (
        render_template(
            "storefront/settings.html",
            form=form,
            business=business,
            about_help=ABOUT_HELP,
            shop_url=url_for("storefront.home", handle=business.handle, _external=True),
        ),
        status,
    )


@bp.get("")
@requires("view", "settings")
def edit():
    """The shop settings and the shop's address."""
    return _page(_form())


@bp.post("")
@requires("edit", "settings")
def update():
    form = _form(request.form)
    draft = SettingsDraft(
        enabled=form.enabled.data,
        brand_color=form.brand_color.data or "",
        accent_color=form.accent_color.data or "",
        about=form.about.data or "",
        all_categories=form.all_categories.data,
        category_ids=form.chosen_categories(),
        show_whatsapp=form.show_whatsapp.data,
        show_instagram=form.show_instagram.data,
        show_tiktok=form.show_tiktok.data,
    )
    try:
        update_settings(g.business, draft)
    except DomainError as error:
        apply_to_form(form, error)
        return _page(form, 422)
    db.session.commit()
    flash(_("Shop settings saved."), "success")
    return redirect(url_for("storefront_settings.edit"), 303)
