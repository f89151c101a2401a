"""Orders inserted in bulk, for the large demo and the benchmarks.

Totals are computed the real way (`totals.compute_totals`), numbers come from the
business's counter, and customers' figures are recomputed at the end; stock and the
books are left as they are (this path sends no signals).
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from kyora.core.db import money_expr, utcnow
from kyora.core.money import quantize
from kyora.core.security import new_token
from kyora.customers.identity import name_key, search_text
from kyora.customers.models import Customer
from kyora.extensions import db
from kyora.inventory.models import Product, Variant
from kyora.orders import status as st
from kyora.orders.counters import recount
from kyora.orders.models import Order, OrderEvent, OrderItem, OrderSettings, Payment
from kyora.orders.settings import ensure_settings
from kyora.orders.totals import LineInput, ShippingInput, compute_totals, payment_status

# Where orders end up: (final status, share).
OUTCOMES = (
    (st.PENDING, 5),
    (st.CONFIRMED, 10),
    (st.READY, 4),
    (st.SHIPPED, 9),
    (st.DELIVERED, 62),
    (st.CANCELLED, 7),
    (st.RETURNED, 3),
)
CHANNEL_WEIGHTS = {
    "instagram": 40,
    "whatsapp": 25,
    "tiktok": 12,
    "facebook": 5,
    "snapchat": 5,
    "in_person": 6,
    "storefront": 5,
    "other": 2,
}


def pick(rng: random.Random, weighted: dict | tuple):
    """A key of `weighted` ({key: weight} or ((key, weight), ...)), drawn by weight."""
    pairs = list(weighted.items()) if isinstance(weighted, dict) else list(weighted)
    return rng.choices([key for key, _w in pairs], weights=[w for _k, w in pairs])[0]


def _demo_customers(business, rng: random.Random, count: int) -> list[int]:
    """Ids of the business's customers, creating `count` plain ones in bulk when it has none."""
    ids = list(
        db.session.scalars(sa.select(Customer.id).where(Customer.business_id == business.id))
    )
    if ids:
        return ids
    firsts = ("Sara", "Huda", "Mariam", "Noura", "Aisha", "Omar", "Khalid", "Lina", "Reem", "Dana")
    lasts = ("Ali", "Haddad", "Saleh", "Nasser", "Khoury", "Farouk", "Othman", "Qasim")
    rows = []
    now = utcnow()
    for n in range(count):
        name = f"{rng.choice(firsts)} {rng.choice(lasts)}"
        rows.append(
            {
                "business_id": business.id,
                "name": name,
                "search_name": search_text(name),
                "name_key": name_key(name),
                "phone": f"+9715{n:08d}",
                "country": business.country,
                "tags": "",
                "created_at": now,
                "updated_at": now,
            }
        )
    db.session.execute(sa.insert(Customer.__table__), rows)
    return list(
        db.session.scalars(sa.select(Customer.id).where(Customer.business_id == business.id))
    )


def insert_orders(
    business, owner, count: int, seed: int = 7, days: int = 365, batch: int = 5000
) -> int:
    """Insert `count` orders in bulk (items, payments, a timeline entry each), numbered on
    from the business's counter; customers' figures and the per-status order counts are
    recomputed at the end."""
    rng = random.Random(seed)
    variants = list(
        db.session.execute(
            sa.select(
                Variant.id,
                Variant.price,
                Variant.avg_cost,
                Variant.sku,
                Variant.options_label,
                Product.name,
            )
            .join(Product, Product.id == Variant.product_id)
            .where(Variant.business_id == business.id)
        )
    )
    if not variants:
        return 0
    # About ten orders per customer, as in a shop with regulars: 1M orders, 100k customers.
    customers = _demo_customers(business, rng, max(10, min(count // 10, 100_000)))
    ensure_settings(business)
    first = db.session.scalar(
        sa.select(OrderSettings.next_number).where(OrderSettings.business_id == business.id)
    )
    db.session.execute(
        sa.update(OrderSettings)
        .where(OrderSettings.business_id == business.id)
        .values(next_number=first + count)
    )
    next_id = (db.session.scalar(sa.select(sa.func.max(Order.id))) or 0) + 1
    now = utcnow()
    currency, vat_rate = business.currency, business.vat_rate or Decimal(0)
    for start in range(0, count, batch):
        orders, items, payments, events = [], [], [], []
        for offset in range(start, min(count, start + batch)):
            order_id = next_id + offset
            placed = now - timedelta(
                seconds=int((count - offset) / count * days * 86400) + rng.randrange(60)
            )
            picked = [rng.choice(variants) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
            quantities = [rng.choice((1, 1, 2, 3)) for _ in picked]
            manual = rng.random() < 0.7
            totals = compute_totals(
                [LineInput(v.price, q) for v, q in zip(picked, quantities, strict=True)],
                currency=currency,
                vat_rate=vat_rate,
                shipping=ShippingInput(cost=Decimal(rng.choice((15, 20, 25))), manual=True)
                if manual
                else None,
            )
            status = pick(rng, OUTCOMES)
            paid = Decimal(0)
            if status in (st.DELIVERED, st.RETURNED) or (
                status != st.CANCELLED and rng.random() < 0.3
            ):
                paid = totals.total if rng.random() < 0.85 else quantize(totals.total / 2, currency)
            refunded = paid if status == st.RETURNED else Decimal(0)
            cost = quantize(
                sum((v.avg_cost * q for v, q in zip(picked, quantities, strict=True)), Decimal(0)),
                currency,
            )
            row = {
                "id": order_id,
                "business_id": business.id,
                "number": first + offset,
                "status": status,
                "channel": pick(rng, CHANNEL_WEIGHTS),
                "customer_id": rng.choice(customers),
                "created_by_id": owner.id if owner is not None else None,
                "public_token": new_token(16),
                "subtotal": totals.subtotal,
                "discount": totals.discount,
                "vat_rate": vat_rate,
                "vat": totals.vat,
                "shipping_manual": manual,
                "shipping": totals.shipping,
                "total": totals.total,
                "cost_total": cost,
                "amount_paid": paid - refunded,
                "amount_refunded": refunded,
                "fees": Decimal(0),
                "payment_status": payment_status(totals.total, paid - refunded, refunded),
                "version": 1,
                "created_at": placed,
                "updated_at": placed,
                **dict.fromkeys(st.STAMP_COLUMNS.values()),
            }
            row["confirmed_at"] = placed if status != st.PENDING else None
            stamp = st.STAMP_COLUMNS.get(status)
            if stamp and stamp != "confirmed_at":
                row[stamp] = placed + timedelta(days=2)
            orders.append(row)
            for position, (variant, quantity, amount) in enumerate(
                zip(picked, quantities, totals.lines, strict=True)
            ):
                items.append(
                    {
                        "business_id": business.id,
                        "order_id": order_id,
                        "variant_id": variant.id,
                        "position": position,
                        "product_name": variant.name,
                        "variant_title": variant.options_label or None,
                        "sku": variant.sku,
                        "quantity": quantity,
                        "unit_price": variant.price,
                        "line_total": amount,
                        "unit_cost": variant.avg_cost,
                    }
                )
            if paid:
                payments.append(_payment_row(business, order_id, "payment", paid, placed))
            if refunded:
                payments.append(
                    _payment_row(
                        business, order_id, "refund", -refunded, placed + timedelta(days=3)
                    )
                )
            events.append(
                {
                    "business_id": business.id,
                    "order_id": order_id,
                    "kind": "created",
                    "to_status": status,
                    "actor_id": owner.id if owner is not None else None,
                    "created_at": placed,
                }
            )
        db.session.execute(sa.insert(Order.__table__), orders)
        db.session.execute(sa.insert(OrderItem.__table__), items)
        if payments:
            db.session.execute(sa.insert(Payment.__table__), payments)
        db.session.execute(sa.insert(OrderEvent.__table__), events)
    _sync_id_sequence()
    _recompute_customers(business)
    # The per-status counts are kept on each flush; rows inserted in bulk are counted here.
    recount(business)
    _refresh_statistics()
    return count


def _refresh_statistics() -> None:
    """On SQLite, statistics for the planner over the tables just filled: without them
    it may read a big table through an unselective index until `PRAGMA optimize` next
    runs. PostgreSQL's autovacuum analyzes on its own."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(sa.text("ANALYZE"))


def _sync_id_sequence() -> None:
    """Order ids were given explicitly (to link items in bulk); on PostgreSQL move the id
    sequence past them so the next order saved normally gets a fresh id."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('sales_order', 'id'), "
                "(SELECT max(id) FROM sales_order))"
            )
        )


def _payment_row(business, order_id: int, kind: str, amount: Decimal, moment) -> dict:
    return {
        "business_id": business.id,
        "order_id": order_id,
        "kind": kind,
        "method": "cod",
        "amount": amount,
        "fee": Decimal(0),
        "received_on": moment.date(),
        "created_at": moment,
    }


def _recompute_customers(business) -> None:
    """Every customer's order figures after a bulk insert: one GROUP BY, one executemany."""
    sale = Order.status.in_(st.SALE_STATUSES)
    zero = sa.literal(0, Order.total.type)
    due = sa.case(
        (sa.and_(sale, Order.total > Order.amount_paid), Order.total - Order.amount_paid),
        else_=zero,
    )
    rows = db.session.execute(
        sa.select(
            Order.customer_id,
            sa.func.count(sa.case((sale, Order.id))),
            money_expr(
                sa.func.coalesce(sa.func.sum(sa.case((sale, Order.total), else_=zero)), zero)
            ),
            money_expr(sa.func.coalesce(sa.func.sum(due), zero)),
            sa.func.max(sa.case((Order.status != st.CANCELLED, Order.created_at))),
        )
        .where(Order.business_id == business.id, Order.customer_id.is_not(None))
        .group_by(Order.customer_id)
    ).all()
    if not rows:
        return
    table = Customer.__table__
    db.session.execute(
        sa.update(table)
        .where(table.c.id == sa.bindparam("customer_id"))
        .values(
            orders_count=sa.bindparam("orders_count"),
            total_spent=sa.bindparam("total_spent", type_=table.c.total_spent.type),
            amount_due=sa.bindparam("amount_due", type_=table.c.amount_due.type),
            last_order_at=sa.bindparam("last_order_at", type_=table.c.last_order_at.type),
        ),
        [
            {
                "customer_id": row[0],
                "orders_count": row[1],
                "total_spent": row[2],
                "amount_due": row[3],
                "last_order_at": row[4],
            }
            for row in rows
        ],
    )
