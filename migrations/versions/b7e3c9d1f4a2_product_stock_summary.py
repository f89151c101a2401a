"""Each product's stock status, units on hand and lowest price, kept on its row, so the
products list counts, filters and sorts a large catalog through indexes; and its name
case-folded, for the list's A-Z order through an index. The stock value (Σ stock × average
cost) is read from an index of the variants alone.

Revision ID: b7e3c9d1f4a2
Revises: d4f7b2e9c6a1
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import kyora.core.db

revision = "b7e3c9d1f4a2"
down_revision = "d4f7b2e9c6a1"
branch_labels = None
depends_on = None

ACTIVE = "v.product_id = product.id AND v.archived_at IS NULL"
BACKFILL = f"""
UPDATE product SET
  stock_units = (SELECT coalesce(sum(v.stock), 0) FROM product_variant v WHERE {ACTIVE}),
  min_price = (SELECT min(v.price) FROM product_variant v WHERE {ACTIVE}),
  stock_status = CASE
    WHEN EXISTS (SELECT 1 FROM product_variant v WHERE {ACTIVE})
     AND NOT EXISTS (SELECT 1 FROM product_variant v WHERE {ACTIVE} AND v.stock > 0)
      THEN 'out'
    WHEN EXISTS (
      SELECT 1 FROM product_variant v WHERE {ACTIVE} AND (v.stock <= 0 OR v.stock <= coalesce(
        v.low_stock_threshold,
        (SELECT b.low_stock_threshold FROM business b WHERE b.id = product.business_id)
      ))
    ) THEN 'low'
    ELSE 'in'
  END
"""
INDEXES = {
    "ix_product_business_stock_status": ["business_id", "archived_at", "stock_status"],
    "ix_product_business_stock_units": ["business_id", "stock_units"],
    "ix_product_business_min_price": ["business_id", "min_price"],
}


def upgrade():
    op.add_column(
        "product", sa.Column("stock_status", sa.String(8), nullable=False, server_default="in")
    )
    op.add_column(
        "product", sa.Column("stock_units", sa.Integer(), nullable=False, server_default="0")
    )
    op.add_column("product", sa.Column("min_price", kyora.core.db.Money(), nullable=True))
    op.execute(BACKFILL)
    for name, columns in INDEXES.items():
        op.create_index(name, "product", columns)
    op.add_column(
        "product", sa.Column("sort_name", sa.String(160), nullable=False, server_default="")
    )
    bind = op.get_bind()
    product = sa.table("product", sa.column("id"), sa.column("name"), sa.column("sort_name"))
    folded = [
        {"product_id": id_, "folded": (name or "").casefold()[:160]}
        for id_, name in bind.execute(sa.select(product.c.id, product.c.name))
    ]
    if folded:
        bind.execute(
            product.update()
            .where(product.c.id == sa.bindparam("product_id"))
            .values(sort_name=sa.bindparam("folded")),
            folded,
        )
    op.create_index("ix_product_business_sort_name", "product", ["business_id", "sort_name", "id"])
    op.create_index(
        "ix_product_variant_business_value", "product_variant", ["business_id", "stock", "avg_cost"]
    )


def downgrade():
    op.drop_index("ix_product_variant_business_value", table_name="product_variant")
    op.drop_index("ix_product_business_sort_name", table_name="product")
    for name in INDEXES:
        op.drop_index(name, table_name="product")
    with op.batch_alter_table("product") as batch:
        batch.drop_column("sort_name")
        batch.drop_column("min_price")
        batch.drop_column("stock_units")
        batch.drop_column("stock_status")
