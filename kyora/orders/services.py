"""The orders domain's public API: what views, the demo data and other domains (a
storefront, accounting) call to change orders.

Every function takes explicit arguments (business, actor, a typed draft), flushes but
never commits, and raises `DomainError` subclasses. Reads are in `queries.py`; the
signals other domains listen to are in `events.py`. The code lives in the modules
named beside each group.
"""

from kyora.orders.creation import Saved, create_order, default_channel
from kyora.orders.drafts import NOTE_MAX, DraftLine, OrderDraft
from kyora.orders.editing import add_note, delete_order, draft_from_order, update_order
from kyora.orders.payments import Overpayment, record_payment, refund_payment
from kyora.orders.pricing import PricedDraft, load_variants, price_draft
from kyora.orders.settings import (
    MethodConfig,
    MethodDraft,
    ZoneDraft,
    delete_zone,
    enabled_methods,
    get_settings,
    list_zones,
    match_zone,
    payment_methods,
    save_zone,
    set_default_channel,
    setup_new_business,
    update_payment_methods,
)
from kyora.orders.status_changes import BulkResult, bulk_change_status, change_status

__all__ = [
    # A new order (creation.py) from a draft (drafts.py), priced by pricing.py.
    "DraftLine",
    "NOTE_MAX",
    "OrderDraft",
    "PricedDraft",
    "Saved",
    "create_order",
    "default_channel",
    "load_variants",
    "price_draft",
    # A saved order: edits, notes, deletion (editing.py).
    "add_note",
    "delete_order",
    "draft_from_order",
    "update_order",
    # Statuses (status_changes.py).
    "BulkResult",
    "bulk_change_status",
    "change_status",
    # Money (payments.py).
    "Overpayment",
    "record_payment",
    "refund_payment",
    # What a business sets up (settings.py).
    "MethodConfig",
    "MethodDraft",
    "ZoneDraft",
    "delete_zone",
    "enabled_methods",
    "get_settings",
    "list_zones",
    "match_zone",
    "payment_methods",
    "save_zone",
    "set_default_channel",
    "setup_new_business",
    "update_payment_methods",
]
