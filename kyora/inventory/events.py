"""Signals of the inventory domain (accounting and insights listen).

Receivers run synchronously, in the same transaction as the stock change.

- `stock_purchased(business, movement=..., amount=...)`: stock bought and paid for
  now. `amount` is the cash paid (quantity × unit cost, rounded to the currency).
- `stock_adjusted(business, movement=..., amount=...)`: stock value changed without
  cash: opening stock, found stock, count corrections, damage, loss, a cost change.
  `amount` is the signed change of inventory value (negative for a loss).
- `stock_changed(business, variant=..., movement=...)`: any movement, sales included.
- `variants_deleted(business, variant_ids=[...], value=...)`: variants removed for good
  (never ones with sales); `value` is the stock value that left with them.
"""

from blinker import Namespace

_signals = Namespace()

stock_purchased = _signals.signal("stock-purchased")
stock_adjusted = _signals.signal("stock-adjusted")
stock_changed = _signals.signal("stock-changed")
variants_deleted = _signals.signal("variants-deleted")
