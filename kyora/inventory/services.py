"""The inventory domain's public API: what other domains (orders, customers, accounting,
the storefront) call. They import only this module, `models` and `events`.

Each name is defined in the module that owns its rules and re-exported here:

- Sales (`sales.py`): `take_stock` for a sale; a new order instead takes each line's
  `take_units` first and `record_sales` of those `Taken` units once it has its id.
- Stock (`stock.py`): `put_back_stock` after a cancel or return, `restock`,
  `adjust_stock`, `set_threshold`, `set_default_threshold`, `change_cost`,
  `stock_value`, `ledger_total`; `average_cost_of` (`costing.py`) values units at the
  cost they left at.
- Catalog (`catalog.py`, `drafts.py`): `create_product` and `update_product` from a
  `ProductDraft`, `list_categories`, `get_or_create_category`.
- Taking things out (`archive.py`): `archive_product`, `unarchive_product`,
  `can_delete`, `delete_product`, `remove_variants`.
- Lookups (`lookups.py`): `search_variants` for order entry, `get_variants` by id,
  `catalog_entries` for reading customers' messages.
- Reads (`queries.py`): `low_stock_variants`, `low_stock_counts`.
- Photos (`photos.py`): `list_photos`; `PreparedPhoto` is what a draft's photos hold.
"""

from __future__ import annotations

from kyora.inventory.archive import (
    archive_product,
    can_delete,
    delete_product,
    remove_variants,
    unarchive_product,
)
from kyora.inventory.catalog import (
    create_product,
    get_or_create_category,
    list_categories,
    update_product,
)
from kyora.inventory.costing import average_cost_of
from kyora.inventory.drafts import ProductDraft, VariantDraft
from kyora.inventory.lookups import catalog_entries, get_variants, search_variants
from kyora.inventory.photos import PreparedPhoto, list_photos, prepare_image
from kyora.inventory.queries import low_stock_counts, low_stock_variants
from kyora.inventory.sales import Taken, record_sales, take_stock, take_units
from kyora.inventory.stock import (
    adjust_stock,
    change_cost,
    ledger_total,
    put_back_stock,
    restock,
    set_default_threshold,
    set_threshold,
    stock_value,
)

__all__ = [
    "PreparedPhoto",
    "prepare_image",
    "ProductDraft",
    "Taken",
    "VariantDraft",
    "adjust_stock",
    "archive_product",
    "average_cost_of",
    "can_delete",
    "catalog_entries",
    "change_cost",
    "create_product",
    "delete_product",
    "get_or_create_category",
    "get_variants",
    "ledger_total",
    "list_categories",
    "list_photos",
    "low_stock_counts",
    "low_stock_variants",
    "put_back_stock",
    "record_sales",
    "remove_variants",
    "restock",
    "search_variants",
    "set_default_threshold",
    "set_threshold",
    "stock_value",
    "take_stock",
    "take_units",
    "unarchive_product",
    "update_product",
]
