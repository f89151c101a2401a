"""Each product's stock at a glance, kept on its row: `stock_status` ("in", "low" or
"out", from its active variants by the rule in queries.py), `stock_units` (the units of
its active variants) and `min_price` (their lowest price).

The products list counts, filters and sorts a large catalog by these columns through
indexes, instead of summing every variant of the catalog on every request.

They are worked out again, in SQL from the variants, in the same transaction as any
change that can move them. An SQLAlchemy `after_flush` hook sees variants added,
deleted or changed (stock, price, threshold, archiving) and a new business-wide
threshold, so no service has to remember to. The `stock_changed` signal names the
variants a sale took with its conditional UPDATE, which the ORM never sees; they are
worked out at the flush that writes the sale's movements. Rows written around the
session (benchmark data) are worked out with `refresh_business()`; `differences()`
says where the kept figures and the variants disagree.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from kyora.businesses.models import Business
from kyora.extensions import db
from kyora.inventory import events
from kyora.inventory.models import IN_STOCK, LOW, OUT, Product, Variant

COLUMNS = ("stock_status", "stock_units", "min_price")
# Variant columns the figures depend on.
WATCHED = ("stock", "price", "low_stock_threshold", "archived_at", "product_id")
# Products per UPDATE (a statement's parameters are bounded on SQLite).
BATCH = 500
_PENDING = "kyora.stock_summary.pending"
_STALE = "kyora.stock_summary.stale"


def figures() -> dict:
    """SQL for each kept column, correlated to the `product` row."""
    active = sa.and_(Variant.product_id == Product.id, Variant.archived_at.is_(None))
    default = (
        sa.select(Business.low_stock_threshold)
        .where(Business.id == Product.business_id)
        .correlate(Product)
        .scalar_subquery()
    )
    threshold = sa.func.coalesce(Variant.low_stock_threshold, default)

    def any_active(*conditions):
        return sa.exists().where(active, *conditions)

    return {
        "stock_status": sa.case(
            (any_active() & ~any_active(Variant.stock > 0), OUT),
            (any_active((Variant.stock <= 0) | (Variant.stock <= threshold)), LOW),
            else_=IN_STOCK,
        ),
        "stock_units": sa.select(sa.func.coalesce(sa.func.sum(Variant.stock), 0))
        .where(active)
        .scalar_subquery(),
        "min_price": sa.select(sa.func.min(Variant.price)).where(active).scalar_subquery(),
    }


def _refresh(connection, condition) -> None:
    connection.execute(
        sa.update(Product)
        .where(condition)
        # Kept figures are not an edit: `updated_at` stays as it was.
        .values({**figures(), "updated_at": Product.updated_at})
        .execution_options(synchronize_session=False)
    )


def refresh(connection, product_ids) -> None:
    """Work out the figures of these products again."""
    ids = sorted({int(i) for i in product_ids if i})
    for start in range(0, len(ids), BATCH):
        _refresh(connection, Product.id.in_(ids[start : start + BATCH]))


def refresh_business(business) -> None:
    """Work out the figures of every product of the business again."""
    _refresh(db.session.connection(), Product.business_id == business.id)
    _expire(db.session(), {("business", business.id)})


def _changed(obj, names) -> bool:
    attrs = sa.inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names)


def _pending(session: Session) -> set:
    return session.info.setdefault(_PENDING, set())


def _stale(session: Session) -> set:
    return session.info.setdefault(_STALE, set())


def _after_flush(session: Session, _context) -> None:
    # The session still shows what was flushed (new, dirty, deleted, history).
    products = _pending(session)
    businesses = set()
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, Variant):
            products.add(obj.product_id)
    for obj in session.dirty:
        if isinstance(obj, Variant) and _changed(obj, WATCHED):
            products.add(obj.product_id)
            old = sa.inspect(obj).attrs.product_id.history.deleted
            products.update(old)
        elif isinstance(obj, Business) and _changed(obj, ("low_stock_threshold",)):
            businesses.add(obj.id)
    products.discard(None)
    if not products and not businesses:
        return
    connection = session.connection()
    for business_id in sorted(businesses):
        _refresh(connection, Product.business_id == business_id)
    refresh(connection, products)
    stale = _stale(session)
    stale.update(("product", i) for i in products)
    stale.update(("business", i) for i in businesses)
    products.clear()


def _after_flush_postexec(session: Session, _context) -> None:
    """Products loaded in the session read their new figures on next use."""
    stale = session.info.pop(_STALE, None)
    if stale:
        _expire(session, stale)


def _expire(session: Session, stale: set) -> None:
    """Loaded products of `stale` (("product", id) or ("business", id)) forget their
    figures; products are found by key, the session is walked only for a business."""
    businesses = {key for kind, key in stale if kind == "business"}
    keys = (identity_key(Product, key) for kind, key in stale if kind == "product")
    loaded = {obj for obj in map(session.identity_map.get, keys) if obj is not None}
    if businesses:
        loaded.update(
            obj
            for obj in session.identity_map.values()
            if isinstance(obj, Product) and obj.business_id in businesses
        )
    for obj in loaded:
        session.expire(obj, COLUMNS)


def _on_stock(_business, variant=None, **_kwargs) -> None:
    if variant is not None:
        _pending(db.session()).add(variant.product_id)


def differences(business) -> list[str]:
    """Products whose kept figures differ from their variants (empty when all agree)."""
    worked_out = figures()
    rows = db.session.execute(
        sa.select(
            Product.id,
            *(getattr(Product, name) for name in COLUMNS),
            *(worked_out[name].label(f"actual_{name}") for name in COLUMNS),
        ).where(Product.business_id == business.id)
    )
    problems = []
    for row in rows:
        for name in COLUMNS:
            kept, actual = getattr(row, name), getattr(row, f"actual_{name}")
            if kept != actual:
                problems.append(
                    f"product {row.id}: {name} is {kept!r}, its variants say {actual!r}"
                )
    return problems


def connect() -> None:
    """Keep the figures (once per process, whatever the number of apps)."""
    if not sa.event.contains(Session, "after_flush", _after_flush):
        sa.event.listen(Session, "after_flush", _after_flush)
        sa.event.listen(Session, "after_flush_postexec", _after_flush_postexec)
    events.stock_changed.connect(_on_stock, weak=False)
