"""Knowing when a shop's cached catalog is stale: a version number per shop, bumped
in the same transaction as any change to its products, variants, photos, categories
or stock.

Two sources feed it. Stock moves are announced by the inventory domain's signals
(`stock_changed`, `variants_deleted`); a sale takes stock with one conditional
UPDATE, which the ORM never sees. Everything else a seller edits (names, prices,
photos, archiving, categories) is an ORM change, caught when the session flushes,
so no catalog service has to remember to announce it.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kyora.businesses.models import Business
from kyora.core.db import transaction_memo
from kyora.extensions import db
from kyora.inventory import events as inventory_events
from kyora.inventory.models import Category, Product, ProductPhoto, Variant
from kyora.storefront.models import StorefrontSettings

WATCHED = (Product, Variant, ProductPhoto, Category)


def bump(connection, business_ids) -> None:
    """Mark the catalogs of these businesses as changed."""
    ids = sorted({int(i) for i in business_ids if i})
    if ids:
        connection.execute(
            sa.update(StorefrontSettings)
            .where(StorefrontSettings.business_id.in_(ids))
            .values(catalog_version=StorefrontSettings.catalog_version + 1)
            .execution_options(synchronize_session=False)
        )


def _changed_businesses(session: Session) -> set[int]:
    found = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, WATCHED):
            found.add(obj.business_id)
        elif isinstance(obj, Business):
            # The name, colours, VAT and currency are shown beside the catalog.
            found.add(obj.id)
    return found


def _after_flush(session: Session, _context) -> None:
    ids = _changed_businesses(session)
    if ids:
        bump(session.connection(), ids)


def _on_stock(business, **_kwargs) -> None:
    """One bump per shop and transaction is enough: an order of three lines moves stock
    three times, and a shop only needs to see that its version changed."""
    bumped = transaction_memo(db.session(), "kyora.catalog_bumped")
    if business.id not in bumped:
        bump(db.session.connection(), [business.id])
        bumped[business.id] = True


def connect() -> None:
    """Listen to catalog changes (once per process, whatever the number of apps)."""
    if not sa.event.contains(Session, "after_flush", _after_flush):
        sa.event.listen(Session, "after_flush", _after_flush)
    inventory_events.stock_changed.connect(_on_stock, weak=False)
    inventory_events.variants_deleted.connect(_on_stock, weak=False)
