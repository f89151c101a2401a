"""customer search index: FTS5 trigram table on SQLite, pg_trgm GIN index on PostgreSQL;
indexes for the customers list (tagged customers, the default order on PostgreSQL)

Revision ID: d9f4a7c2e1b6
Revises: c5d1e8f2a9b4
Create Date: 2026-12-02 02:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "d9f4a7c2e1b6"
down_revision = "c5d1e8f2a9b4"
branch_labels = None
depends_on = None

# The same statements as kyora/customers/search.py (which builds the test schema),
# written out so this revision keeps meaning what it meant.
SQLITE_UPGRADE = (
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS customer_search USING fts5(
      search_name, phone, whatsapp, instagram, tiktok, facebook, snapchat, x_handle, email,
      content='customer', content_rowid='id', tokenize='trigram'
    )
    """,
    """
    CREATE TRIGGER IF NOT EXISTS customer_search_insert AFTER INSERT ON customer BEGIN
      INSERT INTO customer_search (rowid, search_name, phone, whatsapp, instagram, tiktok,
        facebook, snapchat, x_handle, email)
      VALUES (new.id, new.search_name, new.phone, new.whatsapp, new.instagram, new.tiktok,
        new.facebook, new.snapchat, new.x_handle, new.email);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS customer_search_delete AFTER DELETE ON customer BEGIN
      INSERT INTO customer_search (customer_search, rowid, search_name, phone, whatsapp,
        instagram, tiktok, facebook, snapchat, x_handle, email)
      VALUES ('delete', old.id, old.search_name, old.phone, old.whatsapp, old.instagram,
        old.tiktok, old.facebook, old.snapchat, old.x_handle, old.email);
    END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS customer_search_update AFTER UPDATE OF search_name, phone,
      whatsapp, instagram, tiktok, facebook, snapchat, x_handle, email ON customer BEGIN
      INSERT INTO customer_search (customer_search, rowid, search_name, phone, whatsapp,
        instagram, tiktok, facebook, snapchat, x_handle, email)
      VALUES ('delete', old.id, old.search_name, old.phone, old.whatsapp, old.instagram,
        old.tiktok, old.facebook, old.snapchat, old.x_handle, old.email);
      INSERT INTO customer_search (rowid, search_name, phone, whatsapp, instagram, tiktok,
        facebook, snapchat, x_handle, email)
      VALUES (new.id, new.search_name, new.phone, new.whatsapp, new.instagram, new.tiktok,
        new.facebook, new.snapchat, new.x_handle, new.email);
    END
    """,
    # The customers already there go into the index.
    "INSERT INTO customer_search (customer_search) VALUES ('rebuild')",
)
SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS customer_search_insert",
    "DROP TRIGGER IF EXISTS customer_search_delete",
    "DROP TRIGGER IF EXISTS customer_search_update",
    "DROP TABLE IF EXISTS customer_search",
)
POSTGRES_UPGRADE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    CREATE INDEX IF NOT EXISTS ix_customer_search_trgm ON customer USING gin ((lower(
      coalesce(search_name, '') || ' ' || coalesce(phone, '') || ' ' || coalesce(whatsapp, '')
      || ' ' || coalesce(instagram, '') || ' ' || coalesce(tiktok, '') || ' ' || coalesce(facebook, '')
      || ' ' || coalesce(snapchat, '') || ' ' || coalesce(x_handle, '') || ' ' || coalesce(email, '')
    )) gin_trgm_ops)
    """,
    # Not search, but the same engine gap: the customers list's default order (last order
    # first, never-ordered last) is DESC NULLS LAST, which a plain index only gives
    # backwards with NULLs first. SQLite puts NULLs last in DESC already.
    """
    CREATE INDEX IF NOT EXISTS ix_customer_business_recent ON customer (
      business_id, last_order_at DESC NULLS LAST, created_at DESC, id DESC
    )
    """,
)
POSTGRES_DOWNGRADE = (
    "DROP INDEX IF EXISTS ix_customer_search_trgm",
    "DROP INDEX IF EXISTS ix_customer_business_recent",
)


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    for statement in POSTGRES_UPGRADE if _postgres() else SQLITE_UPGRADE:
        op.execute(statement)
    # Only the tagged customers: the tag filter's choices are read from it.
    op.create_index(
        "ix_customer_business_tags",
        "customer",
        ["business_id", "tags"],
        sqlite_where=sa.text("tags != ''"),
        postgresql_where=sa.text("tags != ''"),
    )


def downgrade():
    op.drop_index("ix_customer_business_tags", table_name="customer")
    for statement in POSTGRES_DOWNGRADE if _postgres() else SQLITE_DOWNGRADE:
        op.execute(statement)
