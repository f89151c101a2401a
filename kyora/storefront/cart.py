"""The shopper's cart: variant ids and quantities in a signed cookie, one per shop.

No account and no table: the cookie is signed with the app's secret (a shopper cannot
forge or edit it) and holds only ids and quantities. Prices are never in it; they are
read from the catalog each time, so a tampered or stale cart cannot change a price.
Its size is capped both in lines and in units per line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from kyora.core.tenancy import id_or_none

COOKIE = "kyora_cart"
MAX_LINES = 20
MAX_QUANTITY = 20
MAX_AGE = 30 * 24 * 3600


@dataclass
class Cart:
    """Variant id -> quantity, in the order the shopper added them."""

    lines: dict[int, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(self.lines.values())

    def add(self, variant_id: int, quantity: int) -> None:
        """Add units of a variant, within the caps (a full cart ignores new lines)."""
        if variant_id not in self.lines and len(self.lines) >= MAX_LINES:
            return
        total = self.lines.get(variant_id, 0) + max(quantity, 0)
        self.set(variant_id, total)

    def set(self, variant_id: int, quantity: int) -> None:
        """Set a line's quantity (0 removes it), capped at MAX_QUANTITY."""
        if quantity <= 0:
            self.lines.pop(variant_id, None)
        elif variant_id in self.lines or len(self.lines) < MAX_LINES:
            self.lines[variant_id] = min(quantity, MAX_QUANTITY)

    def keep_only(self, available: dict[int, int]) -> list[int]:
        """Trim the cart to what is available (variant id -> units left); returns the
        ids of the lines that shrank or went."""
        changed = []
        for variant_id, quantity in list(self.lines.items()):
            left = available.get(variant_id, 0)
            if quantity > left:
                changed.append(variant_id)
                self.set(variant_id, left)
        return changed


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="kyora-storefront-cart")


def load_cart(raw: str | None) -> Cart:
    """The cart in a cookie value; an unsigned, tampered or malformed one is empty."""
    if not raw or len(raw) > 4000:
        return Cart()
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return Cart()
    cart = Cart()
    if not isinstance(data, list):
        return cart
    for item in data[:MAX_LINES]:
        if not (isinstance(item, list) and len(item) == 2):
            continue
        variant_id, quantity = id_or_none(item[0]), item[1]
        if variant_id is not None and isinstance(quantity, int):
            cart.set(variant_id, quantity)
    return cart


def dump_cart(cart: Cart) -> str:
    """The signed cookie value of `cart`."""
    return _serializer().dumps([[variant_id, qty] for variant_id, qty in cart.lines.items()])


def parse_quantity(text: str | None, default: int = 1) -> int | None:
    """A quantity typed by a shopper (1..MAX_QUANTITY), or None when it is not one."""
    text = (text or "").strip()
    if not text:
        return default
    if not text.isdigit() or len(text) > 6:
        return None
    value = int(text)
    return value if value >= 0 else None
