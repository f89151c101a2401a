"""Merging two records of the same person into one.

Addresses and notes move to the kept customer, missing contact details are
filled in from the merged one, and higher domains move their rows (orders)
when `events.customers_merged` is sent, in the same transaction, before the
merged customer is deleted.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from kyora.core.errors import ValidationFailed
from kyora.core.phones import display_phone
from kyora.customers import events
from kyora.customers.addresses_notes import add_note, refresh_country, require_same_business
from kyora.customers.cleaning import is_placeholder_name, set_name
from kyora.customers.identity import PLATFORMS, parse_tags
from kyora.customers.models import Address, Customer, CustomerNote
from kyora.extensions import db

_CONTACT_COLUMNS = ("phone", "whatsapp", "email", *PLATFORMS)
_UNIQUE_COLUMNS = ("phone", *PLATFORMS)


def _later(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _describe(column: str, value: str) -> str:
    if column in ("phone", "whatsapp"):
        return display_phone(value)
    if column == "email":
        return value
    return "@" + value


def merge_customers(business, actor, kept: Customer, merged: Customer) -> Customer:
    """Fold `merged` into `kept`: addresses, notes, contact details, tags and order figures.

    Sends `customers_merged(business, kept=..., merged=...)` so orders follow,
    then deletes `merged`. Details that could not be carried over (a second phone
    number, say) are kept in a timeline note, so nothing is lost.
    """
    require_same_business(business, kept, merged)
    if kept.id == merged.id:
        raise ValidationFailed({"other": _("Choose two different customers to merge.")})

    # Contact details: fill what `kept` lacks; remember what does not fit.
    carried: dict[str, str] = {}
    leftovers: list[str] = []
    for column in _CONTACT_COLUMNS:
        theirs = getattr(merged, column)
        mine = getattr(kept, column)
        if not theirs or theirs == mine:
            continue
        if column == "whatsapp" and theirs == kept.phone:
            continue
        if mine:
            leftovers.append(_describe(column, theirs))
        else:
            carried[column] = theirs
    if (
        merged.phone
        and "phone" not in carried
        and "whatsapp" not in carried
        and merged.phone != kept.phone
        and not kept.whatsapp
    ):
        # A second number is most likely the one they message from.
        carried["whatsapp"] = merged.phone
        leftovers.remove(display_phone(merged.phone))
    # Free the unique phone/handles on the merged row before giving them to the kept one.
    for column in _UNIQUE_COLUMNS:
        setattr(merged, column, None)
    db.session.flush()
    for column, value in carried.items():
        setattr(kept, column, value)

    if is_placeholder_name(kept) and not is_placeholder_name(merged):
        set_name(kept, merged.name)
    kept.tags = ",".join(parse_tags([*kept.tag_list, *merged.tag_list])[:20])

    # Order figures; the orders domain recomputes them from the moved orders if it listens.
    kept.orders_count = (kept.orders_count or 0) + (merged.orders_count or 0)
    kept.total_spent = (kept.total_spent or 0) + (merged.total_spent or 0)
    kept.amount_due = (kept.amount_due or 0) + (merged.amount_due or 0)
    if merged.last_order_at and (
        not kept.last_order_at or merged.last_order_at > kept.last_order_at
    ):
        kept.last_channel = merged.last_channel or kept.last_channel
    kept.last_order_at = _later(kept.last_order_at, merged.last_order_at)
    if merged.created_at and kept.created_at and merged.created_at < kept.created_at:
        kept.created_at = merged.created_at
        kept.first_channel = merged.first_channel or kept.first_channel
    else:
        kept.first_channel = kept.first_channel or merged.first_channel

    for model in (Address, CustomerNote):
        db.session.execute(
            sa.update(model)
            .where(model.customer_id == merged.id, model.business_id == business.id)
            .values(customer_id=kept.id)
            .execution_options(synchronize_session=False)
        )
    db.session.expire(kept, ["addresses"])
    db.session.expire(merged, ["addresses"])

    message = _("Merged %(name)s into this customer.", name=merged.display_name)
    if leftovers:
        message += " " + _("Their other details: %(details)s.", details=", ".join(leftovers))
    add_note(business, actor, kept, message)

    events.customers_merged.send(business, kept=kept, merged=merged)
    db.session.delete(merged)
    db.session.flush()
    refresh_country(kept)
    db.session.flush()
    return kept
