"""Keeping `sales_day` right: what one order adds, applied as running sums.

Every order signal ends here (see receivers.py): a new sale adds its contribution on
its sale day, a cancel or return takes the same contribution away from that day, and
an edit takes the old one away and adds the new one. `refresh_firsts` re-reads a
customer's first two sales whenever their orders change, and moves the "new" and
"returning" counts to the right days.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from kyora.accounting.ledger import business_day
from kyora.core.db import add_to_sums, already_loaded
from kyora.core.money import ZERO, quantize
from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.insights.models import KEY_MAX, CustomerFirsts, SalesDay
from kyora.inventory.models import Variant
from kyora.orders import status as st
from kyora.orders.models import Order

COUNTERS = ("orders", "units", "sales", "cost", "new_customers", "returning_customers")


@dataclass
class Delta:
    orders: int = 0
    units: int = 0
    sales: Decimal = ZERO
    cost: Decimal = ZERO
    new_customers: int = 0
    returning_customers: int = 0

    def add(self, other: Delta, sign: int = 1) -> None:
        for name in COUNTERS:
            setattr(self, name, getattr(self, name) + sign * getattr(other, name))

    def is_zero(self) -> bool:
        return not any(getattr(self, name) for name in COUNTERS)


# {(dimension, day, key): Delta}
Changes = dict[tuple[str, date, str], Delta]


@dataclass(frozen=True)
class Place:
    """Where an order's sale is counted besides "all": its channel, country and city."""

    channel: str
    country: str | None
    city: str | None

    @classmethod
    def of(cls, order: Order, country: str | None) -> Place:
        return cls(order.channel or "other", country, order.delivery_city)


def city_key(city: str | None) -> str | None:
    """The delivery city as a key: spaces tidied, so "Dubai " and "Dubai" are one."""
    text = " ".join((city or "").split())
    return text[:KEY_MAX] or None


def line_value(quantity: int, unit_price: Decimal, vat_rate: Decimal, vat_included: bool):
    """A line's value without VAT (prices that include VAT have it taken out)."""
    value = unit_price * quantity
    if vat_included and vat_rate:
        value = value / (1 + vat_rate)
    return value


def order_changes(
    changes: Changes,
    day: date,
    place: Place,
    amounts,
    items,
    products: dict[int, int],
    *,
    vat_rate: Decimal,
    vat_included: bool,
    currency: str,
    sign: int = 1,
) -> None:
    """Add (sign=1) or take away (sign=-1) one sale to `changes`."""
    units = sum(item.quantity for item in items)
    whole = Delta(orders=1, units=units, sales=amounts.net_sales, cost=amounts.cost_total)
    keys = [("all", ""), ("channel", place.channel)]
    if place.country:
        keys.append(("country", place.country))
    city = city_key(place.city)
    if city:
        keys.append(("city", city))
    for dimension, key in keys:
        changes.setdefault((dimension, day, key), Delta()).add(whole, sign)
    per_product: dict[str, Delta] = defaultdict(Delta)
    per_variant: dict[str, Delta] = defaultdict(Delta)
    for item in items:
        if item.variant_id is None or item.variant_id not in products:
            continue
        value = quantize(
            line_value(item.quantity, item.unit_price, vat_rate, vat_included), currency
        )
        cost = quantize(item.unit_cost * item.quantity, currency)
        line = Delta(units=item.quantity, sales=value, cost=cost)
        per_product[str(products[item.variant_id])].add(line)
        per_variant[str(item.variant_id)].add(line)
    for dimension, parts in (("product", per_product), ("variant", per_variant)):
        for key, delta in parts.items():
            delta.orders = 1
            changes.setdefault((dimension, day, key), Delta()).add(delta, sign)


def products_of(business, items) -> dict[int, int]:
    """{variant id: product id} for the variants in `items` (one query)."""
    ids = {item.variant_id for item in items if item.variant_id is not None}
    if not ids:
        return {}
    # A save has just taken stock of these variants: the session holds them.
    known = already_loaded(db.session, Variant, ids)
    if known is not None and all(v.business_id == business.id for v in known.values()):
        return {variant_id: variant.product_id for variant_id, variant in known.items()}
    rows = db.session.execute(
        sa.select(Variant.id, Variant.product_id).where(
            Variant.business_id == business.id, Variant.id.in_(ids)
        )
    )
    return dict(rows.all())


def customer_country(customer_id: int | None) -> str | None:
    if not customer_id:
        return None
    known = already_loaded(db.session, Customer, [customer_id])
    if known is not None:
        return known[customer_id].country
    return db.session.scalar(sa.select(Customer.country).where(Customer.id == customer_id))


SALES_DAY_KEY = ("business_id", "dimension", "day", "key")


def apply(business_id: int, changes: Changes) -> None:
    """Add `changes` to the rollup, in one statement (the keys of `changes` are unique)."""
    rows = [
        {
            "business_id": business_id,
            "dimension": dimension,
            "day": day,
            "key": key,
            **{name: getattr(delta, name) for name in COUNTERS},
        }
        for (dimension, day, key), delta in changes.items()
        if not delta.is_zero()
    ]
    if not rows:
        return
    add_to_sums(db.session, SalesDay, SALES_DAY_KEY, COUNTERS, rows)


def sale_day(business, order: Order) -> date:
    return business_day(business, order.confirmed_at or order.created_at)


def _first_two_sales(business, customer_id: int) -> list[date]:
    moments = db.session.scalars(
        sa.select(Order.confirmed_at)
        .where(
            Order.business_id == business.id,
            Order.customer_id == customer_id,
            Order.status.in_(st.SALE_STATUSES),
            Order.confirmed_at.is_not(None),
        )
        .order_by(Order.confirmed_at, Order.id)
        .limit(2)
    ).all()
    return [business_day(business, moment) for moment in moments]


def refresh_firsts(business, customer_ids, changes: Changes) -> None:
    """Re-read each customer's first and second sale days; where they moved, move the
    "new" and "returning" counts in `changes`."""
    for customer_id in {cid for cid in customer_ids if cid}:
        days = _first_two_sales(business, customer_id)
        first = days[0] if days else None
        second = days[1] if len(days) > 1 else None
        row = db.session.get(CustomerFirsts, customer_id)
        old_first = row.first_day if row is not None else None
        old_second = row.second_day if row is not None else None
        if (first, second) == (old_first, old_second):
            continue
        for old, new, field in (
            (old_first, first, "new_customers"),
            (old_second, second, "returning_customers"),
        ):
            if old == new:
                continue
            if old is not None:
                delta = changes.setdefault(("all", old, ""), Delta())
                setattr(delta, field, getattr(delta, field) - 1)
            if new is not None:
                delta = changes.setdefault(("all", new, ""), Delta())
                setattr(delta, field, getattr(delta, field) + 1)
        if row is None:
            row = CustomerFirsts(business_id=business.id, customer_id=customer_id)
            db.session.add(row)
        row.first_day, row.second_day = first, second
    db.session.flush()
