"""Customers, their addresses and the notes the team keeps about them.

A customer's order statistics (count, total spent, what they owe, last order,
channels) are columns here, kept up to date by the orders domain through
`services.apply_order_stats`, so lists sort and filter on them without joins.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kyora.accounts.models import User
from kyora.core.db import Base, BusinessScoped, Money, TimestampMixin, UTCDateTime, utcnow
from kyora.core.phones import display_phone, whatsapp_link
from kyora.customers.identity import PLATFORMS, profile_url

# Where an order (and so a customer) came from. The orders domain uses the same keys.
CHANNELS = (
    ("instagram", _l("Instagram")),
    ("whatsapp", _l("WhatsApp")),
    ("tiktok", _l("TikTok")),
    ("facebook", _l("Facebook")),
    ("snapchat", _l("Snapchat")),
    ("in_person", _l("In person")),
    ("storefront", _l("Online shop")),
    ("other", _l("Other")),
)
CHANNEL_LABELS = dict(CHANNELS)

PLATFORM_LABELS = {
    "instagram": _l("Instagram"),
    "tiktok": _l("TikTok"),
    "facebook": _l("Facebook"),
    "snapchat": _l("Snapchat"),
    "x_handle": _l("X"),
}


class Customer(BusinessScoped, TimestampMixin, Base):
    __tablename__ = "customer"
    __table_args__ = (
        # One customer per phone / per handle on each platform within a business.
        # NULLs never collide, so customers without a phone or handle are fine.
        sa.UniqueConstraint("business_id", "phone", name="uq_customer_business_phone"),
        sa.UniqueConstraint("business_id", "instagram", name="uq_customer_business_instagram"),
        sa.UniqueConstraint("business_id", "tiktok", name="uq_customer_business_tiktok"),
        sa.UniqueConstraint("business_id", "facebook", name="uq_customer_business_facebook"),
        sa.UniqueConstraint("business_id", "snapchat", name="uq_customer_business_snapchat"),
        sa.UniqueConstraint("business_id", "x_handle", name="uq_customer_business_x_handle"),
        sa.Index("ix_customer_business_name_key", "business_id", "name_key"),
        sa.Index("ix_customer_business_name_sound", "business_id", "name_sound"),
        # Namesakes without a number: the only ones that can be a customer's duplicate
        # by name alone (customers/duplicates.py `_candidates`).
        sa.Index(
            "ix_customer_business_name_key_no_phone",
            "business_id",
            "name_key",
            sqlite_where=sa.text("phone IS NULL"),
            postgresql_where=sa.text("phone IS NULL"),
        ),
        sa.Index(
            "ix_customer_business_name_sound_no_phone",
            "business_id",
            "name_sound",
            sqlite_where=sa.text("phone IS NULL"),
            postgresql_where=sa.text("phone IS NULL"),
        ),
        sa.Index("ix_customer_business_search_name", "business_id", "search_name"),
        sa.Index("ix_customer_business_email", "business_id", "email"),
        sa.Index("ix_customer_business_whatsapp", "business_id", "whatsapp"),
        sa.Index("ix_customer_business_total_spent", "business_id", "total_spent"),
        # The list's default order, ties by creation: deep pages skip through the index.
        sa.Index(
            "ix_customer_business_last_order_at", "business_id", "last_order_at", "created_at"
        ),
        sa.Index("ix_customer_business_amount_due", "business_id", "amount_due"),
        sa.Index("ix_customer_business_created_at", "business_id", "created_at"),
        sa.Index("ix_customer_business_country", "business_id", "country"),
        sa.Index("ix_customer_business_first_channel", "business_id", "first_channel"),
        # Only the tagged customers: the tag filter's choices are read from it.
        sa.Index(
            "ix_customer_business_tags",
            "business_id",
            "tags",
            sqlite_where=sa.text("tags != ''"),
            postgresql_where=sa.text("tags != ''"),
        ),
        sa.CheckConstraint("orders_count >= 0", name="orders_count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # Folded forms of the name: `search_name` for search; `name_key` (sorted words)
    # and `name_sound` (looser spelling) for spotting the same person entered twice.
    search_name: Mapped[str] = mapped_column(sa.String(120), default="")
    name_key: Mapped[str] = mapped_column(sa.String(120), default="")
    name_sound: Mapped[str] = mapped_column(sa.String(120), default="")
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    whatsapp: Mapped[str | None] = mapped_column(sa.String(20))
    email: Mapped[str | None] = mapped_column(sa.String(320))
    instagram: Mapped[str | None] = mapped_column(sa.String(60))
    tiktok: Mapped[str | None] = mapped_column(sa.String(60))
    facebook: Mapped[str | None] = mapped_column(sa.String(60))
    snapchat: Mapped[str | None] = mapped_column(sa.String(60))
    x_handle: Mapped[str | None] = mapped_column(sa.String(60))
    country: Mapped[str | None] = mapped_column(sa.String(2))
    # Comma-separated, lower case ("vip,wholesale"); see `tag_list`.
    tags: Mapped[str] = mapped_column(sa.String(700), default="")

    # Maintained by the orders domain (services.apply_order_stats).
    orders_count: Mapped[int] = mapped_column(default=0, server_default="0")
    total_spent: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"), server_default="0")
    amount_due: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"), server_default="0")
    last_order_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    first_channel: Mapped[str | None] = mapped_column(sa.String(20))
    last_channel: Mapped[str | None] = mapped_column(sa.String(20))

    addresses: Mapped[list[Address]] = relationship(
        back_populates="customer",
        order_by="Address.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def display_name(self) -> str:
        """The name, or failing that the phone or a handle: never blank on screen."""
        if self.name:
            return self.name
        if self.phone:
            return display_phone(self.phone)
        for platform in PLATFORMS:
            handle = getattr(self, platform)
            if handle:
                return "@" + handle
        return self.email or "#" + str(self.id)

    @property
    def whatsapp_number(self) -> str | None:
        """The number to message on WhatsApp: the WhatsApp one if different, else the phone."""
        return self.whatsapp or self.phone

    @property
    def whatsapp_url(self) -> str | None:
        return whatsapp_link(self.whatsapp_number)

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    @property
    def whatsapp_display(self) -> str:
        return display_phone(self.whatsapp)

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in (self.tags or "").split(",") if tag]

    @property
    def handles(self) -> list[tuple[str, str]]:
        """(platform, handle) pairs the customer has, in form order."""
        return [
            (platform, getattr(self, platform)) for platform in PLATFORMS if getattr(self, platform)
        ]

    @property
    def social_links(self) -> list[tuple[str, str, str]]:
        """(platform label, "@handle", profile URL) for each handle."""
        return [
            (str(PLATFORM_LABELS[platform]), "@" + handle, profile_url(platform, handle))
            for platform, handle in self.handles
        ]

    @property
    def first_handle(self) -> str | None:
        handles = self.handles
        return handles[0][1] if handles else None

    @property
    def average_order(self) -> Decimal:
        """Unrounded average order value; templates format it with |money."""
        if not self.orders_count:
            return Decimal("0")
        return Decimal(self.total_spent or 0) / self.orders_count

    @property
    def first_channel_label(self) -> str | None:
        return (
            str(CHANNEL_LABELS[self.first_channel])
            if self.first_channel in CHANNEL_LABELS
            else None
        )


class Address(BusinessScoped, TimestampMixin, Base):
    __tablename__ = "customer_address"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str | None] = mapped_column(sa.String(40))
    line: Mapped[str] = mapped_column(sa.String(200))
    area: Mapped[str | None] = mapped_column(sa.String(100))
    city: Mapped[str | None] = mapped_column(sa.String(100))
    country: Mapped[str] = mapped_column(sa.String(2))
    notes: Mapped[str | None] = mapped_column(sa.String(300))

    customer: Mapped[Customer] = relationship(back_populates="addresses")

    @property
    def one_line(self) -> str:
        """The address on one line, as pasted into a delivery message."""
        return ", ".join(part for part in (self.line, self.area, self.city) if part)


class CustomerNote(BusinessScoped, Base):
    """A dated note on the customer's timeline ("prefers delivery after 6 pm")."""

    __tablename__ = "customer_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("customer.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(sa.Text())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")
