"""The stock ledger: every change of stock is a movement, written with the change itself.

Orders take stock with one conditional UPDATE (`stock >= :qty`, in `sales.py`) so two
orders can never sell the same last unit; the CHECK constraint on the column is the
backstop. Restocks and adjustments lock the variant row first (FOR UPDATE; SQLite write
requests already hold the database lock) because they recompute the average cost.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from kyora.core.errors import ValidationFailed
from kyora.core.money import quantize
from kyora.extensions import db
from kyora.inventory import events
from kyora.inventory.costing import average_cost_of, weighted_average
from kyora.inventory.models import (
    ADJUST_REASONS,
    IN_STOCK,
    StockMovement,
    Variant,
)

MAX_QUANTITY = 1_000_000
MAX_UNIT_COST = Decimal("1000000000")
PUT_BACK_KINDS = ("cancel", "return")


def checked_quantity(value, field: str = "quantity", allow_zero: bool = False) -> int:
    """A whole number of units within bounds, or a ValidationFailed on `field`."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed({field: _("Enter a whole number.")}) from None
    if isinstance(value, Decimal | float) and number != value:
        raise ValidationFailed({field: _("Enter a whole number.")})
    if number < 0 or (number == 0 and not allow_zero):
        raise ValidationFailed(
            {field: _("Enter 0 or more.") if allow_zero else _("Enter at least 1.")}
        )
    if number > MAX_QUANTITY:
        raise ValidationFailed({field: _("That is more than we can count. Check the number.")})
    return number


def _unit_cost(value, field: str = "unit_cost") -> Decimal:
    try:
        cost = Decimal(value)
    except (TypeError, ValueError, ArithmeticError):
        raise ValidationFailed({field: _("Enter an amount, like 12.50.")}) from None
    if not cost.is_finite() or cost < 0:
        raise ValidationFailed({field: _("The cost can't be negative.")})
    if cost > MAX_UNIT_COST:
        raise ValidationFailed({field: _("That amount is too large.")})
    return cost


def _lock_variant(business, variant_id: int, field: str = "variant_id") -> Variant:
    """The variant row, locked for this transaction and freshly loaded."""
    variant = db.session.execute(
        sa.select(Variant)
        .where(Variant.id == variant_id, Variant.business_id == business.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if variant is None:
        raise ValidationFailed({field: _("This item is no longer in your catalog.")})
    return variant


def _after_change(variant: Variant, business) -> None:
    # A variant back above its threshold may be reported again when it next runs low.
    if variant.stock_status(business.low_stock_threshold) == IN_STOCK:
        variant.alerted_status = IN_STOCK


def new_movement(
    business,
    actor,
    variant: Variant,
    kind: str,
    quantity: int,
    unit_cost: Decimal | None,
    stock_after: int,
    note: str | None,
    source_type: str | None,
    source_id: int | None,
) -> StockMovement:
    """Add the movement to the session and announce it (`stock_changed`), unflushed."""
    movement = StockMovement(
        business_id=business.id,
        variant_id=variant.id,
        kind=kind,
        quantity=quantity,
        unit_cost=unit_cost,
        stock_after=stock_after,
        actor_id=actor.id if actor is not None else None,
        note=(note or "").strip()[:300] or None,
        source_type=source_type,
        source_id=source_id,
    )
    db.session.add(movement)
    events.stock_changed.send(business, variant=variant, movement=movement)
    return movement


def _record(
    business,
    actor,
    variant: Variant,
    kind: str,
    quantity: int,
    unit_cost: Decimal | None,
    note: str | None = None,
    source_type: str | None = None,
    source_id: int | None = None,
) -> StockMovement:
    # Flushed at once: restocks and adjustments post with the movement's id.
    movement = new_movement(
        business,
        actor,
        variant,
        kind,
        quantity,
        unit_cost,
        variant.stock,
        note,
        source_type,
        source_id,
    )
    db.session.flush()
    return movement


def _sale_cost(business, variant_id: int, source_type: str | None, source_id: int | None):
    """The average unit cost at which `source` took this variant, if it did."""
    if source_type is None or source_id is None:
        return None
    rows = db.session.execute(
        sa.select(StockMovement.quantity, StockMovement.unit_cost).where(
            StockMovement.business_id == business.id,
            StockMovement.variant_id == variant_id,
            StockMovement.source_type == source_type,
            StockMovement.source_id == source_id,
            StockMovement.kind == "sale",
            StockMovement.unit_cost.is_not(None),
        )
    ).all()
    return average_cost_of([(row.quantity, row.unit_cost) for row in rows])


def put_back_stock(
    business,
    actor,
    variant_id: int,
    quantity: int,
    *,
    kind: str = "cancel",
    source_type: str | None = None,
    source_id: int | None = None,
    note: str | None = None,
    unit_cost: Decimal | None = None,
) -> StockMovement:
    """Put units back on the shelf after a cancelled order or a resellable return.

    The units come back at the cost they left at (the sale's snapshot, found
    through `source_type`/`source_id`, or `unit_cost`), so the average cost and
    the books agree. Archived variants take stock back too.
    """
    if kind not in PUT_BACK_KINDS:
        raise ValueError(f"put-back kind must be one of {PUT_BACK_KINDS}")
    quantity = checked_quantity(quantity)
    variant = _lock_variant(business, variant_id)
    if unit_cost is None:
        unit_cost = _sale_cost(business, variant_id, source_type, source_id)
    cost = variant.avg_cost if unit_cost is None else _unit_cost(unit_cost)
    variant.avg_cost = weighted_average(variant.stock, variant.avg_cost, quantity, cost)
    variant.stock += quantity
    _after_change(variant, business)
    return _record(business, actor, variant, kind, quantity, cost, note, source_type, source_id)


def restock(
    business,
    actor,
    variant_id: int,
    quantity: int,
    unit_cost: Decimal | None,
    paid: bool,
    note: str | None = None,
) -> StockMovement:
    """Add stock: a purchase paid now (accounting books the cash) or found stock.

    The average cost is re-weighted with the new units. Found stock without a
    cost comes in at the current average.
    """
    quantity = checked_quantity(quantity)
    if unit_cost is None and paid:
        raise ValidationFailed({"unit_cost": _("Enter what you paid for each one.")})
    cost = None if unit_cost is None else _unit_cost(unit_cost)
    variant = _lock_variant(business, variant_id)
    if cost is None:
        cost = variant.avg_cost
    variant.avg_cost = weighted_average(variant.stock, variant.avg_cost, quantity, cost)
    variant.stock += quantity
    _after_change(variant, business)
    kind = "purchase" if paid else "found"
    movement = _record(business, actor, variant, kind, quantity, cost, note)
    amount = quantize(Decimal(quantity) * cost, business.currency)
    if paid:
        events.stock_purchased.send(business, movement=movement, amount=amount)
    else:
        events.stock_adjusted.send(business, movement=movement, amount=amount)
    return movement


def adjust_stock(
    business,
    actor,
    variant_id: int,
    reason: str,
    *,
    counted: int | None = None,
    quantity: int | None = None,
    note: str | None = None,
) -> StockMovement:
    """Correct stock by hand: a recount (`counted` = units on the shelf now), or
    units damaged or lost (`quantity` removed). Valued at the average cost.
    """
    if reason not in ADJUST_REASONS:
        raise ValidationFailed({"reason": _("Choose why the stock changed.")})
    if reason == "correction":
        if counted is None or counted == "":
            raise ValidationFailed({"counted": _("Enter how many you counted.")})
        counted = checked_quantity(counted, "counted", allow_zero=True)
        variant = _lock_variant(business, variant_id)
        delta = counted - variant.stock
        if delta == 0:
            raise ValidationFailed(
                {"counted": _("Stock is already %(count)d. Nothing to change.", count=counted)}
            )
    else:
        if quantity is None or quantity == "":
            raise ValidationFailed({"quantity": _("Enter how many.")})
        removed = checked_quantity(quantity)
        variant = _lock_variant(business, variant_id)
        if removed > variant.stock:
            raise ValidationFailed(
                {
                    "quantity": ngettext(
                        "Only %(num)d in stock.", "Only %(num)d in stock.", variant.stock
                    )
                    if variant.stock
                    else _("Nothing is in stock to remove.")
                }
            )
        delta = -removed
    variant.stock += delta
    _after_change(variant, business)
    movement = _record(business, actor, variant, reason, delta, variant.avg_cost, note)
    amount = quantize(Decimal(delta) * variant.avg_cost, business.currency)
    events.stock_adjusted.send(business, movement=movement, amount=amount)
    return movement


def record_opening_stock(business, actor, variant: Variant, quantity: int, note=None):
    """The first count of a new variant, at its cost price (value enters the books)."""
    variant.stock = quantity
    movement = _record(business, actor, variant, "initial", quantity, variant.avg_cost, note)
    amount = quantize(Decimal(quantity) * variant.avg_cost, business.currency)
    events.stock_adjusted.send(business, movement=movement, amount=amount)
    return movement


def change_cost(business, actor, variant: Variant, new_cost: Decimal, note=None):
    """Set a variant's cost by hand. With stock on hand the revaluation is a movement."""
    new_cost = _unit_cost(new_cost, "cost")
    old_cost = variant.avg_cost
    if new_cost == old_cost:
        return None
    variant.avg_cost = new_cost
    if variant.stock == 0:
        return None
    movement = _record(business, actor, variant, "cost_change", 0, new_cost, note)
    amount = quantize(Decimal(variant.stock) * (new_cost - old_cost), business.currency)
    events.stock_adjusted.send(business, movement=movement, amount=amount)
    return movement


def set_threshold(business, actor, variant_id: int, threshold: int | None) -> Variant:
    """Set the variant's low-stock threshold (None: follow the business default)."""
    if threshold is not None and threshold != "":
        threshold = checked_quantity(threshold, "threshold", allow_zero=True)
    else:
        threshold = None
    variant = _lock_variant(business, variant_id)
    variant.low_stock_threshold = threshold
    _after_change(variant, business)
    db.session.flush()
    return variant


def set_default_threshold(business, actor, threshold) -> None:
    """The business-wide low-stock threshold (variants without their own follow it)."""
    if threshold is None or threshold == "":
        raise ValidationFailed({"threshold": _("Enter a number, like 3.")})
    business.low_stock_threshold = checked_quantity(threshold, "threshold", allow_zero=True)
    db.session.flush()


def stock_value(business) -> tuple[Decimal, int]:
    """Inventory value (Σ stock × average cost, rounded) and units on hand."""
    row = db.session.execute(
        sa.select(
            sa.type_coerce(
                sa.func.coalesce(sa.func.sum(Variant.stock * Variant.avg_cost), 0),
                Variant.avg_cost.type,
            ),
            sa.func.coalesce(sa.func.sum(Variant.stock), 0),
        ).where(Variant.business_id == business.id)
    ).one()
    return quantize(row[0] or 0, business.currency), int(row[1] or 0)


def ledger_total(business, variant_id: int) -> int:
    """Σ of a variant's movements (always equal to its stock on hand)."""
    return int(
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(StockMovement.quantity), 0)).where(
                StockMovement.business_id == business.id,
                StockMovement.variant_id == variant_id,
            )
        )
    )
