"""storefront settings

The shop's about text, the categories it shows, its contact buttons and the catalog
version its cached home page is checked against.

Revision ID: 8534ee3d59b4
Revises: f3b8d2a61c47
Create Date: 2026-12-01 23:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

import kyora.core.db

# revision identifiers, used by Alembic.
revision = "8534ee3d59b4"
down_revision = "f3b8d2a61c47"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "storefront_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("about", sa.Text(), nullable=False),
        sa.Column("shown_category_ids", sa.JSON(), nullable=True),
        sa.Column("show_whatsapp", sa.Boolean(), nullable=False),
        sa.Column("show_instagram", sa.Boolean(), nullable=False),
        sa.Column("show_tiktok", sa.Boolean(), nullable=False),
        sa.Column("catalog_version", sa.Integer(), nullable=False),
        sa.Column("business_id", sa.Integer(), nullable=False),
        sa.Column("created_at", kyora.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", kyora.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["business.id"],
            name=op.f("fk_storefront_settings_business_id_business"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_storefront_settings")),
        sa.UniqueConstraint("business_id", name="uq_storefront_settings_business"),
    )
    with op.batch_alter_table("storefront_settings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_storefront_settings_business_id"), ["business_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("storefront_settings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_storefront_settings_business_id"))
    op.drop_table("storefront_settings")
