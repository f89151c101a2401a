"""Catalog and stock ledger: categories, products, variants, stock movements, photos.

A product always has at least one variant; a "simple" product is a product with
one variant and no option names. Stock lives on the variant and every change to
it is a `StockMovement` row, so stock on hand always equals the sum of the
variant's movements and "why do I have 3?" has an answer.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from kyora.accounts.models import User
from kyora.core.db import Base, BusinessScoped, Money, TimestampMixin, UTCDateTime, utcnow

# Movement kinds, with the words the stock history shows for them.
MOVEMENT_KINDS = {
    "initial": _l("Opening stock"),
    "purchase": _l("Restock (paid)"),
    "found": _l("Restock (found stock)"),
    "sale": _l("Sold"),
    "cancel": _l("Order cancelled"),
    "return": _l("Returned"),
    "correction": _l("Count correction"),
    "damaged": _l("Damaged"),
    "lost": _l("Lost"),
    "cost_change": _l("Cost changed"),
}
# Kinds that mean the variant took part in an order: such variants are archived, never deleted.
SALE_KINDS = ("sale", "cancel", "return")

# The longer side of a photo's medium copy, in pixels (see inventory/photos.py).
MEDIUM_SIDE = 720
# Reasons a seller may give for a manual adjustment.
ADJUST_REASONS = {
    "correction": _l("Count correction"),
    "damaged": _l("Damaged"),
    "lost": _l("Lost"),
}

# Stock status words used by filters, badges and the digest.
IN_STOCK, LOW, OUT = "in", "low", "out"


def fold_name(name: str | None) -> str:
    """A product name as the A-Z order compares it: case-folded, whatever the script."""
    return (name or "").casefold()[:160]


class Category(BusinessScoped, Base):
    """A shelf of the catalog ("Scarves", "Cakes"), per business."""

    __tablename__ = "product_category"
    __table_args__ = (sa.UniqueConstraint("business_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Product(BusinessScoped, TimestampMixin, Base):
    """Something the business sells; its variants carry SKU, price, cost and stock."""

    __tablename__ = "product"
    __table_args__ = (
        sa.Index("ix_product_business_name", "business_id", "name"),
        # The products list: its A-Z order, its stock tabs and counts, its stock and
        # price orders (see inventory/summary.py for the kept figures).
        sa.Index("ix_product_business_sort_name", "business_id", "sort_name", "id"),
        sa.Index("ix_product_business_stock_status", "business_id", "archived_at", "stock_status"),
        sa.Index("ix_product_business_stock_units", "business_id", "stock_units"),
        sa.Index("ix_product_business_min_price", "business_id", "min_price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("product_category.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(160))
    # The name case-folded, for the A-Z order (set with the name).
    sort_name: Mapped[str] = mapped_column(sa.String(160), default="", server_default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # Names of the options its variants differ by, e.g. ["Size", "Colour"]; empty = simple.
    option_names: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Its active variants at a glance, kept by inventory/summary.py: "in", "low" or
    # "out" (the rule in inventory/queries.py), the units on hand, the lowest price.
    stock_status: Mapped[str] = mapped_column(
        sa.String(8), default=IN_STOCK, server_default=IN_STOCK
    )
    stock_units: Mapped[int] = mapped_column(default=0, server_default="0")
    min_price: Mapped[Decimal | None] = mapped_column(Money())

    category: Mapped[Category | None] = relationship()
    variants: Mapped[list[Variant]] = relationship(
        back_populates="product",
        order_by="(Variant.position, Variant.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @validates("name")
    def _fold_name(self, _key, name):
        self.sort_name = fold_name(name)
        return name

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def has_options(self) -> bool:
        return bool(self.option_names)


class Variant(BusinessScoped, TimestampMixin, Base):
    """One sellable thing: a size/colour of a product, or the product itself when simple."""

    __tablename__ = "product_variant"
    __table_args__ = (
        sa.UniqueConstraint("business_id", "sku"),
        # The stock value (Σ stock × average cost) read from the index alone.
        sa.Index("ix_product_variant_business_value", "business_id", "stock", "avg_cost"),
        sa.CheckConstraint("stock >= 0", name="stock_not_negative"),
        sa.CheckConstraint("price >= 0", name="price_not_negative"),
        sa.CheckConstraint("avg_cost >= 0", name="avg_cost_not_negative"),
        sa.CheckConstraint(
            "low_stock_threshold IS NULL OR low_stock_threshold >= 0", name="threshold_not_negative"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        sa.ForeignKey("product.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    sku: Mapped[str] = mapped_column(sa.String(64))
    # The option values in the product's option order, e.g. ["M", "Red"].
    option_values: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # The same values joined for display and search: "M / Red".
    options_label: Mapped[str] = mapped_column(sa.String(200), default="")
    price: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    # Weighted average of what was paid per unit (the cost of goods of a sale).
    avg_cost: Mapped[Decimal] = mapped_column(Money(scale=4), default=Decimal("0"))
    stock: Mapped[int] = mapped_column(default=0)
    # None means "use the business default" (Business.low_stock_threshold).
    low_stock_threshold: Mapped[int | None] = mapped_column()
    # The status the last low-stock digest reported ("in", "low" or "out").
    alerted_status: Mapped[str] = mapped_column(sa.String(8), default=IN_STOCK)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    product: Mapped[Product] = relationship(back_populates="variants")

    @property
    def title(self) -> str:
        """ "Red Scarf — M / Red", or just the product name for a simple product."""
        name = self.product.name
        return f"{name} — {self.options_label}" if self.options_label else name

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    def threshold(self, business_default: int) -> int:
        """The low-stock threshold in force for this variant."""
        if self.low_stock_threshold is not None:
            return self.low_stock_threshold
        return business_default

    def stock_status(self, business_default: int) -> str:
        """ "out" at 0, "low" at or under the threshold, else "in"."""
        return stock_status(self.stock, self.threshold(business_default))


def stock_status(stock: int, threshold: int) -> str:
    """Out of stock is 0; low is 1..threshold; in stock above that."""
    if stock <= 0:
        return OUT
    if stock <= threshold:
        return LOW
    return IN_STOCK


class StockMovement(BusinessScoped, Base):
    """One change of a variant's stock (or of its average cost). Never edited."""

    __tablename__ = "stock_movement"
    __table_args__ = (
        sa.CheckConstraint(sa.text(f"kind IN {tuple(MOVEMENT_KINDS)!r}"), name="kind"),
        sa.CheckConstraint("stock_after >= 0", name="stock_after_not_negative"),
        sa.Index("ix_stock_movement_variant_created", "variant_id", "created_at"),
        sa.Index("ix_stock_movement_source", "source_type", "source_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(sa.ForeignKey("product_variant.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    quantity: Mapped[int] = mapped_column()  # signed: + in, - out
    # Per unit: what was paid (purchase), or the average cost at the time (sale, loss).
    unit_cost: Mapped[Decimal | None] = mapped_column(Money(scale=4))
    stock_after: Mapped[int] = mapped_column()
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str | None] = mapped_column(sa.String(300))
    # What caused it, e.g. ("order", 1042); None for manual changes.
    source_type: Mapped[str | None] = mapped_column(sa.String(30))
    source_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    variant: Mapped[Variant] = relationship()
    actor: Mapped[User | None] = relationship()

    @property
    def kind_label(self) -> str:
        return str(MOVEMENT_KINDS.get(self.kind, self.kind))


class ProductPhoto(BusinessScoped, Base):
    """A product (or variant) photo: a display-size image, a square thumbnail and, for
    photos larger than a phone screen needs, a medium-size copy."""

    __tablename__ = "product_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        sa.ForeignKey("product.id", ondelete="CASCADE"), index=True
    )
    variant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("product_variant.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    image_key: Mapped[str] = mapped_column(sa.String(200), info={"file": True})
    thumb_key: Mapped[str] = mapped_column(sa.String(200), info={"file": True})
    medium_key: Mapped[str | None] = mapped_column(sa.String(200), info={"file": True})
    width: Mapped[int] = mapped_column(default=0)
    height: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def medium_width(self) -> int:
        """The medium copy's width in pixels (its longer side is MEDIUM_SIDE)."""
        return round(self.width * MEDIUM_SIDE / max(self.width, self.height, 1))
