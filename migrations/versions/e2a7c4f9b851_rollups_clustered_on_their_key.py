"""The daily rollups (sales_day, daily_balance) are stored in their primary key's
order on SQLite (WITHOUT ROWID): a range of days for one business and dimension is
then read from one place, without a lookup per row. Nothing changes on PostgreSQL.

Revision ID: e2a7c4f9b851
Revises: b7e4c2d9a613
Create Date: 2026-12-02
"""

from alembic import op

revision = "e2a7c4f9b851"
down_revision = "b7e4c2d9a613"
branch_labels = None
depends_on = None

TABLES = ("sales_day", "daily_balance")


def _rebuild(with_rowid: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}
        ):
            pass


def upgrade():
    _rebuild(with_rowid=False)


def downgrade():
    _rebuild(with_rowid=True)
