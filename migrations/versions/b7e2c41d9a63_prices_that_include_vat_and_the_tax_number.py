"""prices that include VAT, and the business's tax registration number

A business says whether its prices already contain VAT, and may have a tax
registration number (TRN). An order keeps which way its VAT was worked out.
Existing businesses and orders keep VAT added on top.

Revision ID: b7e2c41d9a63
Revises: 3c1d7a9e5b20
Create Date: 2026-12-01 21:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7e2c41d9a63"
down_revision = "3c1d7a9e5b20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("business", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("prices_include_vat", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("tax_number", sa.String(length=40), nullable=True))
    with op.batch_alter_table("sales_order", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("vat_included", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("sales_order", schema=None) as batch_op:
        batch_op.drop_column("vat_included")
    with op.batch_alter_table("business", schema=None) as batch_op:
        batch_op.drop_column("tax_number")
        batch_op.drop_column("prices_include_vat")
