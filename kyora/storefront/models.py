"""A business's shop settings beyond the ones on the business itself.

Whether the shop is open and its two colours are columns of `Business`
(`storefront_enabled`, `brand_color`, `accent_color`); the rest lives here, one row
per business, created the first time the seller saves the shop settings.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from kyora.core.db import Base, BusinessScoped, TimestampMixin

ABOUT_MAX = 1000


class StorefrontSettings(BusinessScoped, TimestampMixin, Base):
    """About text, the categories shown, the contact buttons and the catalog version."""

    __tablename__ = "storefront_settings"
    __table_args__ = (sa.UniqueConstraint("business_id", name="uq_storefront_settings_business"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    about: Mapped[str] = mapped_column(sa.Text, default="")
    # Ids of the categories whose products the shop shows; None means every category.
    shown_category_ids: Mapped[list[int] | None] = mapped_column(sa.JSON)
    show_whatsapp: Mapped[bool] = mapped_column(default=True)
    show_instagram: Mapped[bool] = mapped_column(default=True)
    show_tiktok: Mapped[bool] = mapped_column(default=True)
    # Bumped in the same transaction as any change to the catalog, so the cached shop
    # home of every web process knows it is stale.
    catalog_version: Mapped[int] = mapped_column(default=1)

    def shows_category(self, category_id: int | None) -> bool:
        """Whether products of this category appear in the shop (products without a
        category always do)."""
        if self.shown_category_ids is None or category_id is None:
            return True
        return category_id in self.shown_category_ids
