"""Taking products and variants out of the catalog: archive (sold before) or delete.

A variant that took part in an order is only ever archived, so its sales stay
explainable; one that never sold can be deleted with its stock history.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.core.db import utcnow
from kyora.core.errors import Conflict
from kyora.core.mail import after_commit
from kyora.core.money import quantize
from kyora.core.storage import get_storage
from kyora.extensions import db
from kyora.inventory import events
from kyora.inventory.models import SALE_KINDS, Product, ProductPhoto, StockMovement, Variant
from kyora.inventory.photos import photo_keys
from kyora.inventory.queries import product_variants


def variants_with_sales(variant_ids) -> set[int]:
    """Which of `variant_ids` took part in an order (sold, cancelled or returned)."""
    ids = list(variant_ids)
    if not ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(StockMovement.variant_id)
            .where(StockMovement.variant_id.in_(ids), StockMovement.kind.in_(SALE_KINDS))
            .distinct()
        )
    )


def _value_of(business, variants) -> Decimal:
    """What the stock of `variants` is worth at average cost, in the currency."""
    total = sum((Decimal(v.stock) * v.avg_cost for v in variants), Decimal("0"))
    return quantize(total, business.currency)


def remove_variants(business, actor, variants: list[Variant]) -> list[str]:
    """Delete variants that never sold; archive the others (their sales stay explainable)."""
    if not variants:
        return []
    sold = variants_with_sales(v.id for v in variants)
    notices, deleted = [], []
    now = utcnow()
    for variant in variants:
        if variant.id in sold:
            variant.archived_at = now
            notices.append(
                _("%(name)s has sales, so it was archived instead of deleted.", name=variant.title)
            )
        else:
            deleted.append(variant)
    if deleted:
        events.variants_deleted.send(
            business, variant_ids=[v.id for v in deleted], value=_value_of(business, deleted)
        )
        for variant in deleted:
            _forget_photos_of_variant(variant)
            db.session.delete(variant)
    return notices


def _forget_photos_of_variant(variant: Variant) -> None:
    # Its photos stay with the product.
    db.session.execute(
        sa.update(ProductPhoto)
        .where(ProductPhoto.variant_id == variant.id)
        .values(variant_id=None)
        .execution_options(synchronize_session=False)
    )


def can_delete(product: Product) -> bool:
    """A product can be deleted for good only when none of its variants ever sold."""
    ids = db.session.scalars(sa.select(Variant.id).where(Variant.product_id == product.id)).all()
    return not variants_with_sales(ids)


def delete_product(business, actor, product: Product) -> None:
    """Delete a product that never sold, with its photos; refuse (Conflict) otherwise."""
    if not can_delete(product):
        raise Conflict(
            _("%(name)s has sales, so it can't be deleted. Archive it instead.", name=product.name)
        )
    keys = photo_keys(product)
    variants = list(db.session.scalars(sa.select(Variant).where(Variant.product_id == product.id)))
    events.variants_deleted.send(
        business, variant_ids=[v.id for v in variants], value=_value_of(business, variants)
    )
    db.session.delete(product)
    db.session.flush()
    storage = get_storage()
    after_commit(db.session(), lambda: [storage.delete(key) for key in keys])


def archive_product(business, actor, product: Product) -> None:
    """Hide a product from lists and order entry; its variants stop selling."""
    if product.archived_at is not None:
        return
    now = utcnow()
    product.archived_at = now
    for variant in product_variants(product, include_archived=False):
        variant.archived_at = now
    db.session.flush()


def unarchive_product(business, actor, product: Product) -> None:
    """Bring a product back with the variants that were archived along with it."""
    if product.archived_at is None:
        return
    variants = db.session.scalars(sa.select(Variant).where(Variant.product_id == product.id))
    for variant in variants:
        if variant.archived_at == product.archived_at:
            variant.archived_at = None
    product.archived_at = None
    db.session.flush()
