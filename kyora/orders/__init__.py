"""Orders: quick entry, totals, status, payments, stock and the customer-facing pages."""

from flask_babel import lazy_gettext as _l

from kyora.core import ui


def init_app(app) -> None:
    from kyora.orders import receivers, views

    views.init_app(app)
    ui.page_section(
        app,
        "customer.page",
        "orders/_customer_orders.html",
        permission=("view", "orders"),
        order=20,
        context=receivers.customer_page_orders,
    )
    ui.nav_item(
        app,
        "orders.index",
        _l("Orders"),
        icon="orders",
        permission=("view", "orders"),
        order=20,
        blueprints=("orders",),
    )
    ui.settings_tab(
        app,
        "order_settings.shipping",
        _l("Delivery zones"),
        permission=("view", "settings"),
        order=20,
        key="shipping",
    )
    ui.settings_tab(
        app,
        "order_settings.payments",
        _l("Payments and orders"),
        permission=("view", "settings"),
        order=30,
        key="payments",
    )
