"""An order's stock: taking it for new lines, putting it back (cancel, resellable return,
delete, lines removed by an edit), and the cost snapshots the items keep.

The stock rows themselves belong to inventory (`kyora.inventory.services`); this module
decides what an order takes and gives back.
"""

from __future__ import annotations

from decimal import Decimal

from kyora.core.errors import OutOfStock, ValidationFailed
from kyora.core.money import quantize
from kyora.inventory import services as inventory
from kyora.inventory.services import average_cost_of
from kyora.orders.models import Order, OrderItem
from kyora.orders.order_rows import add_item


def take_lines_stock(business, lines) -> list[inventory.Taken]:
    """Take stock for each priced line, before the order is written: what the units
    cost is then known, and the order goes to the database with its cost of goods.

    An out-of-stock variant (a concurrent order took the last unit) is reported
    beside its line; the caller's rollback undoes anything already taken.
    """
    taken = []
    for line in lines:
        try:
            taken.append(inventory.take_units(business, line.variant.id, line.quantity))
        except OutOfStock as error:
            raise ValidationFailed({f"items-{line.index}-quantity": error.message}) from error
    return taken


def taken_cost(taken: list[inventory.Taken], currency: str):
    """What the taken units cost the business (at the average cost of each take), rounded
    as `cost_of` rounds the items that snapshot them."""
    return quantize(sum(((units.unit_cost or 0) * units.quantity for units in taken), 0), currency)


def add_sold_items(business, actor, order: Order, lines, taken) -> list[OrderItem]:
    """Write the stock movements of the units `take_lines_stock` took for `lines` and
    the order's items with their cost snapshots, all left for the next flush."""
    inventory.record_sales(
        business, actor, taken, source_type="order", source_id=order.id, note=f"#{order.number}"
    )
    return [
        add_item(business, order, line, units.unit_cost or 0)
        for line, units in zip(lines, taken, strict=True)
    ]


def cost_of(items: list[OrderItem], currency: str):
    """What the items cost the business (their unit cost snapshots), rounded."""
    return quantize(sum((item.unit_cost * item.quantity for item in items), 0), currency)


def put_back_items(business, actor, order: Order, items, kind: str) -> None:
    """Put the units of `items` back in stock (`kind` "cancel" or "return"); items whose
    variant was deleted since are skipped."""
    for item in items:
        if item.variant_id is None:
            continue
        inventory.put_back_stock(
            business,
            actor,
            item.variant_id,
            item.quantity,
            kind=kind,
            source_type="order",
            source_id=order.id,
            note=f"#{order.number}",
        )


def held_units(items: list[OrderItem]) -> dict[int, int]:
    """Units of each variant that the order's items already hold."""
    held: dict[int, int] = {}
    for item in items:
        if item.variant_id is not None:
            held[item.variant_id] = held.get(item.variant_id, 0) + item.quantity
    return held


def move_stock_by_difference(
    business, actor, order: Order, lines, old_items: list[OrderItem]
) -> dict[int, Decimal]:
    """Take what the new priced `lines` add and put back what they remove, per variant.

    Returns each variant's unit cost for the new items: what the order already held
    keeps its cost, added units come at today's cost.
    """
    held = held_units(old_items)
    wanted: dict[int, int] = {}
    for line in lines:
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
                index = next(line.index for line in lines if line.variant.id == variant_id)
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

    return new_costs
