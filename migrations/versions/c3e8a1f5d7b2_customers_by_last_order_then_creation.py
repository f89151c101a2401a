"""The customers-by-last-order index also holds the creation time, the list's second
sort key: a deep page of the list skips through the index instead of sorting ties.

Revision ID: c3e8a1f5d7b2
Revises: a6d2f8c4e1b9
Create Date: 2026-12-02
"""

from alembic import op

revision = "c3e8a1f5d7b2"
down_revision = "a6d2f8c4e1b9"
branch_labels = None
depends_on = None

NAME = "ix_customer_business_last_order_at"


def _index(columns: list[str]) -> None:
    op.drop_index(NAME, table_name="customer")
    op.create_index(NAME, "customer", columns)


def upgrade():
    _index(["business_id", "last_order_at", "created_at"])


def downgrade():
    _index(["business_id", "last_order_at"])
