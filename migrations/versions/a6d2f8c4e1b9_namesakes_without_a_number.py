"""Partial indexes of customers without a phone number by name key and name sound: the
duplicate check reads only those namesakes for a customer who has a number.

Revision ID: a6d2f8c4e1b9
Revises: f1c9d3e7a2b5
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "a6d2f8c4e1b9"
down_revision = "f1c9d3e7a2b5"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_customer_business_name_key_no_phone": "name_key",
    "ix_customer_business_name_sound_no_phone": "name_sound",
}


def upgrade():
    for name, column in INDEXES.items():
        op.create_index(
            name,
            "customer",
            ["business_id", column],
            sqlite_where=sa.text("phone IS NULL"),
            postgresql_where=sa.text("phone IS NULL"),
        )


def downgrade():
    for name in INDEXES:
        op.drop_index(name, table_name="customer")
