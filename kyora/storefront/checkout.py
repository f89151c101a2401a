"""Turning a shopper's cart into a pending order on the `storefront` channel.

The order goes through the orders domain's `create_order`, like any other: prices
are the catalog's (the cart holds none), stock is taken and held while the order is
pending, the customer is found by phone or created, and the form's idempotency key
makes a double tap or a retried request one order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.core import i18n
from kyora.core.errors import ValidationFailed
from kyora.core.phones import normalize_phone
from kyora.extensions import db
from kyora.orders import status as order_status
from kyora.orders.drafts import SHIP_NONE, SHIP_ZONE
from kyora.orders.models import Order
from kyora.orders.services import (
    DraftLine,
    OrderDraft,
    Saved,
    create_order,
    list_zones,
    price_draft,
)
from kyora.storefront.cart import Cart
from kyora.storefront.catalog import cart_variants

KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
NAME_MAX, ADDRESS_MAX, CITY_MAX, NOTE_MAX = 120, 200, 100, 500
CHANNEL = "storefront"


@dataclass
class CheckoutDetails:
    """What the shopper typed on the checkout form."""

    name: str = ""
    phone_country: str = ""
    phone: str = ""
    address: str = ""
    city: str = ""
    zone_id: int | None = None
    note: str = ""
    key: str = ""


class ItemsUnavailable(ValidationFailed):
    """Some of the cart sold out (or went) meanwhile; `available` is what is left of
    each variant of the cart, so the cart can be trimmed to it."""

    def __init__(self, available: dict[int, int]):
        super().__init__(
            {"cart": _("Some items sold out while you were shopping. We updated your cart.")}
        )
        self.available = available


def shopper_phone(country: str, number: str) -> str:
    """The shopper's number in E.164: typed with its country code, or local to
    `country`. Raises ValidationFailed({"phone": ...})."""
    if not (number or "").strip():
        raise ValidationFailed({"phone": _("Enter your phone number.")})
    region = country if country in i18n.country_codes() else None
    try:
        phone = normalize_phone(number, region)
    except ValueError:
        phone = None
    if phone is None:
        raise ValidationFailed({"phone": _("Enter a valid phone number.")})
    return phone


def _check(business, details: CheckoutDetails, zones) -> dict[str, str]:
    errors: dict[str, str] = {}
    name = " ".join(details.name.split())
    if len(name) < 2:
        errors["name"] = _("Enter your name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("Use at most %(count)d characters.", count=NAME_MAX)
    try:
        shopper_phone(details.phone_country, details.phone)
    except ValidationFailed as error:
        errors.update(error.errors)
    if not details.address.strip():
        errors["address"] = _("Enter the delivery address.")
    elif len(details.address.strip()) > ADDRESS_MAX:
        errors["address"] = _("Use at most %(count)d characters.", count=ADDRESS_MAX)
    if len(details.city.strip()) > CITY_MAX:
        errors["city"] = _("Use at most %(count)d characters.", count=CITY_MAX)
    if zones and details.zone_id not in {zone.id for zone in zones}:
        errors["zone_id"] = _("Choose where we deliver to.")
    if len(details.note.strip()) > NOTE_MAX:
        errors["note"] = _("Use at most %(count)d characters.", count=NOTE_MAX)
    if not KEY_RE.match(details.key or ""):
        errors["cart"] = _("This form has expired. Check your order and send it again.")
    return errors


def earlier_order(business, key: str) -> Order | None:
    """The order this checkout form already placed (a double tap, a retry), if any."""
    if not KEY_RE.match(key or ""):
        return None
    return db.session.scalar(
        sa.select(Order).where(
            Order.business_id == business.id, Order.idempotency_key == f"{CHANNEL}-{key}"
        )
    )


def place_order(business, settings, cart: Cart, details: CheckoutDetails) -> Saved:
    """Place the cart as a pending storefront order. Raises ValidationFailed for the
    form's fields, ItemsUnavailable when the cart asks for more than is left."""
    earlier = earlier_order(business, details.key)
    if earlier is not None:
        return Saved(earlier, created=False)
    zones = list_zones(business)
    errors = _check(business, details, zones)
    variants = cart_variants(business, settings, cart.lines)
    if not cart.lines:
        errors["cart"] = _("Your cart is empty.")
    if errors:
        raise ValidationFailed(errors)
    available = {variant.id: max(variant.stock, 0) for variant in variants.values()}
    if any(available.get(vid, 0) < qty for vid, qty in cart.lines.items()):
        raise ItemsUnavailable(available)
    draft = OrderDraft(
        lines=[DraftLine(vid, qty) for vid, qty in cart.lines.items()],
        customer_name=" ".join(details.name.split()),
        customer_phone=shopper_phone(details.phone_country, details.phone),
        channel=CHANNEL,
        status=order_status.PENDING,
        shipping_mode=SHIP_ZONE if zones else SHIP_NONE,
        shipping_zone_id=details.zone_id if zones else None,
        address_line=details.address.strip(),
        address_city=details.city.strip(),
        note=details.note.strip(),
        # A price of 0 is the seller's choice here: the shopper cannot tick anything.
        allow_zero_price=True,
        idempotency_key=f"{CHANNEL}-{details.key}",
    )
    try:
        return create_order(business, None, draft)
    except ValidationFailed as error:
        if any(key.startswith("items") for key in error.errors):
            # Sold out between the check above and taking the stock.
            raise ItemsUnavailable(_left(business, settings, cart)) from error
        raise


def _left(business, settings, cart: Cart) -> dict[int, int]:
    variants = cart_variants(business, settings, cart.lines, fresh=True)
    return {variant.id: max(variant.stock, 0) for variant in variants.values()}


@dataclass
class CartLine:
    variant: object
    quantity: int
    unit_price: object
    line_total: object


@dataclass
class CartSummary:
    """The cart priced by the orders domain (so the shopper sees what the order will
    say), after dropping what can no longer be bought."""

    lines: list[CartLine]
    totals: object
    changed: bool


def summarize(business, settings, cart: Cart, zone_id: int | None = None) -> CartSummary:
    """Trim `cart` to what is left (in place) and price it, with delivery to `zone_id`."""
    variants = cart_variants(business, settings, cart.lines)
    changed = bool(cart.keep_only({v.id: max(v.stock, 0) for v in variants.values()}))
    zones = list_zones(business) if zone_id else []
    zone_ok = zone_id in {zone.id for zone in zones}
    draft = OrderDraft(
        lines=[DraftLine(vid, qty) for vid, qty in cart.lines.items()],
        channel=CHANNEL,
        shipping_mode=SHIP_ZONE if zone_ok else SHIP_NONE,
        shipping_zone_id=zone_id if zone_ok else None,
        allow_zero_price=True,
    )
    priced = price_draft(business, draft)
    lines = [
        CartLine(line.variant, line.quantity, line.unit_price, line.line_total)
        for line in priced.lines
    ]
    return CartSummary(lines, priced.totals, changed)
