"""insights: the sales rollup per business day, customers' first sales, weekly summary

Revision ID: a4c8e2f61b37
Revises: e5a91f3c7d28
Create Date: 2026-12-01 22:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

import kyora.core.db

# revision identifiers, used by Alembic.
revision = "a4c8e2f61b37"
down_revision = "e5a91f3c7d28"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sales_day",
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("dimension", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("sales", kyora.core.db.Money(), nullable=False),
        sa.Column("cost", kyora.core.db.Money(), nullable=False),
        sa.Column("new_customers", sa.Integer(), nullable=False),
        sa.Column("returning_customers", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["business.id"],
            name=op.f("fk_sales_day_business_id_business"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("business_id", "dimension", "day", "key", name=op.f("pk_sales_day")),
    )
    op.create_table(
        "customer_firsts",
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=True),
        sa.Column("second_day", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["business.id"],
            name=op.f("fk_customer_firsts_business_id_business"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_customer_firsts_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customer_firsts")),
    )
    op.create_index(
        op.f("ix_customer_firsts_business_id"), "customer_firsts", ["business_id"], unique=False
    )
    op.create_table(
        "weekly_summary",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("last_week", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_weekly_summary_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_weekly_summary")),
    )


def downgrade():
    op.drop_table("weekly_summary")
    op.drop_index(op.f("ix_customer_firsts_business_id"), table_name="customer_firsts")
    op.drop_table("customer_firsts")
    op.drop_table("sales_day")
