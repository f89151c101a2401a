"""The catalog as CSV rows: every active variant, with cost and value for who may see them."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.core.money import quantize
from kyora.extensions import db
from kyora.inventory.costing import plain_amount
from kyora.inventory.csv.columns import column_labels, format_options
from kyora.inventory.models import Category, Product, Variant, stock_status


def export_rows(business, include_costs: bool):
    """Header and rows of the catalog export (active products, one row per variant)."""
    labels = column_labels()
    keys = ["name", "category", "options", "sku", "price"]
    keys += ["cost"] if include_costs else []
    keys += ["stock", "threshold"]
    keys += ["value"] if include_costs else []
    keys += ["status"]
    status_words = {"in": _("In stock"), "low": _("Low stock"), "out": _("Out of stock")}
    query = (
        sa.select(Variant, Product.name, Product.option_names, Category.name)
        .join(Product, Product.id == Variant.product_id)
        .join(Category, Category.id == Product.category_id, isouter=True)
        .where(
            Variant.business_id == business.id,
            Variant.archived_at.is_(None),
            Product.archived_at.is_(None),
        )
        .order_by(Product.sort_name, Product.id, Variant.position, Variant.id)
    )
    currency = business.currency

    def rows():
        for variant, name, option_names, category in db.session.execute(query):
            threshold = variant.threshold(business.low_stock_threshold)
            values = {
                "name": name,
                "category": category or "",
                "options": format_options(option_names or [], variant.option_values or []),
                "sku": variant.sku,
                "price": quantize(variant.price, currency),
                "cost": plain_amount(variant.avg_cost, currency),
                "stock": variant.stock,
                "threshold": ""
                if variant.low_stock_threshold is None
                else variant.low_stock_threshold,
                "value": quantize(variant.stock * variant.avg_cost, currency),
                "status": status_words[stock_status(variant.stock, threshold)],
            }
            yield [values[key] for key in keys]

    return [labels[key] for key in keys], rows()
