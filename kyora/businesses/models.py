"""The business (a shop inside a workspace)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kyora.accounts.models import Workspace
from kyora.core.db import Base, Money, Rate, TimestampMixin, UTCDateTime


class Business(TimestampMixin, Base):
    __tablename__ = "business"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    handle: Mapped[str] = mapped_column(sa.String(40), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    country: Mapped[str] = mapped_column(sa.String(2))
    currency: Mapped[str] = mapped_column(sa.String(3))
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    vat_rate: Mapped[Decimal] = mapped_column(Rate(), default=Decimal("0"))
    # True where shop prices already contain VAT (the Gulf, most of Europe): a price of
    # 120 stays 120 and the VAT is the part inside it.
    prices_include_vat: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The tax registration number; receipts are tax invoices only when it is set.
    tax_number: Mapped[str | None] = mapped_column(sa.String(40))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    whatsapp: Mapped[str | None] = mapped_column(sa.String(32))
    instagram: Mapped[str | None] = mapped_column(sa.String(60))
    tiktok: Mapped[str | None] = mapped_column(sa.String(60))
    facebook: Mapped[str | None] = mapped_column(sa.String(100))
    snapchat: Mapped[str | None] = mapped_column(sa.String(60))
    x_handle: Mapped[str | None] = mapped_column(sa.String(60))
    website: Mapped[str | None] = mapped_column(sa.String(200))
    logo_path: Mapped[str | None] = mapped_column(sa.String(200))
    low_stock_threshold: Mapped[int] = mapped_column(default=3)
    safety_buffer: Mapped[Decimal | None] = mapped_column(Money())
    storefront_enabled: Mapped[bool] = mapped_column(default=False)
    brand_color: Mapped[str] = mapped_column(sa.String(7), default="#0f766e")
    accent_color: Mapped[str] = mapped_column(sa.String(7), default="#f59e0b")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    workspace: Mapped[Workspace] = relationship()

    @property
    def archived(self) -> bool:
        return self.archived_at is not None
