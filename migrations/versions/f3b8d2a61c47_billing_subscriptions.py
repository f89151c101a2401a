"""billing: the workspace's subscription and the Stripe events already handled

Revision ID: f3b8d2a61c47
Revises: a4c8e2f61b37
Create Date: 2026-12-01 23:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

import kyora.core.db

# revision identifiers, used by Alembic.
revision = "f3b8d2a61c47"
down_revision = "a4c8e2f61b37"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "billing_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("plan", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("stripe_customer_id", sa.String(length=255), nullable=True),
        sa.Column("stripe_subscription_id", sa.String(length=255), nullable=True),
        sa.Column("current_period_end", kyora.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("cancel_at_period_end", sa.Boolean(), nullable=False),
        sa.Column("past_due_since", kyora.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_event_at", sa.BigInteger(), nullable=False),
        sa.Column("created_at", kyora.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", kyora.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_billing_subscription_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_subscription")),
        sa.UniqueConstraint(
            "stripe_customer_id", name=op.f("uq_billing_subscription_stripe_customer_id")
        ),
        sa.UniqueConstraint("workspace_id", name=op.f("uq_billing_subscription_workspace_id")),
    )
    with op.batch_alter_table("billing_subscription", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_billing_subscription_stripe_subscription_id"),
            ["stripe_subscription_id"],
            unique=False,
        )
    op.create_table(
        "billing_processed_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stripe_event_id", sa.String(length=255), nullable=False),
        sa.Column("event_type", sa.String(length=80), nullable=False),
        sa.Column("received_at", kyora.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_billing_processed_event")),
        sa.UniqueConstraint(
            "stripe_event_id", name=op.f("uq_billing_processed_event_stripe_event_id")
        ),
    )


def downgrade():
    op.drop_table("billing_processed_event")
    with op.batch_alter_table("billing_subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_billing_subscription_stripe_subscription_id"))
    op.drop_table("billing_subscription")
