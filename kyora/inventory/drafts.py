"""What the catalog services are asked to save: a product draft with its variant rows.

The product form, a CSV import and the demo data all describe a product this way;
`catalog.create_product` and `catalog.update_product` check and write it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class VariantDraft:
    """One row of the variants table (or the single row of a simple product)."""

    id: int | None = None
    options: list[str] = field(default_factory=list)
    sku: str = ""
    price: Decimal | None = None
    cost: Decimal | None = None
    stock: int | None = None  # opening stock: new variants only
    threshold: int | None = None
    remove: bool = False


@dataclass
class ProductDraft:
    """What a product should look like after saving."""

    name: str = ""
    description: str = ""
    category_id: int | None = None
    new_category: str = ""
    option_names: list[str] = field(default_factory=list)
    variants: list[VariantDraft] = field(default_factory=list)
    photos: list = field(default_factory=list)  # prepared uploads (kyora.inventory.photos)
