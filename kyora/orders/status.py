"""The order status machine (pure: no database, no request).

`pending → confirmed | cancelled`; `confirmed → ready | shipped | delivered | cancelled`;
`ready → shipped | delivered | cancelled`; `shipped → delivered | returned`;
`delivered → returned`. Cancelled and returned are final.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PENDING = "pending"
CONFIRMED = "confirmed"
READY = "ready"
SHIPPED = "shipped"
DELIVERED = "delivered"
CANCELLED = "cancelled"
RETURNED = "returned"

STATUSES = (PENDING, CONFIRMED, READY, SHIPPED, DELIVERED, CANCELLED, RETURNED)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    PENDING: (CONFIRMED, CANCELLED),
    CONFIRMED: (READY, SHIPPED, DELIVERED, CANCELLED),
    READY: (SHIPPED, DELIVERED, CANCELLED),
    SHIPPED: (DELIVERED, RETURNED),
    DELIVERED: (RETURNED,),
    CANCELLED: (),
    RETURNED: (),
}

# Statuses in which the order counts as a sale (revenue recognised, stock sold).
SALE_STATUSES = (CONFIRMED, READY, SHIPPED, DELIVERED)
# Statuses whose items may still be changed (the goods have not left yet).
EDITABLE_STATUSES = (PENDING, CONFIRMED, READY)
# Sales still waiting to leave: the orders list's "To ship" view.
TO_SHIP = "to_ship"
TO_SHIP_STATUSES = (CONFIRMED, READY)
# Statuses an order may be deleted in.
DELETABLE_STATUSES = (PENDING, CANCELLED)
# Statuses a new order may start in.
INITIAL_STATUSES = (CONFIRMED, PENDING)

# The column that records when the order reached each status.
STAMP_COLUMNS = {
    CONFIRMED: "confirmed_at",
    READY: "ready_at",
    SHIPPED: "shipped_at",
    DELIVERED: "delivered_at",
    CANCELLED: "cancelled_at",
    RETURNED: "returned_at",
}

LABELS = {
    TO_SHIP: _l("To ship"),
    PENDING: _l("Pending"),
    CONFIRMED: _l("Confirmed"),
    READY: _l("Ready"),
    SHIPPED: _l("Shipped"),
    DELIVERED: _l("Delivered"),
    CANCELLED: _l("Cancelled"),
    RETURNED: _l("Returned"),
}

# What the button that moves an order to each status says.
ACTIONS = {
    CONFIRMED: _l("Confirm"),
    READY: _l("Mark ready"),
    SHIPPED: _l("Mark shipped"),
    DELIVERED: _l("Mark delivered"),
    CANCELLED: _l("Cancel order"),
    RETURNED: _l("Mark returned"),
}


def next_steps(status: str) -> tuple[str, ...]:
    """The statuses an order in `status` may move to, in the order they are offered."""
    return TRANSITIONS.get(status, ())


def can_move(current: str, target: str) -> bool:
    """True when `current → target` is one of the valid next steps."""
    return target in next_steps(current)


def is_sale(status: str) -> bool:
    """True when an order in `status` counts as a sale."""
    return status in SALE_STATUSES


def is_final(status: str) -> bool:
    return not next_steps(status)
