"""What the shop shows: its categories, product cards, one product with its variants.

The home's product cards are read with two queries (products with their price range
and stock; their cover photos) and kept in memory per business, keyed by the shop's
catalog version (`freshness.py`), so a busy shop reads its catalog once per change
instead of once per visit. Cards hold plain values, never ORM objects, so they are
safe to share between requests and threads.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from kyora.extensions import db
from kyora.inventory.models import Category, Product, ProductPhoto, Variant
from kyora.storefront.models import StorefrontSettings

PAGE_SIZE = 48
CACHE_SIZE = 200


@dataclass(frozen=True)
class Photo:
    image_key: str
    thumb_key: str
    width: int
    height: int


@dataclass(frozen=True)
class Card:
    """A product in the grid: its price range, whether any of it is left, its cover."""

    id: int
    name: str
    category_id: int | None
    price_min: Decimal
    price_max: Decimal
    in_stock: bool
    photo: Photo | None


@dataclass(frozen=True)
class Shelf:
    """The shop's catalog at one version: categories shown and every product card."""

    version: int
    categories: tuple[tuple[int, str], ...]
    cards: tuple[Card, ...]

    def in_category(self, category_id: int | None) -> tuple[Card, ...]:
        if category_id is None:
            return self.cards
        return tuple(card for card in self.cards if card.category_id == category_id)


_cache: dict[int, Shelf] = {}
_lock = threading.Lock()


def _visible(settings: StorefrontSettings, statement, column, uncategorised: bool = True):
    """`statement` limited to the shown categories (products without one always show)."""
    if settings.shown_category_ids is None:
        return statement
    shown = column.in_(settings.shown_category_ids or [-1])
    return statement.where(sa.or_(shown, column.is_(None)) if uncategorised else shown)


def _read_shelf(business, settings: StorefrontSettings) -> Shelf:
    stock = sa.func.sum(sa.case((Variant.stock > 0, 1), else_=0))
    rows = db.session.execute(
        _visible(
            settings,
            sa.select(
                Product.id,
                Product.name,
                Product.category_id,
                sa.func.min(Variant.price).label("price_min"),
                sa.func.max(Variant.price).label("price_max"),
                stock.label("in_stock"),
            )
            .join(Variant, Variant.product_id == Product.id)
            .where(
                Product.business_id == business.id,
                Product.archived_at.is_(None),
                Variant.archived_at.is_(None),
            )
            .group_by(Product.id, Product.name, Product.category_id)
            .order_by(Product.created_at.desc(), Product.id.desc()),
            Product.category_id,
        )
    ).all()
    covers: dict[int, Photo] = {}
    if rows:
        first = (
            sa.select(
                ProductPhoto.product_id,
                sa.func.min(ProductPhoto.position * 100000 + ProductPhoto.id).label("rank"),
            )
            .where(ProductPhoto.business_id == business.id)
            .group_by(ProductPhoto.product_id)
            .subquery()
        )
        photos = db.session.execute(
            sa.select(ProductPhoto).join(
                first,
                sa.and_(
                    first.c.product_id == ProductPhoto.product_id,
                    first.c.rank == ProductPhoto.position * 100000 + ProductPhoto.id,
                ),
            )
        ).scalars()
        for photo in photos:
            covers[photo.product_id] = Photo(
                photo.image_key, photo.thumb_key, photo.width, photo.height
            )
    categories = db.session.execute(
        _visible(
            settings,
            sa.select(Category.id, Category.name)
            .where(Category.business_id == business.id)
            .order_by(Category.name),
            Category.id,
            uncategorised=False,
        )
    ).all()
    used = {row.category_id for row in rows}
    cards = tuple(
        Card(
            row.id,
            row.name,
            row.category_id,
            Decimal(row.price_min),
            Decimal(row.price_max),
            bool(row.in_stock),
            covers.get(row.id),
        )
        for row in rows
    )
    shown = tuple((row.id, row.name) for row in categories if row.id in used)
    return Shelf(settings.catalog_version, shown, cards)


def shelf(business, settings: StorefrontSettings) -> Shelf:
    """The shop's catalog, from memory while its version is current (a shop whose
    settings were never saved has no version to check, so it is read each time)."""
    if settings.id is None:
        return _read_shelf(business, settings)
    cached = _cache.get(business.id)
    if cached is not None and cached.version == settings.catalog_version:
        return cached
    fresh = _read_shelf(business, settings)
    with _lock:
        if len(_cache) >= CACHE_SIZE and business.id not in _cache:
            _cache.pop(next(iter(_cache)))
        _cache[business.id] = fresh
    return fresh


def clear_cache() -> None:
    """Forget every cached catalog (tests, and the benchmark's cold runs)."""
    with _lock:
        _cache.clear()


def get_product(business, settings: StorefrontSettings, product_id: int) -> Product | None:
    """A product the shop shows (not archived, in a shown category), or None."""
    product = db.session.scalar(
        sa.select(Product).where(
            Product.id == product_id,
            Product.business_id == business.id,
            Product.archived_at.is_(None),
        )
    )
    if product is None or not settings.shows_category(product.category_id):
        return None
    return product


def product_variants(product: Product) -> list[Variant]:
    """The variants a shopper may pick, in the seller's order (sold-out ones included)."""
    return [variant for variant in product.variants if not variant.archived]


def product_photos(product: Product) -> list[ProductPhoto]:
    return list(
        db.session.scalars(
            sa.select(ProductPhoto)
            .where(ProductPhoto.product_id == product.id)
            .order_by(ProductPhoto.position, ProductPhoto.id)
        )
    )


def cart_variants(
    business, settings: StorefrontSettings, ids, fresh: bool = False
) -> dict[int, Variant]:
    """The cart's variants that can still be bought here (one query), by id; `fresh`
    re-reads the stock of variants this session already loaded."""
    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Variant)
        .join(Product, Product.id == Variant.product_id)
        .where(
            Variant.business_id == business.id,
            Variant.id.in_(ids),
            Variant.archived_at.is_(None),
            Product.archived_at.is_(None),
        )
        .options(sa.orm.contains_eager(Variant.product))
        .execution_options(populate_existing=fresh)
    )
    return {v.id: v for v in rows if settings.shows_category(v.product.category_id)}


def sitemap_entries(business, settings: StorefrontSettings) -> list[tuple[int, object]]:
    """(product id, last change) of every product the shop shows."""
    statement = _visible(
        settings,
        sa.select(Product.id, Product.updated_at).where(
            Product.business_id == business.id, Product.archived_at.is_(None)
        ),
        Product.category_id,
    )
    return [(row.id, row.updated_at) for row in db.session.execute(statement.order_by(Product.id))]
