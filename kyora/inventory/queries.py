"""Reads for the product pages, as SQL aggregates with a fixed number of queries.

Stock status of a product, from its active variants: "out" when all of them are
at 0, "low" when any is at or below its threshold (or out), else "in". The products
list reads it, with the units and lowest price, as kept on the product row
(summary.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager

from kyora.accounts.models import User
from kyora.core.db import Money, contains_text
from kyora.extensions import db
from kyora.inventory.models import (
    IN_STOCK,
    LOW,
    OUT,
    Category,
    Product,
    ProductPhoto,
    StockMovement,
    Variant,
)

PER_PAGE = 24
HISTORY_PER_PAGE = 50
SORTS = ("name", "stock", "price", "newest")
STATUSES = ("all", IN_STOCK, LOW, OUT, "archived")


@dataclass
class ProductFilters:
    q: str = ""
    category_id: int | None = None
    status: str = "all"
    sort: str = "name"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> ProductFilters:
        status = args.get("stock", "all")
        sort = args.get("sort", "name")
        try:
            category_id = int(args.get("category") or 0) or None
        except ValueError:
            category_id = None
        try:
            page = max(1, int(args.get("page") or 1))
        except ValueError:
            page = 1
        return cls(
            q=(args.get("q") or "").strip()[:100],
            category_id=category_id,
            status=status if status in STATUSES else "all",
            sort=sort if sort in SORTS else "name",
            page=page,
        )

    def args(self, **changes) -> dict:
        """Query-string arguments of these filters, with `changes` applied."""
        values = {
            "q": self.q,
            "category": self.category_id,
            "stock": self.status,
            "sort": self.sort,
            "page": self.page,
            **changes,
        }
        defaults = {"q": "", "category": None, "stock": "all", "sort": "name", "page": 1}
        return {k: v for k, v in values.items() if v != defaults.get(k) and v is not None}


@dataclass
class ProductPage:
    rows: list
    counts: dict[str, int]
    total: int
    page: int
    pages: int


def threshold_expr(business):
    """SQL: the low-stock threshold in force for a variant row."""
    return sa.func.coalesce(Variant.low_stock_threshold, business.low_stock_threshold)


def variant_status_expr(business):
    """SQL: the stock status of a variant row."""
    return sa.case(
        (Variant.stock <= 0, OUT),
        (Variant.stock <= threshold_expr(business), LOW),
        else_=IN_STOCK,
    )


def _variant_stats(business, products):
    """Per product of `products` (a SELECT of ids): active variants, units, prices, how
    many are low or out."""
    active = Variant.archived_at.is_(None)
    threshold = threshold_expr(business)

    def count_if(condition):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    return (
        sa.select(
            Variant.product_id.label("product_id"),
            count_if(active).label("variants"),
            sa.func.coalesce(sa.func.sum(sa.case((active, Variant.stock), else_=0)), 0).label(
                "stock"
            ),
            sa.func.min(sa.case((active, Variant.price))).label("min_price"),
            sa.func.max(sa.case((active, Variant.price))).label("max_price"),
            count_if(active & (Variant.stock <= 0)).label("out"),
            count_if(active & (Variant.stock > 0) & (Variant.stock <= threshold)).label("low"),
            sa.func.min(Variant.sku).label("sku"),
        )
        # `products` are the business's own: their variants are found through
        # (product_id), never by reading every variant of the business.
        .where(Variant.product_id.in_(products))
        .group_by(Variant.product_id)
        .subquery("stats")
    )


def _search(query, business, filters: ProductFilters):
    if filters.category_id:
        query = query.where(Product.category_id == filters.category_id)
    words = filters.q.split()[:6]
    if words:
        query = query.outerjoin(Category, Category.id == Product.category_id)
    for word in words:
        # The variants matching a word are found in one pass over the business's
        # variants, not once per product.
        sku_match = sa.select(Variant.product_id).where(
            Variant.business_id == business.id,
            sa.or_(contains_text(Variant.sku, word), contains_text(Variant.options_label, word)),
        )
        query = query.where(
            sa.or_(
                contains_text(Product.name, word),
                contains_text(Category.name, word),
                Product.id.in_(sku_match),
            )
        )
    return query


def _status():
    """SQL: a product's status on the list ("archived", or its kept stock status)."""
    return sa.case((Product.archived_at.is_not(None), "archived"), else_=Product.stock_status)


def _counts(business, filters: ProductFilters) -> dict[str, int]:
    """Products per stock status (and archived) among those the search matches: one
    statement, counted from the kept status (inventory/summary.py)."""
    status = _status()
    if filters.q.split():
        # A search reads each product once anyway: one pass counts every status.
        query = _search(
            sa.select(status, sa.func.count())
            .select_from(Product)
            .where(Product.business_id == business.id)
            .group_by(status),
            business,
            filters,
        )
    else:
        # Without one, each part is a range of the status index.
        def part(*columns):
            query = sa.select(*columns).where(Product.business_id == business.id)
            return _search(query, business, filters)

        query = sa.union_all(
            part(Product.stock_status, sa.func.count())
            .where(Product.archived_at.is_(None))
            .group_by(Product.stock_status),
            part(sa.literal("archived"), sa.func.count()).where(Product.archived_at.is_not(None)),
        )
    counts = {key: 0 for key in STATUSES}
    for key, number in db.session.execute(query):
        counts[key] = number
    counts["all"] = counts[IN_STOCK] + counts[LOW] + counts[OUT]
    return counts


def list_products(business, filters: ProductFilters, per_page: int = PER_PAGE) -> ProductPage:
    """One page of products with their stock figures, and counts per stock status.

    Two statements whatever the catalog size (one when nothing matches): the counts,
    which also give the total, and the page. The page's products are chosen by the
    figures kept on the product row (status, units, lowest price) through their
    indexes; their variants are summed for those products alone.
    """
    counts = _counts(business, filters)
    total = counts[filters.status]
    pages = max(1, math.ceil(total / per_page))
    page = min(filters.page, pages)
    if not total:
        return ProductPage(rows=[], counts=counts, total=0, page=1, pages=1)

    by_name = (Product.sort_name, Product.id)
    order = {
        "name": by_name,
        "stock": (Product.stock_units, *by_name),
        "price": (Product.min_price, *by_name),
        "newest": (Product.created_at.desc(), Product.id.desc()),
    }[filters.sort]
    on_page = _search(
        sa.select(Product.id).where(Product.business_id == business.id), business, filters
    )
    if filters.status == "archived":
        on_page = on_page.where(Product.archived_at.is_not(None))
    else:
        on_page = on_page.where(Product.archived_at.is_(None))
        if filters.status != "all":
            on_page = on_page.where(Product.stock_status == filters.status)
    on_page = on_page.order_by(*order).limit(per_page).offset((page - 1) * per_page)
    # Named once (a CTE), so the search behind it runs once, for the sums and the rows.
    page_ids = on_page.cte("page")

    stats = _variant_stats(business, sa.select(page_ids.c.id))
    thumb = (
        sa.select(ProductPhoto.thumb_key)
        .where(ProductPhoto.product_id == Product.id)
        .order_by(ProductPhoto.position, ProductPhoto.id)
        .limit(1)
        .correlate(Product)
        .scalar_subquery()
    )
    query = (
        sa.select(
            Product,
            Category.name.label("category_name"),
            sa.func.coalesce(stats.c.variants, 0).label("variants"),
            sa.func.coalesce(stats.c.stock, 0).label("stock"),
            sa.type_coerce(stats.c.min_price, Money()).label("min_price"),
            sa.type_coerce(stats.c.max_price, Money()).label("max_price"),
            sa.func.coalesce(stats.c.low, 0).label("low"),
            sa.func.coalesce(stats.c.out, 0).label("out"),
            stats.c.sku.label("sku"),
            _status().label("status"),
            thumb.label("thumb_key"),
        )
        .select_from(page_ids)
        # The page's 24 products by their key (an IN would walk the sort index).
        .join(Product, Product.id == page_ids.c.id)
        .join(stats, stats.c.product_id == Product.id, isouter=True)
        .join(Category, Category.id == Product.category_id, isouter=True)
        .order_by(*order)
    )
    rows = db.session.execute(query).all()
    return ProductPage(rows=rows, counts=counts, total=total, page=page, pages=pages)


def product_variants(product: Product, include_archived: bool = True) -> list[Variant]:
    """The product's variants in table order, archived ones last."""
    query = sa.select(Variant).where(Variant.product_id == product.id)
    if not include_archived:
        query = query.where(Variant.archived_at.is_(None))
    return list(
        db.session.scalars(
            query.order_by(Variant.archived_at.is_not(None), Variant.position, Variant.id)
        )
    )


@dataclass
class HistoryPage:
    rows: list
    page: int
    has_more: bool


def stock_history(
    business, product: Product, variant_id: int | None = None, page: int = 1
) -> HistoryPage:
    """The product's movements, newest first, with variant label and who did it."""
    query = (
        sa.select(
            StockMovement,
            Variant.options_label.label("variant_label"),
            User.name.label("actor_name"),
        )
        .join(Variant, Variant.id == StockMovement.variant_id)
        .join(User, User.id == StockMovement.actor_id, isouter=True)
        .where(StockMovement.business_id == business.id, Variant.product_id == product.id)
    )
    if variant_id:
        query = query.where(StockMovement.variant_id == variant_id)
    page = max(1, page)
    rows = db.session.execute(
        query.order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
        .limit(HISTORY_PER_PAGE + 1)
        .offset((page - 1) * HISTORY_PER_PAGE)
    ).all()
    return HistoryPage(
        rows=rows[:HISTORY_PER_PAGE], page=page, has_more=len(rows) > HISTORY_PER_PAGE
    )


def low_stock_variants(business, limit: int = 20) -> list[Variant]:
    """Active variants that are low or out, emptiest first (for the dashboard)."""
    query = (
        sa.select(Variant)
        .join(Variant.product)
        .options(contains_eager(Variant.product))
        .where(
            Variant.business_id == business.id,
            Variant.archived_at.is_(None),
            Product.archived_at.is_(None),
            Variant.stock <= threshold_expr(business),
        )
        .order_by(Variant.stock, Product.name)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def low_stock_counts(business) -> dict[str, int]:
    """How many active variants are low and how many are out."""
    status = variant_status_expr(business)
    rows = db.session.execute(
        sa.select(status, sa.func.count())
        .join(Product, Product.id == Variant.product_id)
        .where(
            Variant.business_id == business.id,
            Variant.archived_at.is_(None),
            Product.archived_at.is_(None),
        )
        .group_by(status)
    ).all()
    counts = {IN_STOCK: 0, LOW: 0, OUT: 0}
    counts.update({key: number for key, number in rows})
    return counts
