"""The orders-by-customer index also holds the status: a search's tab counts read the
found customers' orders per status from the index, without visiting the orders.

Revision ID: f1c9d3e7a2b5
Revises: e2a7c4f9b851
Create Date: 2026-12-02
"""

from alembic import op

revision = "f1c9d3e7a2b5"
down_revision = "e2a7c4f9b851"
branch_labels = None
depends_on = None

NAME = "ix_sales_order_business_customer"


def _index(columns: list[str]) -> None:
    op.drop_index(NAME, table_name="sales_order")
    op.create_index(NAME, "sales_order", columns)


def upgrade():
    _index(["business_id", "customer_id", "created_at", "status"])


def downgrade():
    _index(["business_id", "customer_id", "created_at"])
