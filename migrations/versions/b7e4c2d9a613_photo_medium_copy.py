"""Product photos get an optional medium-size copy for phone screens.

Revision ID: b7e4c2d9a613
Revises: d9f4a7c2e1b6
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "b7e4c2d9a613"
down_revision = "d9f4a7c2e1b6"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("product_photo") as batch:
        batch.add_column(sa.Column("medium_key", sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table("product_photo") as batch:
        batch.drop_column("medium_key")
