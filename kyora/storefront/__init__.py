"""Storefront: the business's public shop, ending in a WhatsApp message to the seller.

May import: core, businesses, customers, inventory, orders (their services/models/
events), and accounts (the people told about a new order); never accounting,
insights or billing.

Shop pages live under `/s/<handle>`, not `/<handle>`: a shop address can then never
shadow one of the app's own top-level paths (`/login`, `/b`, `/static`, ...), today's
or tomorrow's, and the reserved-handle list only has to keep handles readable.

Where things are:
- models.py      the shop settings row (about text, categories shown, contact
                 buttons, the catalog version); open/closed and colours are columns
                 of the business
- settings.py    reading and saving the shop settings; finding an open shop
- catalog.py     what the shop shows (cached per shop); freshness.py bumps the
                 catalog version when products, photos, categories or stock change
- cart.py        the cart in a signed cookie, with its caps
- checkout.py    the cart priced, and placed as a pending `storefront` order
- handoff.py     the WhatsApp message, its wa.me link and QR code
- notify.py      the seller's email and the "new from your shop" badge
- web/           the shop pages, the cart and checkout, the settings tab
"""

from flask_babel import lazy_gettext as _l

from kyora.core import ui


def init_app(app) -> None:
    """Register the shop and settings pages, listen to catalog changes, add the
    settings tab and the orders-list badge."""
    from kyora.storefront import freshness, notify
    from kyora.storefront.web import (  # noqa: F401  (importing a view module attaches its routes)
        views_cart,
        views_placed,
        views_settings,
        views_shop,
    )
    from kyora.storefront.web.blueprint import BLUEPRINTS

    freshness.connect()
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    ui.highlight_nav(app, "business.settings", "storefront_settings")
    ui.settings_tab(
        app,
        "storefront_settings.edit",
        _l("Online shop"),
        permission=("view", "settings"),
        order=50,
        key="shop",
    )
    ui.row_detail(
        app,
        "orders.list",
        "storefront/_new_badge.html",
        permission=("view", "orders"),
        order=10,
        context=notify.new_shop_orders,
    )
