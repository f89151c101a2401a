"""Customers: who buys, how to reach them, where to deliver, and what they owe."""

from flask_babel import lazy_gettext as _l

from kyora.core import ui


def init_app(app) -> None:
    from kyora.customers import views

    views.init_app(app)
    ui.nav_item(
        app,
        "customers.index",
        _l("Customers"),
        icon="customers",
        permission=("view", "customers"),
        order=30,
        blueprints=("customers",),
    )
