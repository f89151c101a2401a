"""Changing an order after it was saved: items, prices, discount, delivery, customer.

Stock moves by the difference, totals are recomputed, the payment status follows
the new total, and the timeline records what changed. Accounting gets the amounts
before and after (`order_edited`) so it reverses and re-posts rather than silently
changing the books.
"""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _

from kyora.core.db import utcnow
from kyora.core.errors import Conflict, OutOfStock, ValidationFailed
from kyora.extensions import db
from kyora.inventory import services as inventory
from kyora.inventory.costing import average_cost_of
from kyora.orders import events
from kyora.orders import status as st
from kyora.orders.drafts import SHIP_MANUAL, DraftLine, OrderDraft, price_draft
from kyora.orders.models import Order, OrderItem
from kyora.orders.payments import refresh_payment_status
from kyora.orders.records import (
    add_event,
    item_snapshots,
    lock_order,
    order_items,
    refresh_customer_stats,
)
from kyora.orders.services import NOTE_MAX, cost_of, delivery_address, resolve_customer


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


def _held(items: list[OrderItem]) -> dict[int, int]:
    held: dict[int, int] = {}
    for item in items:
        if item.variant_id is not None:
            held[item.variant_id] = held.get(item.variant_id, 0) + item.quantity
    return held


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
    held = _held(old_items)
    priced = price_draft(business, draft, held=held, vat_rate=order.vat_rate)
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

    # Stock: take what the new lines add, put back what they remove, per variant.
    wanted: dict[int, int] = {}
    for line in priced.lines:
        wanted[line.variant.id] = wanted.get(line.variant.id, 0) + line.quantity
    new_costs: dict[int, Decimal] = {}
    for variant_id in sorted(set(wanted) | set(held)):
        delta = wanted.get(variant_id, 0) - held.get(variant_id, 0)
        # What the order already holds keeps its cost; added units come at today's cost.
        pairs = [(i.quantity, i.unit_cost) for i in old_items if i.variant_id == variant_id]
        if delta > 0:
            try:
                movement = inventory.take_stock(
                    business,
                    actor,
                    variant_id,
                    delta,
                    source_type="order",
                    source_id=order.id,
                    note=f"#{order.number}",
                )
            except OutOfStock as error:
                index = next(line.index for line in priced.lines if line.variant.id == variant_id)
                raise ValidationFailed({f"items-{index}-quantity": error.message}) from error
            pairs.append((delta, movement.unit_cost or Decimal(0)))
        elif delta < 0:
            inventory.put_back_stock(
                business,
                actor,
                variant_id,
                -delta,
                kind="cancel",
                source_type="order",
                source_id=order.id,
                note=f"#{order.number}",
            )
        cost = average_cost_of(pairs)
        if cost is not None:
            new_costs[variant_id] = cost

    address, city = order.delivery_address, order.delivery_city
    if draft.address_id or draft.address_line.strip() != (order.delivery_address or ""):
        address, city = delivery_address(business, actor, customer, draft)

    for item in old_items:
        db.session.delete(item)
    db.session.flush()
    items = []
    for line in priced.lines:
        variant = line.variant
        item = OrderItem(
            business_id=business.id,
            order_id=order.id,
            variant_id=variant.id,
            position=line.index,
            product_name=variant.product.name,
            variant_title=variant.options_label or None,
            sku=variant.sku,
            quantity=line.quantity,
            unit_price=line.unit_price,
            line_total=line.line_total,
            unit_cost=new_costs.get(variant.id, variant.avg_cost),
        )
        db.session.add(item)
        items.append(item)

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
    )
    refresh_customer_stats(business, customer_id)
    if old_customer_id != customer_id:
        refresh_customer_stats(business, old_customer_id)
    return order
