"""Taking stock for sales: one conditional UPDATE per line (`stock >= :qty`), so two
orders can never sell the same last unit, and the "sale" movements of what was taken.

A new order takes its lines' units first (`take_units`) and writes their movements
(`record_sales`) once it has its id, with its items; an edit takes added units with
`take_stock`, which does both at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from kyora.core.errors import OutOfStock
from kyora.extensions import db
from kyora.inventory.models import StockMovement, Variant
from kyora.inventory.stock import checked_quantity, new_movement


def _out_of_stock(business, variant_id: int, quantity: int) -> OutOfStock:
    """The error for a refused take, naming the variant and what is left."""
    variant = db.session.execute(
        sa.select(Variant)
        .where(Variant.id == variant_id, Variant.business_id == business.id)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if variant is None:
        error = OutOfStock(_("This item is no longer in your catalog."))
    elif variant.archived:
        error = OutOfStock(_("%(name)s is no longer sold.", name=variant.title))
    elif variant.stock == 0:
        error = OutOfStock(_("%(name)s is out of stock.", name=variant.title))
    else:
        error = OutOfStock(
            ngettext(
                "Only %(num)d left of %(name)s.",
                "Only %(num)d left of %(name)s.",
                variant.stock,
                name=variant.title,
            )
        )
    error.variant_id = variant_id
    error.available = variant.stock if variant is not None and not variant.archived else 0
    error.requested = quantity
    return error


# Built once: the conditional take of `take_stock`, with its values as parameters.
_TAKE_STOCK = (
    sa.update(Variant)
    .where(
        Variant.id == sa.bindparam("take_variant"),
        Variant.business_id == sa.bindparam("take_business"),
        Variant.stock >= sa.bindparam("take_quantity"),
        Variant.archived_at.is_(None),
    )
    .values(stock=Variant.stock - sa.bindparam("take_quantity"))
    .returning(Variant)
)


@dataclass(frozen=True)
class Taken:
    """Units a sale took off the shelf (`take_units`), not yet in the ledger:
    `record_sales` writes their movements once the sale has its id."""

    variant: Variant
    quantity: int
    unit_cost: Decimal | None
    stock_after: int


def take_units(business, variant_id: int, quantity: int) -> Taken:
    """Take `quantity` units for a sale; refuse (OutOfStock) rather than go below zero.

    One conditional UPDATE decides, so concurrent orders cannot oversell, and hands
    back the row as it now is (new stock, current average cost): one round trip
    instead of an update and a re-read. The average cost is the sale's cost of goods.
    """
    quantity = checked_quantity(quantity)
    variant = db.session.execute(
        _TAKE_STOCK,
        {"take_variant": variant_id, "take_business": business.id, "take_quantity": quantity},
        execution_options={"synchronize_session": False, "populate_existing": True},
    ).scalar_one_or_none()
    if variant is None:
        raise _out_of_stock(business, variant_id, quantity)
    return Taken(variant, quantity, variant.avg_cost, variant.stock)


def record_sales(
    business,
    actor,
    taken: list[Taken],
    *,
    source_type: str | None = None,
    source_id: int | None = None,
    note: str | None = None,
) -> list[StockMovement]:
    """The "sale" movements of units `take_units` took, left for the next flush: an
    order's movements then go to the database together, with its items."""
    return [
        new_movement(
            business,
            actor,
            units.variant,
            "sale",
            -units.quantity,
            units.unit_cost,
            units.stock_after,
            note,
            source_type,
            source_id,
        )
        for units in taken
    ]


def take_stock(
    business,
    actor,
    variant_id: int,
    quantity: int,
    *,
    source_type: str | None = None,
    source_id: int | None = None,
    note: str | None = None,
) -> StockMovement:
    """Take `quantity` units for a sale (`take_units`) and record the movement at once."""
    units = take_units(business, variant_id, quantity)
    (movement,) = record_sales(
        business, actor, [units], source_type=source_type, source_id=source_id, note=note
    )
    db.session.flush()
    return movement
