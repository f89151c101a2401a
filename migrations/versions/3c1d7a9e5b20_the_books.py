"""the books: chart of accounts, journal, daily rollup, expenses

Creates the ledger tables, the database's balance checks on journal lines, and
every existing business's chart of accounts. Their past orders, payments and
stock get their entries from `flask kyora books rebuild`.

Revision ID: 3c1d7a9e5b20
Revises: 86679b808c88
Create Date: 2026-12-01 20:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

import kyora.core.db

# revision identifiers, used by Alembic.
revision = '3c1d7a9e5b20'
down_revision = '86679b808c88'
branch_labels = None
depends_on = None

# (code, type, offered as an expense category), in display order.
CHART = (
    ('cash', 'asset', False),
    ('bank', 'asset', False),
    ('receivable', 'asset', False),
    ('owed_before', 'asset', False),
    ('inventory', 'asset', False),
    ('equipment', 'asset', False),
    ('vat', 'liability', False),
    ('customer_credit', 'liability', False),
    ('payable', 'liability', False),
    ('owner_capital', 'equity', False),
    ('owner_drawings', 'equity', False),
    ('retained_earnings', 'equity', False),
    ('sales', 'income', False),
    ('discounts', 'income', False),
    ('shipping_income', 'income', False),
    ('cogs', 'expense', False),
    ('payment_fees', 'expense', True),
    ('stock_losses', 'expense', False),
    ('exp_rent', 'expense', True),
    ('exp_marketing', 'expense', True),
    ('exp_shipping', 'expense', True),
    ('exp_packaging', 'expense', True),
    ('exp_software', 'expense', True),
    ('exp_salaries', 'expense', True),
    ('exp_utilities', 'expense', True),
    ('exp_other', 'expense', True),
)

SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER journal_line_balanced AFTER INSERT ON journal_line
    WHEN (SELECT count(*) FROM journal_line WHERE entry_id = NEW.entry_id)
         >= (SELECT line_count FROM journal_entry WHERE id = NEW.entry_id)
    BEGIN
      SELECT RAISE(ABORT, 'journal entry does not balance')
      WHERE (SELECT count(*) FROM journal_line WHERE entry_id = NEW.entry_id)
              > (SELECT line_count FROM journal_entry WHERE id = NEW.entry_id)
         OR (SELECT sum(amount) FROM journal_line WHERE entry_id = NEW.entry_id) <> 0
         OR (SELECT sum(amount) FROM journal_line WHERE entry_id = NEW.entry_id AND amount > 0)
              <> (SELECT total FROM journal_entry WHERE id = NEW.entry_id);
    END
    """,
    """
    CREATE TRIGGER journal_line_immutable BEFORE UPDATE ON journal_line
    BEGIN SELECT RAISE(ABORT, 'journal lines are never changed'); END
    """,
)

POSTGRES_TRIGGERS = (
    """
    CREATE OR REPLACE FUNCTION journal_entry_balanced() RETURNS trigger AS $$
    BEGIN
      IF (SELECT coalesce(sum(amount), 0) FROM journal_line WHERE entry_id = NEW.entry_id) <> 0
         OR (SELECT count(*) FROM journal_line WHERE entry_id = NEW.entry_id)
            <> (SELECT line_count FROM journal_entry WHERE id = NEW.entry_id) THEN
        RAISE EXCEPTION USING MESSAGE = 'journal entry ' || NEW.entry_id || ' does not balance';
      END IF;
      RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE CONSTRAINT TRIGGER journal_line_balanced AFTER INSERT ON journal_line
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_entry_balanced()
    """,
    """
    CREATE OR REPLACE FUNCTION journal_line_immutable() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'journal lines are never changed'; END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER journal_line_immutable BEFORE UPDATE ON journal_line
    FOR EACH ROW EXECUTE FUNCTION journal_line_immutable()
    """,
)


def upgrade():
    op.create_table('journal_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('source_type', sa.String(length=20), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('memo', sa.String(length=300), nullable=True),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.Column('total', kyora.core.db.Money(), nullable=False),
    sa.Column('line_count', sa.Integer(), nullable=False),
    sa.Column('reverses_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', kyora.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('line_count >= 2', name=op.f('ck_journal_entry_line_count')),
    sa.CheckConstraint('total > 0', name=op.f('ck_journal_entry_total_positive')),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_journal_entry_actor_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_journal_entry_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reverses_id'], ['journal_entry.id'], name=op.f('fk_journal_entry_reverses_id_journal_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_entry'))
    )
    with op.batch_alter_table('journal_entry', schema=None) as batch_op:
        batch_op.create_index('ix_journal_entry_business_newest', ['business_id', 'entry_date', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_journal_entry_reverses_id'), ['reverses_id'], unique=False)
        batch_op.create_index('ix_journal_entry_source', ['business_id', 'source_type', 'source_id'], unique=False)

    op.create_table('ledger_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('type', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=True),
    sa.Column('is_category', sa.Boolean(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("type IN ('asset', 'liability', 'equity', 'income', 'expense')", name=op.f('ck_ledger_account_type')),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_ledger_account_business_id_business'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_account')),
    sa.UniqueConstraint('business_id', 'code', name=op.f('uq_ledger_account_business_id_code'))
    )
    with op.batch_alter_table('ledger_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_account_business_id'), ['business_id'], unique=False)

    op.create_table('daily_balance',
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('amount', kyora.core.db.Money(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_account.id'], name=op.f('fk_daily_balance_account_id_ledger_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_daily_balance_business_id_business'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('business_id', 'account_id', 'day', 'kind', name=op.f('pk_daily_balance'))
    )
    op.create_table('journal_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('amount', kyora.core.db.Money(), nullable=False),
    sa.CheckConstraint('amount <> 0', name=op.f('ck_journal_line_amount_nonzero')),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_account.id'], name=op.f('fk_journal_line_account_id_ledger_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_journal_line_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entry_id'], ['journal_entry.id'], name=op.f('fk_journal_line_entry_id_journal_entry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_line'))
    )
    with op.batch_alter_table('journal_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_journal_line_account_id'), ['account_id'], unique=False)
        batch_op.create_index('ix_journal_line_business_account_day', ['business_id', 'account_id', 'entry_date'], unique=False)
        batch_op.create_index('ix_journal_line_entry', ['entry_id'], unique=False)

    op.create_table('recurring_expense',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('amount', kyora.core.db.Money(), nullable=False),
    sa.Column('paid_from', sa.String(length=8), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('frequency', sa.String(length=8), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('next_on', sa.Date(), nullable=True),
    sa.Column('booked_count', sa.Integer(), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', kyora.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', kyora.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("frequency IN ('daily', 'weekly', 'monthly', 'yearly')", name=op.f('ck_recurring_expense_frequency')),
    sa.CheckConstraint("paid_from IN ('cash', 'bank')", name=op.f('ck_recurring_expense_paid_from')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_recurring_expense_amount_positive')),
    sa.CheckConstraint('end_on IS NULL OR end_on >= start_on', name=op.f('ck_recurring_expense_end_after_start')),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_account.id'], name=op.f('fk_recurring_expense_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_recurring_expense_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_recurring_expense_created_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recurring_expense'))
    )
    with op.batch_alter_table('recurring_expense', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recurring_expense_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recurring_expense_business_id'), ['business_id'], unique=False)
        batch_op.create_index('ix_recurring_expense_due', ['business_id', 'next_on'], unique=False)

    op.create_table('expense',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('business_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('amount', kyora.core.db.Money(), nullable=False),
    sa.Column('spent_on', sa.Date(), nullable=False),
    sa.Column('paid_from', sa.String(length=8), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    sa.Column('receipt_key', sa.String(length=200), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('recurring_id', sa.Integer(), nullable=True),
    sa.Column('occurrence', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('deleted_at', kyora.core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', kyora.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', kyora.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("paid_from IN ('cash', 'bank')", name=op.f('ck_expense_paid_from')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_expense_amount_positive')),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_account.id'], name=op.f('fk_expense_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['business_id'], ['business.id'], name=op.f('fk_expense_business_id_business'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_expense_created_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['journal_entry.id'], name=op.f('fk_expense_entry_id_journal_entry'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['sales_order.id'], name=op.f('fk_expense_order_id_sales_order'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recurring_id'], ['recurring_expense.id'], name=op.f('fk_expense_recurring_id_recurring_expense'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expense')),
    sa.UniqueConstraint('recurring_id', 'occurrence', name=op.f('uq_expense_recurring_id_occurrence'))
    )
    with op.batch_alter_table('expense', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expense_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_business_id'), ['business_id'], unique=False)
        batch_op.create_index('ix_expense_business_spent', ['business_id', 'spent_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_expense_order_id'), ['order_id'], unique=False)



    bind = op.get_bind()
    triggers = POSTGRES_TRIGGERS if bind.dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in triggers:
        op.execute(statement)

    account = sa.table(
        "ledger_account",
        sa.column("business_id", sa.Integer()),
        sa.column("code", sa.String()),
        sa.column("type", sa.String()),
        sa.column("is_category", sa.Boolean()),
        sa.column("archived", sa.Boolean()),
        sa.column("position", sa.Integer()),
    )
    business_ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM business"))]
    rows = [
        {
            "business_id": business_id,
            "code": code,
            "type": kind,
            "is_category": is_category,
            "archived": False,
            "position": position,
        }
        for business_id in business_ids
        for position, (code, kind, is_category) in enumerate(CHART)
    ]
    if rows:
        op.bulk_insert(account, rows)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS journal_line_immutable ON journal_line")
        op.execute("DROP TRIGGER IF EXISTS journal_line_balanced ON journal_line")
        op.execute("DROP FUNCTION IF EXISTS journal_line_immutable()")
        op.execute("DROP FUNCTION IF EXISTS journal_entry_balanced()")
    else:
        op.execute("DROP TRIGGER IF EXISTS journal_line_immutable")
        op.execute("DROP TRIGGER IF EXISTS journal_line_balanced")
    with op.batch_alter_table('expense', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_expense_order_id'))
        batch_op.drop_index('ix_expense_business_spent')
        batch_op.drop_index(batch_op.f('ix_expense_business_id'))
        batch_op.drop_index(batch_op.f('ix_expense_account_id'))

    op.drop_table('expense')
    with op.batch_alter_table('recurring_expense', schema=None) as batch_op:
        batch_op.drop_index('ix_recurring_expense_due')
        batch_op.drop_index(batch_op.f('ix_recurring_expense_business_id'))
        batch_op.drop_index(batch_op.f('ix_recurring_expense_account_id'))

    op.drop_table('recurring_expense')
    with op.batch_alter_table('journal_line', schema=None) as batch_op:
        batch_op.drop_index('ix_journal_line_entry')
        batch_op.drop_index('ix_journal_line_business_account_day')
        batch_op.drop_index(batch_op.f('ix_journal_line_account_id'))

    op.drop_table('journal_line')
    op.drop_table('daily_balance')
    with op.batch_alter_table('ledger_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_account_business_id'))

    op.drop_table('ledger_account')
    with op.batch_alter_table('journal_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_journal_entry_source')
        batch_op.drop_index(batch_op.f('ix_journal_entry_reverses_id'))
        batch_op.drop_index('ix_journal_entry_business_newest')

    op.drop_table('journal_entry')

