"""Saving a new order from a draft: idempotent, stock-safe, numbered, with its customer,
delivery address and first payment; and the channel a new order starts with.

Finding the customer and the delivery address of a draft is shared with `editing.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.core.db import utcnow
from kyora.core.errors import Conflict, ValidationFailed
from kyora.core.money import ZERO
from kyora.core.security import new_token
from kyora.customers import services as customers
from kyora.customers.models import Address, Customer
from kyora.extensions import db
from kyora.orders import events
from kyora.orders import status as st
from kyora.orders.customer_stats import refresh_customer_stats
from kyora.orders.drafts import (
    NOTE_MAX,
    PAY_FULL,
    PAY_NONE,
    PAY_PART,
    SHIP_MANUAL,
    OrderDraft,
)
from kyora.orders.models import Order, OrderSettings
from kyora.orders.order_rows import add_event, item_snapshots
from kyora.orders.payments import apply_payment, check_payment, new_payment
from kyora.orders.pricing import price_draft
from kyora.orders.settings import get_settings, next_order_number
from kyora.orders.stock import add_sold_items, take_lines_stock, taken_cost
from kyora.orders.totals import payment_status

HANDLE_PLATFORMS = {"instagram", "tiktok", "facebook", "snapchat"}


@dataclass
class Saved:
    """The order a save produced; `created` is False when a replay found an earlier one."""

    order: Order
    created: bool


def default_channel(business, actor) -> str:
    """The channel this seller used last, else the business default."""
    if actor is not None:
        last = db.session.scalar(
            sa.select(Order.channel)
            .where(Order.business_id == business.id, Order.created_by_id == actor.id)
            .order_by(Order.id.desc())
            .limit(1)
        )
        if last:
            return last
    return get_settings(business).default_channel


# Built once: every save asks for its key (twice on PostgreSQL), with these parameters.
_BY_KEY = sa.select(Order).where(
    Order.business_id == sa.bindparam("key_business"),
    Order.idempotency_key == sa.bindparam("key"),
)


def _by_key(business, key: str | None) -> Order | None:
    if not key:
        return None
    return db.session.scalar(_BY_KEY, {"key_business": business.id, "key": key})


def _replay(order: Order, fingerprint: str) -> Saved:
    if order.request_hash and order.request_hash != fingerprint:
        raise Conflict(
            _(
                "This form was already saved as order #%(number)s with different details. "
                "Open that order to change it, or start a new order.",
                number=order.number,
            )
        )
    return Saved(order, created=False)


def _take_number(business, key: str | None):
    """(number, None), or (None, the order another request saved with this key meanwhile)."""
    number = next_order_number(business)
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite reads a whole transaction from one snapshot, and a writer that another
        # commit overtook fails: the key found free at the start is still free here.
        return number, None
    # The counter's row lock is held until commit, so a save under this key that
    # finished meanwhile is visible now.
    existing = _by_key(business, key)
    if existing is None:
        return number, None
    # That save wins: the number goes back (the row is still locked, so this is exact),
    # without a savepoint around every save for the sake of this rare one.
    settings = OrderSettings.__table__
    db.session.execute(
        sa.update(settings)
        .where(settings.c.business_id == business.id)
        .values(next_number=settings.c.next_number - 1)
    )
    return None, existing


def resolve_customer(business, actor, draft: OrderDraft) -> Customer | None:
    """The picked customer, or the one the name / phone / handle find (or create)."""
    if draft.customer_id:
        customer = customers.get_customer(business, draft.customer_id)
        if customer is None:
            raise ValidationFailed({"customer_query": _("This customer was not found.")})
        return customer
    name, phone, handle = (
        draft.customer_name.strip(),
        draft.customer_phone.strip(),
        draft.customer_handle.strip(),
    )
    if not (name or phone or handle):
        return None
    if (name and not (phone or handle)) and len(name) < 2:
        raise ValidationFailed({"customer_name": _("Enter the customer's name.")})
    platform = draft.channel if draft.channel in HANDLE_PLATFORMS else "instagram"
    try:
        customer, _created = customers.find_or_create_customer(
            business,
            actor,
            name=name or None,
            phone=phone or None,
            handle=handle or None,
            handle_platform=platform,
            channel=draft.channel,
        )
    except ValidationFailed as error:
        raise ValidationFailed(
            {f"customer_{key}": message for key, message in error.errors.items()}
        ) from error
    return customer


def delivery_address(business, actor, customer, draft: OrderDraft) -> tuple[str | None, str | None]:
    """(address, city) for the order: a picked address, or one typed in (then kept on
    the customer's record too)."""
    if draft.address_id and customer is not None:
        address = db.session.scalar(
            sa.select(Address).where(
                Address.id == draft.address_id,
                Address.customer_id == customer.id,
                Address.business_id == business.id,
            )
        )
        if address is None:
            raise ValidationFailed({"address_id": _("Pick one of the customer's addresses.")})
        return address.one_line, address.city
    line = " ".join(draft.address_line.split())
    city = " ".join(draft.address_city.split())
    if len(line) > 200:
        raise ValidationFailed({"address_line": _("Use at most %(count)d characters.", count=200)})
    if len(city) > 100:
        raise ValidationFailed({"address_city": _("Use at most %(count)d characters.", count=100)})
    if not line and not city:
        return None, None
    if customer is not None and line:
        known = {address.line.casefold() for address in customer.addresses}
        if line.casefold() not in known:
            customers.add_address(
                business,
                actor,
                customer,
                customers.AddressDraft(line=line, city=city, country=business.country),
            )
    text = ", ".join(part for part in (line, city) if part)
    return text, city or None


def _payment_now(business, draft: OrderDraft, total):
    """(amount, method) to record with the new order, checked before anything is written."""
    if draft.payment == PAY_NONE or not draft.payment:
        return None
    if draft.payment not in (PAY_PART, PAY_FULL):
        raise ValidationFailed({"payment": _("Choose how much was paid.")})
    amount = total if draft.payment == PAY_FULL else draft.payment_amount
    if draft.payment == PAY_FULL and total <= 0:
        return None
    if draft.payment == PAY_PART and amount is not None and amount > total:
        raise ValidationFailed(
            {"payment_amount": _("That is more than the order total. Choose “Paid in full”.")}
        )
    amount, config = check_payment(
        business,
        total,
        0,
        amount,
        draft.payment_method,
        allow_overpay=True,
        amount_field="payment_amount",
        method_field="payment_method",
    )
    return amount, config


def create_order(business, actor, draft: OrderDraft) -> Saved:
    """Save a new order from the quick entry: customer, items (stock taken), totals,
    status, first payment. Idempotent on `draft.idempotency_key`: a replay of the same
    draft returns the order saved first; a different draft under that key is a Conflict.
    """
    fingerprint = draft.fingerprint()
    existing = _by_key(business, draft.idempotency_key)
    if existing is not None:
        return _replay(existing, fingerprint)
    if draft.status not in st.INITIAL_STATUSES:
        raise ValidationFailed({"status": _("A new order is either confirmed or pending.")})
    events.order_limit_check.send(business, actor=actor)
    priced = price_draft(business, draft)
    if priced.errors:
        raise ValidationFailed(priced.errors)
    totals = priced.totals
    payment_now = _payment_now(business, draft, totals.total)
    note = draft.note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed({"note": _("Use at most %(count)d characters.", count=NOTE_MAX)})
    customer = resolve_customer(business, actor, draft)
    address, city = delivery_address(business, actor, customer, draft)

    number, earlier = _take_number(business, draft.idempotency_key)
    if earlier is not None:
        return _replay(earlier, fingerprint)
    # Stock first: the order is then written once, with its cost of goods. The lines'
    # products stay held: a take re-reads its variant, which lets go of its product, and
    # the items snapshot the product's name from the session, not a query.
    products = [line.variant.product for line in priced.lines]  # noqa: F841 - kept alive
    taken = take_lines_stock(business, priced.lines)
    now = draft.placed_at or utcnow()
    order = Order(
        business_id=business.id,
        number=number,
        status=draft.status,
        channel=draft.channel,
        customer_id=customer.id if customer is not None else None,
        created_by_id=actor.id if actor is not None else None,
        idempotency_key=draft.idempotency_key or None,
        request_hash=fingerprint,
        public_token=new_token(16),
        subtotal=totals.subtotal,
        discount_kind=draft.discount_kind if totals.discount else None,
        discount_value=draft.discount_value if totals.discount else None,
        discount=totals.discount,
        vat_rate=business.vat_rate or 0,
        vat=totals.vat,
        vat_included=totals.vat_included,
        shipping_zone_id=priced.zone.id if priced.zone is not None else None,
        shipping_manual=draft.shipping_mode == SHIP_MANUAL,
        shipping=totals.shipping,
        total=totals.total,
        cost_total=taken_cost(taken, business.currency),
        # No payment rows yet: the figures follow from the total alone.
        amount_paid=ZERO,
        amount_refunded=ZERO,
        fees=ZERO,
        payment_status=payment_status(totals.total, ZERO, ZERO),
        delivery_address=address,
        delivery_city=city,
        note=note or None,
        created_at=now,
        # The time of saving, even for an order placed earlier (an import).
        updated_at=utcnow() if draft.placed_at else now,
        confirmed_at=now if draft.status == st.CONFIRMED else None,
    )
    db.session.add(order)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except sa.exc.IntegrityError as error:
        # Only a concurrent save under the same key can collide here.
        raise Conflict(_("This order was just saved. Open your orders list to see it.")) from error
    # The movements, items, timeline and first payment go to the database together, with
    # the next flush (the sale's entry in the books, the payment's, or the commit).
    items = add_sold_items(business, actor, order, priced.lines, taken)
    add_event(
        order, "created", actor, to_status=order.status, data={"total": str(order.total)}, at=now
    )
    payment = None
    if payment_now is not None:
        # Written with the items; counted on the order only once the sale is posted.
        amount, config = payment_now
        payment = new_payment(
            business, actor, order, amount, config, draft.payment_reference, now.date(), now
        )
    if order.status == st.CONFIRMED:
        events.order_confirmed.send(
            business,
            order=order,
            actor=actor,
            amounts=events.OrderAmounts.of(order),
            items=item_snapshots(items),
        )
    if payment is not None:
        apply_payment(business, actor, order, payment)
    refresh_customer_stats(business, order.customer_id)
    return Saved(order, created=True)
