"""Catalog and inventory: products, variants, the stock ledger, photos, CSV, alerts."""

from flask_babel import lazy_gettext as _l

from kyora.core import ui


def init_app(app) -> None:
    from kyora.inventory import views

    views.init_app(app)
    ui.nav_item(
        app,
        "inventory.index",
        _l("Products"),
        icon="products",
        permission=("view", "products"),
        order=40,
        blueprints=("inventory",),
    )
    ui.settings_tab(
        app,
        "inventory.alerts",
        _l("Low-stock alerts"),
        permission=("adjust", "stock"),
        order=40,
        key="alerts",
    )
