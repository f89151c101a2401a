"""Finding sellable variants for other screens: the order-entry search, variants by
id, and the whole sellable catalog as plain entries for reading customers' messages."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from kyora.core.db import contains_text
from kyora.extensions import db
from kyora.inventory.models import Product, Variant


def _sellable(business):
    return (
        sa.select(Variant)
        .join(Variant.product)
        .options(contains_eager(Variant.product))
        .where(
            Variant.business_id == business.id,
            Variant.archived_at.is_(None),
            Product.archived_at.is_(None),
        )
    )


def search_variants(business, text: str, limit: int = 10) -> list[Variant]:
    """Sellable variants matching every word of `text` in the product name, the option
    values or the SKU, with their product loaded (one query). An exact SKU comes first."""
    words = (text or "").split()
    query = _sellable(business)
    for word in words[:6]:
        query = query.where(
            sa.or_(
                contains_text(Product.name, word),
                contains_text(Variant.options_label, word),
                contains_text(Variant.sku, word),
            )
        )
    exact = sa.case((Variant.sku == (text or "").strip().upper(), 0), else_=1)
    query = query.order_by(exact, Product.sort_name, Variant.position, Variant.id).limit(
        max(1, min(int(limit), 50))
    )
    return list(db.session.scalars(query))


def get_variants(business, variant_ids) -> dict[int, Variant]:
    """Variants of the business by id (archived ones included), with their product."""
    ids = [int(i) for i in variant_ids]
    if not ids:
        return {}
    query = (
        sa.select(Variant)
        .join(Variant.product)
        .options(contains_eager(Variant.product))
        .where(Variant.business_id == business.id, Variant.id.in_(ids))
    )
    return {variant.id: variant for variant in db.session.scalars(query)}


def catalog_entries(business) -> list[dict]:
    """Every sellable variant as a plain dict, for matching words in a customer's message."""
    rows = db.session.execute(
        sa.select(
            Variant.id,
            Product.name,
            Variant.option_values,
            Variant.sku,
            Variant.price,
            Variant.stock,
        )
        .join(Product, Product.id == Variant.product_id)
        .where(
            Variant.business_id == business.id,
            Variant.archived_at.is_(None),
            Product.archived_at.is_(None),
        )
        .order_by(Product.name, Variant.position, Variant.id)
    ).all()
    return [
        {
            "variant_id": row.id,
            "product_name": row.name,
            "option_values": list(row.option_values or []),
            "sku": row.sku,
            "price": row.price,
            "stock": row.stock,
        }
        for row in rows
    ]
