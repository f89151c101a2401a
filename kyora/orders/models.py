"""Orders, their items, payments and timeline; shipping zones, payment methods, counters.

Amounts on an order (subtotal ... total) are what `totals.compute_totals` gave when it
was last saved. `amount_paid`, `amount_refunded`, `fees` and `payment_status` summarise
its payment rows; every payment and refund updates them (under the order's row lock),
so lists can filter and sort on them without aggregating payments.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kyora.accounts.models import User
from kyora.core.db import Base, Money, Rate, TimestampMixin, UTCDateTime, utcnow
from kyora.customers.models import CHANNEL_LABELS, CHANNELS, Customer
from kyora.orders import status as st
from kyora.orders.totals import (
    PAYMENT_PAID,
    PAYMENT_PARTIAL,
    PAYMENT_REFUNDED,
    PAYMENT_UNPAID,
)

CHANNEL_KEYS = tuple(key for key, _label in CHANNELS)

PAYMENT_STATUS_LABELS = {
    PAYMENT_UNPAID: _l("Unpaid"),
    PAYMENT_PARTIAL: _l("Partly paid"),
    PAYMENT_PAID: _l("Paid"),
    PAYMENT_REFUNDED: _l("Refunded"),
}

# Payment methods a business can offer, in the order settings show them.
METHODS = (
    ("cod", _l("Cash on delivery")),
    ("bank_transfer", _l("Bank transfer")),
    ("card", _l("Card")),
    ("wallet", _l("Wallet (Apple Pay, STC Pay...)")),
    ("bnpl", _l("Buy now, pay later (Tabby, Tamara...)")),
    ("other", _l("Other")),
)
METHOD_LABELS = dict(METHODS)
METHOD_KEYS = tuple(key for key, _label in METHODS)
DEFAULT_METHODS = ("cod", "bank_transfer")


class OrderSettings(Base):
    """Per-business order settings and the counter behind sequential order numbers."""

    __tablename__ = "order_settings"

    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), primary_key=True
    )
    next_number: Mapped[int] = mapped_column(default=1001)
    default_channel: Mapped[str] = mapped_column(sa.String(20), default="instagram")


class ShippingZone(TimestampMixin, Base):
    """Where the business delivers and what it costs (free above an optional threshold)."""

    __tablename__ = "shipping_zone"
    __table_args__ = (
        sa.CheckConstraint("cost >= 0", name="cost_positive"),
        sa.Index("ix_shipping_zone_business_position", "business_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(80))
    # ISO country codes, comma-separated ("AE,OM").
    countries: Mapped[str] = mapped_column(sa.String(200), default="")
    # City or area names, comma-separated, matched against delivery addresses.
    cities: Mapped[str] = mapped_column(sa.Text(), default="")
    cost: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    free_threshold: Mapped[Decimal | None] = mapped_column(Money())
    position: Mapped[int] = mapped_column(default=0)

    @property
    def country_list(self) -> list[str]:
        return [code for code in (self.countries or "").split(",") if code]

    @property
    def city_list(self) -> list[str]:
        return [city.strip() for city in (self.cities or "").split(",") if city.strip()]


class PaymentMethod(Base):
    """A payment method the business accepts, with the fee it costs (fee % + fixed)."""

    __tablename__ = "payment_method"
    __table_args__ = (
        sa.UniqueConstraint("business_id", "kind"),
        sa.CheckConstraint("fee_rate >= 0", name="fee_rate_positive"),
        sa.CheckConstraint("fee_fixed >= 0", name="fee_fixed_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(20))
    enabled: Mapped[bool] = mapped_column(default=True)
    fee_rate: Mapped[Decimal] = mapped_column(Rate(), default=Decimal("0"))
    fee_fixed: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))

    @property
    def label(self) -> str:
        return str(METHOD_LABELS.get(self.kind, self.kind))


class Order(TimestampMixin, Base):
    __tablename__ = "sales_order"
    __table_args__ = (
        sa.UniqueConstraint("business_id", "number"),
        sa.UniqueConstraint("business_id", "idempotency_key"),
        sa.CheckConstraint(f"status IN {st.STATUSES!r}", name="status"),
        sa.CheckConstraint("subtotal >= 0", name="subtotal_positive"),
        sa.CheckConstraint("discount >= 0 AND discount <= subtotal", name="discount_range"),
        sa.CheckConstraint("shipping >= 0", name="shipping_positive"),
        sa.Index("ix_sales_order_business_created", "business_id", "created_at"),
        sa.Index("ix_sales_order_business_status_created", "business_id", "status", "created_at"),
        sa.Index(
            "ix_sales_order_business_payment_created", "business_id", "payment_status", "created_at"
        ),
        sa.Index("ix_sales_order_business_channel_created", "business_id", "channel", "created_at"),
        # A customer's orders by date; with the status, a search's tab counts (the found
        # customers' orders per status) are read from the index alone.
        sa.Index(
            "ix_sales_order_business_customer", "business_id", "customer_id", "created_at", "status"
        ),
        sa.Index("ix_sales_order_business_creator", "business_id", "created_by_id", "id"),
        sa.Index("ix_sales_order_business_total", "business_id", "total"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(sa.String(12), default=st.CONFIRMED)
    channel: Mapped[str] = mapped_column(sa.String(20), default="other")
    customer_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("customer.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    # A random key from the entry form: a retried or double-tapped save finds this order.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(64))
    request_hash: Mapped[str | None] = mapped_column(sa.String(64))
    # The unguessable part of the public status page's address.
    public_token: Mapped[str] = mapped_column(sa.String(40), unique=True)

    subtotal: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    discount_kind: Mapped[str | None] = mapped_column(sa.String(8))
    # The amount, or the percentage (12.5 = 12.5 %), as the seller typed it.
    discount_value: Mapped[Decimal | None] = mapped_column(Money())
    discount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    vat_rate: Mapped[Decimal] = mapped_column(Rate(), default=Decimal("0"))
    vat: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    # True when the prices contained the VAT (it is inside the subtotal, not added on top).
    vat_included: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    shipping_zone_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("shipping_zone.id", ondelete="SET NULL"), index=True
    )
    # True when the seller typed the delivery fee instead of picking a zone.
    shipping_manual: Mapped[bool] = mapped_column(default=False)
    shipping: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    total: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    # Σ quantity × unit cost of the items at the time they were sold.
    cost_total: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))

    amount_paid: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    amount_refunded: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    fees: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    payment_status: Mapped[str] = mapped_column(sa.String(16), default=PAYMENT_UNPAID)

    delivery_address: Mapped[str | None] = mapped_column(sa.String(300))
    delivery_city: Mapped[str | None] = mapped_column(sa.String(100))
    note: Mapped[str | None] = mapped_column(sa.Text())
    # Bumped by every edit; an edit form posted against an older version is refused.
    version: Mapped[int] = mapped_column(default=1)

    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    customer: Mapped[Customer | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    shipping_zone: Mapped[ShippingZone | None] = relationship()
    items: Mapped[list[OrderItem]] = relationship(
        back_populates="order",
        order_by="OrderItem.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def balance(self) -> Decimal:
        """What the customer still owes (negative when they paid too much)."""
        return self.total - self.amount_paid

    @property
    def net_sales(self) -> Decimal:
        """What was sold after the discount, without VAT (and without delivery)."""
        if self.vat_included:
            return self.subtotal - self.discount - self.vat
        return self.subtotal - self.discount

    @property
    def status_label(self) -> str:
        return str(st.LABELS.get(self.status, self.status))

    @property
    def payment_status_label(self) -> str:
        return str(PAYMENT_STATUS_LABELS.get(self.payment_status, self.payment_status))

    @property
    def channel_label(self) -> str:
        return str(CHANNEL_LABELS.get(self.channel, self.channel))

    @property
    def profit(self) -> Decimal:
        """Per-order profit: sales after discount + delivery charged − item cost − fees."""
        return self.net_sales + self.shipping - self.cost_total - self.fees

    @property
    def status_time(self) -> datetime | None:
        column = st.STAMP_COLUMNS.get(self.status)
        return getattr(self, column) if column else self.created_at


class OrderItem(Base):
    """One line of an order; names, price and cost are snapshots taken when it was sold."""

    __tablename__ = "order_item"
    __table_args__ = (
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("unit_price >= 0", name="unit_price_positive"),
        # Order first, then business: the planner prefers it to the business_id index.
        sa.Index("ix_order_item_order", "order_id", "business_id", "position"),
        sa.Index("ix_order_item_business_variant", "business_id", "variant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_order.id", ondelete="CASCADE"))
    variant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("product_variant.id", ondelete="SET NULL")
    )
    position: Mapped[int] = mapped_column(default=0)
    product_name: Mapped[str] = mapped_column(sa.String(200))
    variant_title: Mapped[str | None] = mapped_column(sa.String(200))
    sku: Mapped[str | None] = mapped_column(sa.String(64))
    quantity: Mapped[int] = mapped_column()
    unit_price: Mapped[Decimal] = mapped_column(Money())
    line_total: Mapped[Decimal] = mapped_column(Money())
    unit_cost: Mapped[Decimal] = mapped_column(Money(scale=4), default=Decimal("0"))

    order: Mapped[Order] = relationship(back_populates="items")

    @property
    def name(self) -> str:
        return (
            f"{self.product_name} — {self.variant_title}"
            if self.variant_title
            else self.product_name
        )


class Payment(Base):
    """Money received for an order, or given back (a refund: negative amount and fee)."""

    __tablename__ = "order_payment"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('payment', 'refund')", name="kind"),
        sa.CheckConstraint(
            "(kind = 'payment' AND amount > 0) OR (kind = 'refund' AND amount < 0)",
            name="amount_sign",
        ),
        sa.Index("ix_order_payment_order", "order_id", "business_id"),
        sa.Index("ix_order_payment_business_received", "business_id", "received_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_order.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(8), default="payment")
    method: Mapped[str] = mapped_column(sa.String(20))
    amount: Mapped[Decimal] = mapped_column(Money())
    fee: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    reference: Mapped[str | None] = mapped_column(sa.String(120))
    received_on: Mapped[date] = mapped_column(sa.Date())
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def method_label(self) -> str:
        return str(METHOD_LABELS.get(self.method, self.method))

    @property
    def is_refund(self) -> bool:
        return self.kind == "refund"


class OrderEvent(Base):
    """One entry of an order's timeline: created, status, payment, refund, edit or note."""

    __tablename__ = "order_event"
    __table_args__ = (sa.Index("ix_order_event_order", "order_id", "business_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("sales_order.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(12))
    from_status: Mapped[str | None] = mapped_column(sa.String(12))
    to_status: Mapped[str | None] = mapped_column(sa.String(12))
    body: Mapped[str | None] = mapped_column(sa.Text())
    # Structured details (amounts as strings), rendered in the viewer's language.
    data: Mapped[dict | None] = mapped_column(sa.JSON())
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    actor: Mapped[User | None] = relationship()


class OrderCount(Base):
    """How many orders a business has in each (status, payment status): kept by
    `counters.py` on every flush, so the status tabs and the business home count without
    reading the orders."""

    __tablename__ = "order_count"

    business_id: Mapped[int] = mapped_column(
        sa.ForeignKey("business.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    payment_status: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
