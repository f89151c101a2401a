"""order counts per status and payment status, kept on every change

Revision ID: c5d1e8f2a9b4
Revises: 8534ee3d59b4
Create Date: 2026-12-01 23:58:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c5d1e8f2a9b4"
down_revision = "8534ee3d59b4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "order_count",
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("payment_status", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["business.id"],
            name=op.f("fk_order_count_business_id_business"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "business_id", "status", "payment_status", name=op.f("pk_order_count")
        ),
    )
    # The orders already there are counted once; from now on every change keeps it.
    op.execute(
        "INSERT INTO order_count (business_id, status, payment_status, count) "
        "SELECT business_id, status, payment_status, count(id) FROM sales_order "
        "GROUP BY business_id, status, payment_status"
    )


def downgrade():
    op.drop_table("order_count")
