"""How orders react to other domains' signals (connected once, at app creation)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.businesses import events as business_events
from kyora.customers import events as customer_events
from kyora.extensions import db
from kyora.orders.customer_stats import refresh_customer_stats
from kyora.orders.models import Order
from kyora.orders.settings import setup_new_business

CUSTOMER_PAGE_ORDERS = 20


def _business_created(business, **_kwargs):
    setup_new_business(business)


def _currency_locked(business, **_kwargs) -> bool:
    """The currency is fixed once the business has an order."""
    return (
        db.session.scalar(sa.select(Order.id).where(Order.business_id == business.id).limit(1))
        is not None
    )


def _customers_merged(business, *, kept, merged, **_kwargs):
    """The merged customer's orders now belong to the kept one."""
    db.session.execute(
        sa.update(Order)
        .where(Order.business_id == business.id, Order.customer_id == merged.id)
        .values(customer_id=kept.id)
        .execution_options(synchronize_session=False)
    )
    refresh_customer_stats(business, kept.id)


def _customer_deleting(customer, *, business, **_kwargs):
    has_orders = db.session.scalar(
        sa.select(Order.id)
        .where(Order.business_id == business.id, Order.customer_id == customer.id)
        .limit(1)
    )
    if has_orders is not None:
        return _(
            "%(name)s has orders, so they can't be deleted. Merge them into another customer instead.",
            name=customer.display_name,
        )
    return None


def customer_page_orders(*, business, customer):
    """The customer page's orders section (slot `customer.page`)."""
    orders = list(
        db.session.scalars(
            sa.select(Order)
            .where(Order.business_id == business.id, Order.customer_id == customer.id)
            .order_by(Order.created_at.desc(), Order.id.desc())
            .limit(CUSTOMER_PAGE_ORDERS)
        )
    )
    return {"orders": orders, "customer": customer}


def connect() -> None:
    """Connect the receivers (idempotent: blinker keeps one connection per function)."""
    business_events.business_created.connect(_business_created)
    business_events.currency_change_requested.connect(_currency_locked)
    customer_events.customers_merged.connect(_customers_merged)
    customer_events.customer_deleting.connect(_customer_deleting)
