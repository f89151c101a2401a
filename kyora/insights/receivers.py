"""Order signals → the sales rollup, in the same transaction as the change."""

from __future__ import annotations

from kyora.customers import events as customer_events
from kyora.insights import rollup
from kyora.orders import events as order_events


def _sale(business, order, amounts, items, changes, *, sign: int, place=None) -> None:
    place = place or rollup.Place.of(order, rollup.customer_country(order.customer_id))
    rollup.order_changes(
        changes,
        rollup.sale_day(business, order),
        place,
        amounts,
        items,
        rollup.products_of(business, items),
        vat_rate=order.vat_rate,
        vat_included=order.vat_included,
        currency=business.currency,
        sign=sign,
    )


def on_order_confirmed(business, order, amounts=None, items=None, **_):
    changes: rollup.Changes = {}
    _sale(business, order, amounts, items, changes, sign=1)
    rollup.refresh_firsts(business, [order.customer_id], changes)
    rollup.apply(business.id, changes)


def on_sale_undone(business, order, amounts=None, items=None, was_sale=True, **_):
    """A cancelled or returned sale leaves its sale day."""
    if not was_sale:
        return
    changes: rollup.Changes = {}
    _sale(business, order, amounts, items, changes, sign=-1)
    rollup.refresh_firsts(business, [order.customer_id], changes)
    rollup.apply(business.id, changes)


def on_order_edited(
    business,
    order,
    was_sale=False,
    before=None,
    after=None,
    before_items=None,
    after_items=None,
    before_place=None,
    **_,
):
    """The old sale leaves its day and the new one takes its place (the customer,
    channel or city may have changed too: `before_place` says where it was)."""
    if not was_sale:
        return
    changes: rollup.Changes = {}
    old_place = None
    if before_place is not None:
        old_place = rollup.Place(
            before_place.channel,
            rollup.customer_country(before_place.customer_id),
            before_place.city,
        )
    _sale(business, order, before, before_items, changes, sign=-1, place=old_place)
    _sale(business, order, after, after_items, changes, sign=1)
    customers = [order.customer_id, before_place.customer_id if before_place else None]
    rollup.refresh_firsts(business, customers, changes)
    rollup.apply(business.id, changes)


def on_customers_merged(business, kept=None, merged=None, **_):
    """The merged customer's orders now belong to `kept` (the orders domain moved them
    first): both customers' firsts are read again."""
    changes: rollup.Changes = {}
    rollup.refresh_firsts(business, [kept.id, merged.id], changes)
    rollup.apply(business.id, changes)


def connect() -> None:
    order_events.order_confirmed.connect(on_order_confirmed)
    order_events.order_cancelled.connect(on_sale_undone)
    order_events.order_returned.connect(on_sale_undone)
    order_events.order_edited.connect(on_order_edited)
    customer_events.customers_merged.connect(on_customers_merged)
