"""Changing an order after it was saved: items, prices, discount, delivery, customer;
a note on its timeline; deleting it.

On an edit, stock moves by the difference, totals are recomputed, the payment status
follows the new total, and the timeline records what changed. Accounting gets the
amounts before and after (`order_edited`) so it reverses and re-posts rather than
silently changing the books.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.core.db import utcnow
from kyora.core.errors import Conflict, ValidationFailed
from kyora.extensions import db
from kyora.orders import events
from kyora.orders import status as st
from kyora.orders.creation import delivery_address, resolve_customer
from kyora.orders.customer_stats import refresh_customer_stats
from kyora.orders.drafts import NOTE_MAX, SHIP_MANUAL, DraftLine, OrderDraft
from kyora.orders.models import Order, OrderItem, Payment
from kyora.orders.order_rows import add_event, add_item, item_snapshots, lock_order
from kyora.orders.payments import refresh_payment_status
from kyora.orders.pricing import price_draft
from kyora.orders.queries import order_items
from kyora.orders.stock import cost_of, held_units, move_stock_by_difference, put_back_items


def draft_from_order(order: Order, items: list[OrderItem]) -> OrderDraft:
    """The edit form's starting point: the order as it is."""
    if order.shipping_manual:
        mode = "manual"
    elif order.shipping_zone_id:
        mode = "zone"
    else:
        mode = "none"
    return OrderDraft(
        lines=[DraftLine(item.variant_id, item.quantity, item.unit_price) for item in items],
        customer_id=order.customer_id,
        channel=order.channel,
        status=order.status,
        shipping_mode=mode,
        shipping_zone_id=order.shipping_zone_id,
        shipping_fee=order.shipping if order.shipping_manual else None,
        address_line=order.delivery_address or "",
        discount_kind=order.discount_kind or "amount",
        discount_value=order.discount_value,
        note=order.note or "",
        allow_zero_price=any(item.unit_price == 0 for item in items),
    )


def _changes(order: Order, draft: OrderDraft, old_items, priced, customer_id) -> list[str]:
    """Short codes of what changed, shown on the timeline in the reader's language."""
    changes = []
    old_lines = [(i.variant_id, i.quantity, i.unit_price) for i in old_items]
    new_lines = [(line.variant.id, line.quantity, line.unit_price) for line in priced.lines]
    if sorted(old_lines) != sorted(new_lines):
        changes.append("items")
    if priced.totals.discount != order.discount:
        changes.append("discount")
    if priced.totals.shipping != order.shipping or (
        (priced.zone.id if priced.zone else None) != order.shipping_zone_id
    ):
        changes.append("delivery")
    if customer_id != order.customer_id:
        changes.append("customer")
    if draft.channel != order.channel:
        changes.append("channel")
    if (draft.note or "").strip() != (order.note or ""):
        changes.append("note")
    return changes


def update_order(business, actor, order: Order, draft: OrderDraft, version: int | None = None):
    """Save the edit form for `order`. Refused once the goods have left (shipped and
    after), and when someone else saved a change since the form was opened."""
    order = lock_order(order)
    if version is not None and version != order.version:
        raise Conflict(
            _("Someone else changed this order while you were editing. Check it and try again.")
        )
    if order.status not in st.EDITABLE_STATUSES:
        raise ValidationFailed(
            {
                "items": _(
                    "This order is %(status)s, so its items can no longer change.",
                    status=order.status_label.lower(),
                )
            }
        )
    old_items = order_items(order)
    held = held_units(old_items)
    priced = price_draft(
        business, draft, held=held, vat_rate=order.vat_rate, vat_included=order.vat_included
    )
    if priced.errors:
        raise ValidationFailed(priced.errors)
    note = (draft.note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed({"note": _("Use at most %(count)d characters.", count=NOTE_MAX)})
    customer = resolve_customer(business, actor, draft)
    customer_id = customer.id if customer is not None else None
    old_customer_id = order.customer_id
    changes = _changes(order, draft, old_items, priced, customer_id)
    before, before_items = events.OrderAmounts.of(order), item_snapshots(old_items)
    before_place = events.OrderPlace.of(order)

    new_costs = move_stock_by_difference(business, actor, order, priced.lines, old_items)

    address, city = order.delivery_address, order.delivery_city
    if draft.address_id or draft.address_line.strip() != (order.delivery_address or ""):
        address, city = delivery_address(business, actor, customer, draft)

    for item in old_items:
        db.session.delete(item)
    db.session.flush()
    items = [
        add_item(business, order, line, new_costs.get(line.variant.id, line.variant.avg_cost))
        for line in priced.lines
    ]

    totals = priced.totals
    order.customer_id = customer_id
    order.channel = draft.channel
    order.subtotal = totals.subtotal
    order.discount_kind = draft.discount_kind if totals.discount else None
    order.discount_value = draft.discount_value if totals.discount else None
    order.discount = totals.discount
    order.vat = totals.vat
    order.shipping_zone_id = priced.zone.id if priced.zone is not None else None
    order.shipping_manual = draft.shipping_mode == SHIP_MANUAL
    order.shipping = totals.shipping
    order.total = totals.total
    order.cost_total = cost_of(items, business.currency)
    order.delivery_address, order.delivery_city = address, city
    order.note = note or None
    order.version += 1
    order.updated_at = utcnow()
    add_event(
        order,
        "edited",
        actor,
        data={"changes": changes, "old_total": str(before.total), "new_total": str(order.total)},
    )
    db.session.flush()
    refresh_payment_status(order)
    events.order_edited.send(
        business,
        order=order,
        actor=actor,
        was_sale=st.is_sale(order.status),
        before=before,
        after=events.OrderAmounts.of(order),
        before_items=before_items,
        after_items=item_snapshots(items),
        before_place=before_place,
    )
    refresh_customer_stats(business, customer_id)
    if old_customer_id != customer_id:
        refresh_customer_stats(business, old_customer_id)
    return order


def add_note(business, actor, order: Order, body: str):
    """An internal note on the order's timeline (never shown to the customer)."""
    body = (body or "").strip()
    if not body:
        raise ValidationFailed({"body": _("Write a note first.")})
    if len(body) > NOTE_MAX:
        raise ValidationFailed({"body": _("Use at most %(count)d characters.", count=NOTE_MAX)})
    event = add_event(order, "note", actor, body=body)
    db.session.flush()
    return event


def delete_order(business, actor, order: Order) -> None:
    """Delete a pending or cancelled order without payments; a pending one's stock goes back."""
    order = lock_order(order)
    if order.status not in st.DELETABLE_STATUSES:
        raise ValidationFailed(
            {"order": _("Only pending or cancelled orders can be deleted. Cancel it first.")}
        )
    has_payments = db.session.scalar(
        sa.select(sa.func.count(Payment.id)).where(Payment.order_id == order.id)
    )
    if has_payments:
        raise ValidationFailed(
            {"order": _("This order has payments, so it is kept for your records.")}
        )
    if order.status == st.PENDING:
        put_back_items(business, actor, order, order_items(order), "cancel")
    customer_id, order_id, number = order.customer_id, order.id, order.number
    db.session.delete(order)
    db.session.flush()
    events.order_deleted.send(business, order_id=order_id, number=number, actor=actor)
    refresh_customer_stats(business, customer_id)
