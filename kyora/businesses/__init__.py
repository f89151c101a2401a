"""Businesses: the shops inside a workspace, their profile and settings."""

from flask_babel import lazy_gettext as _l

from kyora.core import ui


def init_app(app) -> None:
    from kyora.businesses import views

    views.init_app(app)
    ui.nav_item(
        app, "business.home", _l("Home"), icon="home", permission=("view", "business"), order=10
    )
    ui.nav_item(
        app,
        "business.settings",
        _l("Settings"),
        icon="settings",
        permission=("view", "settings"),
        order=90,
        blueprints=("order_settings",),
    )
    ui.settings_tab(
        app,
        "business.settings",
        _l("Business"),
        permission=("view", "settings"),
        order=10,
        key="business",
    )
