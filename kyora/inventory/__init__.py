"""Catalog and inventory: products and their variants, the stock ledger, photos, CSV
import and export, and low-stock alerts.

Where things are:

- `services.py`: the public API other domains call (orders, customers, accounting,
  the storefront); it re-exports what they need from the modules below.
- `models.py`: Category, Product, Variant, StockMovement, ProductPhoto; stock statuses.
- `events.py`: signals other domains listen to (stock purchased, adjusted, changed;
  variants deleted).
- `stock.py`: the stock ledger: `put_back_stock`, `restock`, `adjust_stock`, opening
  stock, cost changes, thresholds, stock value.
- `sales.py`: taking stock for a sale (one conditional UPDATE, never below zero) and
  its movements: `take_stock`, or `take_units` then `record_sales` for a new order.
- `costing.py`: pure arithmetic: the weighted average cost after a purchase, the mean
  cost of units sold, amounts shown without needless decimals.
- `catalog.py`: creating and editing a product with its variants from a draft, and
  checking it; categories.
- `drafts.py`: `ProductDraft` and `VariantDraft`, what the catalog is asked to save.
- `skus.py`: SKU cleaning and the SKUs generated for rows left without one.
- `parsing.py`: amounts and counts typed by a seller (form fields, CSV cells).
- `archive.py`: archiving (products with sales) and deleting (products that never sold).
- `photos.py`: checking, encoding, storing, ordering and deleting product photos.
- `summary.py`: each product's stock status, units and lowest price, kept on its row
  in the same transaction as any change to its variants (for the products list).
- `queries.py`: reads for the product pages (list with filters and counts, stock
  history, low-stock lists).
- `lookups.py`: sellable variants for order entry and for reading customers' messages.
- `digest.py`: the low-stock digest email, sent by a periodic job every morning
  (06:00 UTC) to owners and admins; `init_app` registers the job.
- `csv/`: CSV import (read, plan, apply) and export.
- `web/`: the blueprint (`web/blueprint.py`), the pages and their forms.
- The demo catalog of `flask kyora demo` is in `kyora/demo/inventory.py`.

May import: `kyora.core`, `kyora.accounts` and `kyora.businesses` only; never customers,
orders, accounting, insights, billing or storefront (they react to `events.py`).
"""

from flask_babel import lazy_gettext as _l

from kyora.core import ui


def init_app(app) -> None:
    """Register the inventory pages, the low-stock digest job and the shared-screen entries."""
    # Each view module adds its routes to the blueprint as it is imported.
    from kyora.inventory.web import (  # noqa: F401
        import_export,
        live_checks,
        photos,
        products,
        stock,
    )
    from kyora.inventory.web.blueprint import bp

    app.register_blueprint(bp)
    from kyora.inventory import summary

    summary.connect()
    # The periodic low-stock digest job: `@periodic` puts it on the queue's schedule
    # when its module is imported (once per process, however many apps are created).
    from kyora.inventory import digest  # noqa: F401

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
