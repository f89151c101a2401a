"""Orders: quick entry, totals, status, payments, stock and the customer-facing pages.

Where things are:
- `models.py`: orders, items, payments, timeline entries, zones, methods, settings rows.
- `services.py`: the public API other domains and the views call (create, edit, status,
  payments, settings), re-exported from the modules below.
- `events.py`: the signals other domains listen to (confirmed, cancelled, paid, ...).
- `queries.py`: reads: the list with filters and counts, an order's page, items, export.
- `search.py`: how the list finds a search's orders (through the customers found, by
  one of two plans chosen by how many match), counted up to a limit.
- `drafts.py`: `OrderDraft`, the typed input of creating and editing an order.
- `pricing.py`: a draft checked against the catalog, zones and rules, and priced.
- `totals.py`: the money arithmetic: line totals, discount, VAT, delivery, fees.
- `status.py`: the statuses and which moves between them are allowed.
- `creation.py`: saving a new order (idempotent), its customer and delivery address.
- `editing.py`: changing a saved order; notes; deleting one.
- `status_changes.py`: moving orders along their statuses (one or in bulk).
- `payments.py`: payments, refunds, their fees and the payment status.
- `stock.py`: taking stock for an order and putting it back (cancel, return, edit, delete).
- `customer_stats.py`: a customer's order figures (orders, spent, owed).
- `counters.py`: orders per (status, payment status), kept on every flush.
- `order_rows.py`: the order row lock, timeline entries, item snapshots for signals.
- `settings.py`: zones, payment methods, default channel, order numbers, new-business
  defaults.
- `receivers.py`: how orders react to businesses' and customers' signals; the customer
  page's orders section.
- `parsing/`: reading a pasted customer message into order lines, contact and address.
- `web/`: blueprints, views, forms, CSV export, WhatsApp text (see its `__init__.py`).
Demo orders for `flask kyora demo` are in `kyora/demo/orders.py`.

It may import core, accounts, businesses, customers and inventory
(`kyora.inventory.services` and its models); never accounting, insights, billing or
storefront: they listen to `events.py` instead.
"""

from flask_babel import lazy_gettext as _l

from kyora.core import ui


def init_app(app) -> None:
    """Register the blueprints (with their views), connect the receivers, and add the
    nav item, settings tabs and customer-page section."""
    # Importing `counters` starts keeping the per-status order counts on every flush.
    from kyora.orders import counters, receivers, settings  # noqa: F401
    from kyora.orders.web import (  # noqa: F401  (importing a view module attaches its routes)
        entry_page,
        list_page,
        order_page,
        receipt,
        settings_pages,
        status_page,
    )
    from kyora.orders.web.blueprint import BLUEPRINTS

    receivers.connect()
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    ui.page_section(
        app,
        "customer.page",
        "orders/_customer_orders.html",
        permission=("view", "orders"),
        order=20,
        context=receivers.customer_page_orders,
    )
    ui.page_section(
        app,
        "business.home",
        "orders/_setup_delivery.html",
        permission=("edit", "settings"),
        order=10,
        context=settings.delivery_setup_prompt,
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
    # The order settings pages are business settings: "Settings" is the current nav item.
    ui.highlight_nav(app, "business.settings", "order_settings")
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
