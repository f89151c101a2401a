"""A draft checked and priced: the one place an order's lines and totals are worked out.

The live totals preview and saving both call `price_draft`, so what the seller saw is
what is saved, to the cent. It never raises; it returns the problems beside the fields
they concern (`items-0-quantity`, `discount`, ...), and saving refuses a draft that has
any. The arithmetic itself (discount, VAT, delivery, rounding) is `totals.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from kyora.core.db import already_loaded
from kyora.core.money import ZERO, minor_units, quantize
from kyora.extensions import db
from kyora.inventory.models import Product, Variant
from kyora.orders.drafts import (
    MAX_LINES,
    MAX_QUANTITY,
    SHIP_MANUAL,
    SHIP_ZONE,
    OrderDraft,
)
from kyora.orders.models import CHANNEL_KEYS, ShippingZone
from kyora.orders.totals import (
    DISCOUNT_AMOUNT,
    DISCOUNT_PERCENT,
    LineInput,
    ShippingInput,
    Totals,
    compute_totals,
)


@dataclass
class PricedLine:
    index: int
    variant: Variant
    quantity: int
    unit_price: Decimal
    line_total: Decimal = ZERO


@dataclass
class PricedDraft:
    lines: list[PricedLine]
    totals: Totals
    zone: ShippingZone | None
    errors: dict[str, str]
    # Lines whose variant could not be used (still shown on the form).
    skipped: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def load_variants(business, ids) -> dict[int, Variant]:
    """The business's variants with these ids, with their product (one query)."""
    ids = {int(i) for i in ids if i}
    if not ids:
        return {}
    # Saving re-reads the variants the form was just checked with: same request, same rows.
    known = already_loaded(db.session, Variant, ids, "product")
    if known is not None and all(v.business_id == business.id for v in known.values()):
        return known
    rows = db.session.scalars(
        sa.select(Variant)
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.business_id == business.id, Variant.id.in_(ids))
        .options(joinedload(Variant.product))
    )
    return {variant.id: variant for variant in rows}


def decimals_ok(value: Decimal, currency: str) -> bool:
    """True when `value` needs no more decimals than the currency has ("12.500" is fine)."""
    return Decimal(value) == quantize(value, currency)


def _check_lines(business, draft: OrderDraft, held: dict[int, int], errors: dict) -> list:
    """Priced lines of the draft; problems go into `errors` beside each line's fields."""
    variants = load_variants(business, [line.variant_id for line in draft.lines])
    wanted: dict[int, int] = {}
    priced: list[PricedLine] = []
    for index, line in enumerate(draft.lines):
        prefix = f"items-{index}-"
        variant = variants.get(line.variant_id) if line.variant_id else None
        if line.variant_id is None:
            errors[prefix + "variant_id"] = _("Pick a product for this line.")
            continue
        if variant is None:
            errors[prefix + "variant_id"] = _("This product is not in your catalog.")
            continue
        if variant.archived or variant.product.archived:
            errors[prefix + "variant_id"] = _(
                "%(name)s is archived. Pick another product.", name=variant.title
            )
            continue
        quantity = line.quantity
        if quantity is None or quantity <= 0:
            errors[prefix + "quantity"] = _("Enter a quantity of 1 or more.")
            continue
        if quantity > MAX_QUANTITY:
            errors[prefix + "quantity"] = _("Enter a smaller quantity.")
            continue
        price = variant.price if line.unit_price is None else line.unit_price
        if price < 0:
            errors[prefix + "unit_price"] = _("A price can't be negative.")
            continue
        if not decimals_ok(price, business.currency):
            errors[prefix + "unit_price"] = _(
                "Use at most %(count)d decimals.", count=minor_units(business.currency)
            )
            continue
        if price == 0 and not draft.allow_zero_price:
            errors[prefix + "unit_price"] = _(
                "The price is 0. Tick “Some items are free” below if that is right."
            )
        wanted[variant.id] = wanted.get(variant.id, 0) + quantity
        available = variant.stock + held.get(variant.id, 0)
        if wanted[variant.id] > available:
            errors[prefix + "quantity"] = _(
                "Only %(count)d of %(name)s in stock.", count=max(available, 0), name=variant.title
            )
        priced.append(PricedLine(index, variant, quantity, Decimal(price)))
    if not draft.lines:
        errors["items"] = _("Add at least one product.")
    elif len(draft.lines) > MAX_LINES:
        errors["items"] = _("An order can have up to %(count)d lines.", count=MAX_LINES)
    return priced


def _shipping(business, draft: OrderDraft, errors: dict):
    if draft.shipping_mode == SHIP_ZONE:
        zone = None
        if draft.shipping_zone_id:
            zone = db.session.scalar(
                sa.select(ShippingZone).where(
                    ShippingZone.id == draft.shipping_zone_id,
                    ShippingZone.business_id == business.id,
                )
            )
        if zone is None:
            errors["shipping_zone_id"] = _("Choose a delivery zone.")
            return None, None
        return zone, ShippingInput(cost=zone.cost, free_threshold=zone.free_threshold)
    if draft.shipping_mode == SHIP_MANUAL:
        fee = draft.shipping_fee
        if fee is None or fee < 0:
            errors["shipping_fee"] = _("Enter the delivery fee (0 or more).")
            return None, None
        if not decimals_ok(fee, business.currency):
            errors["shipping_fee"] = _(
                "Use at most %(count)d decimals.", count=minor_units(business.currency)
            )
            return None, None
        return None, ShippingInput(cost=fee, manual=True)
    return None, None


def _check_discount(business, draft: OrderDraft, totals: Totals, errors: dict) -> None:
    value = draft.discount_value
    if value is None or value == 0:
        return
    if value < 0:
        errors["discount_value"] = _("A discount can't be negative.")
    elif draft.discount_kind == DISCOUNT_PERCENT and value > 100:
        errors["discount_value"] = _("A discount can be at most 100 %.")
    elif draft.discount_kind == DISCOUNT_AMOUNT and not decimals_ok(value, business.currency):
        errors["discount_value"] = _(
            "Use at most %(count)d decimals.", count=minor_units(business.currency)
        )
    elif totals.discount_capped:
        errors["discount_value"] = _("The discount can't be more than the subtotal.")


def price_draft(
    business,
    draft: OrderDraft,
    held: dict[int, int] | None = None,
    vat_rate=None,
    vat_included: bool | None = None,
) -> PricedDraft:
    """Check the draft and work out its lines and totals.

    `held` maps variant ids to units this order already holds (when editing), which
    count as available; `vat_rate` and `vat_included` are how the order was sold
    (when editing), else the business's current settings.
    """
    errors: dict[str, str] = {}
    if draft.channel not in CHANNEL_KEYS:
        errors["channel"] = _("Choose a channel from the list.")
    priced = _check_lines(business, draft, held or {}, errors)
    zone, shipping = _shipping(business, draft, errors)
    discount_value = draft.discount_value if (draft.discount_value or 0) > 0 else None
    totals = compute_totals(
        [LineInput(line.unit_price, line.quantity) for line in priced],
        currency=business.currency,
        vat_rate=(business.vat_rate if vat_rate is None else vat_rate) or ZERO,
        discount_kind=draft.discount_kind if discount_value else None,
        discount_value=discount_value,
        shipping=shipping,
        vat_included=bool(business.prices_include_vat if vat_included is None else vat_included),
    )
    for line, amount in zip(priced, totals.lines, strict=True):
        line.line_total = amount
    _check_discount(business, draft, totals, errors)
    skipped = [i for i in range(len(draft.lines)) if i not in {line.index for line in priced}]
    return PricedDraft(priced, totals, zone, errors, skipped)
