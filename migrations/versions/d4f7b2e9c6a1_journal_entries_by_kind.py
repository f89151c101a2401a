"""Journal entries by kind: the starting point in force (the newest "opening" entry)
is found through (business, kind, id) instead of walking every entry of the books.

Without it SQLite, when one business holds most of the entries, reads the whole table
newest first looking for an opening entry that a business may never have made.

Revision ID: d4f7b2e9c6a1
Revises: c3e8a1f5d7b2
Create Date: 2026-12-02
"""

from alembic import op

revision = "d4f7b2e9c6a1"
down_revision = "c3e8a1f5d7b2"
branch_labels = None
depends_on = None

NAME = "ix_journal_entry_business_kind"


def upgrade():
    op.create_index(NAME, "journal_entry", ["business_id", "kind", "id"])


def downgrade():
    op.drop_index(NAME, table_name="journal_entry")
