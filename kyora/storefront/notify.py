"""Telling the seller about a shop order: an email to the owners and admins, and the
"new from your shop" badge on the order in their list while it waits for them."""

from __future__ import annotations

import sqlalchemy as sa

from kyora.accounts.models import User
from kyora.core.mail import queue_email
from kyora.core.permissions import ADMIN, OWNER
from kyora.extensions import db
from kyora.orders import status as order_status
from kyora.storefront.checkout import CHANNEL


def notify_seller(business, order, items) -> int:
    """Queue the "new order from your shop" email for each owner and admin (sent
    once the order is committed); returns how many were queued."""
    people = db.session.scalars(
        sa.select(User).where(
            User.workspace_id == business.workspace_id,
            User.role.in_((OWNER, ADMIN)),
            User.deactivated_at.is_(None),
            User.email_verified_at.is_not(None),
        )
    ).all()
    for user in people:
        queue_email(
            user.email,
            "storefront_order",
            locale=user.locale,
            name=user.first_name,
            business=business,
            order=order,
            items=items,
        )
    return len(people)


def new_shop_orders(*, business, rows) -> dict[int, bool]:
    """The orders of a list page that came from the shop and still wait (pending)."""
    return {
        order.id: True
        for order in rows
        if order.channel == CHANNEL and order.status == order_status.PENDING
    }
