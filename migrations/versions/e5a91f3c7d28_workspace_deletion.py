"""workspace deletion with a grace period

The owner may ask for the workspace to be deleted; it is deleted for good once the
grace period has passed, unless the owner keeps it.

Revision ID: e5a91f3c7d28
Revises: b7e2c41d9a63
Create Date: 2026-12-01 21:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

import kyora.core.db

# revision identifiers, used by Alembic.
revision = "e5a91f3c7d28"
down_revision = "b7e2c41d9a63"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "deletion_requested_at", kyora.core.db.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("deletion_due_at", kyora.core.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("workspace", schema=None) as batch_op:
        batch_op.drop_column("deletion_due_at")
        batch_op.drop_column("deletion_requested_at")
