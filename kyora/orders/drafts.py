"""An order as the entry form (or the edit form, or the demo data) describes it: the
typed input of `create_order` and `update_order`, and the limits it must keep.

Checking and pricing a draft is `pricing.price_draft`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal

from kyora.orders import status as st
from kyora.orders.totals import DISCOUNT_AMOUNT

MAX_LINES = 50
MAX_QUANTITY = 100_000
NOTE_MAX = 2000
SHIP_NONE, SHIP_ZONE, SHIP_MANUAL = "none", "zone", "manual"
PAY_NONE, PAY_PART, PAY_FULL = "none", "part", "full"


@dataclass
class DraftLine:
    variant_id: int | None
    quantity: int | None
    # None means "the variant's current price".
    unit_price: Decimal | None = None


@dataclass
class OrderDraft:
    """Everything the quick entry (or the edit form) says about an order."""

    lines: list[DraftLine] = field(default_factory=list)
    customer_id: int | None = None
    customer_name: str = ""
    customer_phone: str = ""
    customer_handle: str = ""
    channel: str = "other"
    status: str = st.CONFIRMED
    shipping_mode: str = SHIP_NONE
    shipping_zone_id: int | None = None
    shipping_fee: Decimal | None = None
    address_id: int | None = None
    address_line: str = ""
    address_city: str = ""
    discount_kind: str = DISCOUNT_AMOUNT
    discount_value: Decimal | None = None
    payment: str = PAY_NONE
    payment_amount: Decimal | None = None
    payment_method: str = ""
    payment_reference: str = ""
    note: str = ""
    allow_zero_price: bool = False
    idempotency_key: str | None = None
    # Only the demo data sets these: when the order was placed, in the past.
    placed_at: datetime | None = None

    def fingerprint(self) -> str:
        """A hash of what the order says (not how it was submitted), for idempotent saves."""
        values = asdict(self)
        for key in ("idempotency_key", "placed_at"):
            values.pop(key)
        text = json.dumps(values, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()
